"""The officer's clarification desk (nota van inlichtingen): answer with an anonymised
wording of the question, then publish all answered questions at once, on the call's page
and as one PDF. The rules live in calls/services/clarifications.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.confirm import Confirmation, confirmation_page, is_confirmed
from portal.exceptions import DomainError

from ...forms.clarifications import AnswerForm
from ...models import Call, ClarificationQuestion
from ...services.clarifications import clarification_answer, clarification_publish
from ..public import _call_or_404

Status = ClarificationQuestion.Status


# --- The call's procurement officers ------------------------------------------------------


QUESTIONS_PER_PAGE = 25


def _manage_page(request, call: Call, *, bound: AnswerForm | None = None, question_pk=None):
    """The call's questions by status, each group in pages of its own (``asked_page``,
    ``answered_page``, ``published_page``); `bound` replaces the form of `question_pk`."""
    questions = call.clarification_questions.select_related(
        "organisation", "asked_by", "answered_by", "release"
    ).order_by("asked_at", "pk")

    def page_of(status: str, *order: str):
        chosen = questions.filter(status=status)
        if order:
            chosen = chosen.order_by(*order)
        return Paginator(chosen, QUESTIONS_PER_PAGE).get_page(request.GET.get(f"{status}_page"))

    asked = page_of(Status.ASKED)
    answered = page_of(Status.ANSWERED)
    published = page_of(Status.PUBLISHED, "release__number", "asked_at", "pk")
    for question in [*asked, *answered]:
        question.form = bound if question.pk == question_pk else AnswerForm.for_question(question)
    last = call.clarification_releases.aggregate(last=Max("number"))["last"] or 0
    context = {
        "call": call,
        "asked": asked,
        "answered": answered,
        "published": published,
        "next_number": last + 1,
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
@require_http_methods(["GET", "POST"])
def officer_publish_answers(request, pk: int):
    """Publish the answered questions as a nota van inlichtingen, after a confirmation page."""
    call = _call_or_404(request.user, pk, "calls.manage_call")
    answered = list(
        call.clarification_questions.filter(status=Status.ANSWERED).order_by("asked_at", "pk")
    )
    if not is_confirmed(request) and answered and call.is_published:
        return confirmation_page(
            request, _publish_confirmation(call, answered), context={"call": call}
        )
    if request.method == "GET":  # nothing to publish; a GET changes nothing
        return redirect(_manage_url(call))
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


def _publish_confirmation(call: Call, answered: list[ClarificationQuestion]) -> Confirmation:
    last = call.clarification_releases.aggregate(last=Max("number"))["last"] or 0
    return Confirmation(
        title=_("Publish nota van inlichtingen %(number)s?") % {"number": last + 1},
        lead=ngettext(
            "%(count)d answered question is published, in the wording shown below.",
            "%(count)d answered questions are published, in the wording shown below.",
            len(answered),
        )
        % {"count": len(answered)},
        summary=[(question.public_text, question.answer) for question in answered],
        happens=[
            _(
                "The questions and answers appear on the call's page for everyone, without "
                "the names of who asked, and as one PDF."
            ),
            _("Everyone who follows the call receives an e-mail."),
        ],
        final=[
            _(
                "Published questions and answers cannot be changed or withdrawn: they are part "
                "of the call. A correction needs a new answer in a later nota van inlichtingen."
            ),
        ],
        button=_("Yes, publish the answers"),
        back_url=_manage_url(call),
        back_label=_("Back, do not publish"),
        breadcrumbs="calls/officer/_breadcrumbs.html",
    )
