"""Clarification questions (nota van inlichtingen).

Companies ask, the call's procurement officers answer with an anonymised wording of the
question and publish all answered questions at once, on the call's page and as one PDF.
The rules live in calls/services.py; these views only translate HTTP to service calls.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import can, is_applicant

from ..forms_clarifications import AnswerForm, AskQuestionForm
from ..models import Call, ClarificationQuestion, ClarificationRelease
from ..services import clarification_answer, clarification_ask, clarification_publish
from ..tasks import render_clarification_pdf

Status = ClarificationQuestion.Status


def _call_or_404(user, pk: int, permission: str) -> Call:
    """The call, if this person may see it; 404 otherwise, so outsiders learn nothing."""
    call = Call.objects.select_related("authority").filter(pk=pk).first()
    if call is None or not can(user, permission, call):
        raise Http404
    return call


# --- Companies ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, pk: int):
    """A company's question; the call's page posts here too, GET shows the form alone."""
    call = _call_or_404(request.user, pk, "calls.view_call")
    if not is_applicant.test(request.user):
        raise PermissionDenied(_("Only companies can ask questions about a call."))
    form = AskQuestionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            clarification_ask(call=call, actor=request.user, text=form.cleaned_data["text"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your question was received; the answer will be published for everyone."),
            )
            return redirect(f"{call.get_absolute_url()}#questions")
    return render(request, "calls/clarifications/ask.html", {"call": call, "form": form})


@require_GET
def clarification_pdf(request, pk: int, number: int):
    """A nota van inlichtingen as PDF, rendered now if the background task has not yet."""
    call = _call_or_404(request.user, pk, "calls.view_call")
    release = get_object_or_404(ClarificationRelease, call=call, number=number)
    if not release.pdf:
        render_clarification_pdf(release.pk)  # in this process, as the reader is waiting
        release.refresh_from_db(fields=["pdf"])
    return file_response(
        release.pdf,
        filename=f"nota-van-inlichtingen-{call.reference}-{release.number}.pdf",
        private=False,
    )


# --- The call's procurement officers ------------------------------------------------------


def _manage_page(request, call: Call, *, bound: AnswerForm | None = None, question_pk=None):
    """Every question of the call by status; `bound` replaces the form of `question_pk`."""
    questions = call.clarification_questions.select_related(
        "organisation", "asked_by", "answered_by", "release"
    ).order_by("asked_at", "pk")
    groups: dict[str, list[ClarificationQuestion]] = {status: [] for status in Status.values}
    for question in questions:
        if question.status != Status.PUBLISHED:
            question.form = (
                bound if question.pk == question_pk else AnswerForm.for_question(question)
            )
        groups[question.status].append(question)
    published = sorted(groups[Status.PUBLISHED], key=lambda q: q.release.number)
    next_number = max((q.release.number for q in published), default=0) + 1
    context = {
        "call": call,
        "asked": groups[Status.ASKED],
        "answered": groups[Status.ANSWERED],
        "published": published,
        "next_number": next_number,
    }
    return render(request, "calls/officer/clarifications.html", context)


def _manage_url(call: Call, anchor: str = "") -> str:
    url = reverse("calls:officer_clarifications", kwargs={"pk": call.pk})
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def officer_clarifications(request, pk: int):
    call = _call_or_404(request.user, pk, "calls.manage_call")
    return _manage_page(request, call)


@login_required
@require_POST
def officer_answer(request, pk: int, question_pk: int):
    call = _call_or_404(request.user, pk, "calls.manage_call")
    # Through the call's own questions: another call's question id is a 404.
    question = get_object_or_404(call.clarification_questions, pk=question_pk)
    form = AnswerForm.for_question(question, data=request.POST)
    if form.is_valid():
        try:
            clarification_answer(
                question=question,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                public_text=form.cleaned_data["public_text"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "The answer is saved. It becomes public when you publish the answered "
                    "questions."
                ),
            )
            return redirect(_manage_url(call, f"question-{question.pk}"))
    return _manage_page(request, call, bound=form, question_pk=question.pk)


@login_required
@require_POST
def officer_publish_answers(request, pk: int):
    call = _call_or_404(request.user, pk, "calls.manage_call")
    try:
        release = clarification_publish(call=call, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_manage_url(call))
    messages.success(
        request,
        _(
            "Nota van inlichtingen %(number)s is published. Everyone who follows the call "
            "receives an e-mail."
        )
        % {"number": release.number},
    )
    return redirect(_manage_url(call, "published"))


urlpatterns = [
    path("<int:pk>/questions/ask/", ask, name="ask"),
    path("<int:pk>/questions/<int:number>.pdf", clarification_pdf, name="clarification_pdf"),
    path("<int:pk>/questions/manage/", officer_clarifications, name="officer_clarifications"),
    path("<int:pk>/questions/<int:question_pk>/answer/", officer_answer, name="officer_answer"),
    path("<int:pk>/questions/publish/", officer_publish_answers, name="officer_publish_answers"),
]
