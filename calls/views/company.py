"""A company's pages about calls: clarification questions and, for an innovation partnership,
requests to participate.

Views stay thin: the rules live in calls/services/. Someone else's request, or a call nobody
may see, is a 404 so that nobody learns it exists.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.exceptions import DomainError
from portal.files import file_response
from portal.hooks import participation_sections
from portal.permissions import is_applicant

from ..forms.clarifications import AskQuestionForm
from ..forms.participation import SelfDeclarationForm
from ..models import ParticipationRequest
from ..selectors.participation import (
    participation_open_problem,
    participation_requests_for_officer,
    participation_requests_of_company_member,
    selection_standstill_problem,
)
from ..selectors.selection import selection_outcome, with_declaration
from ..services.clarifications import clarification_ask
from ..services.participation import participation_request_submit, participation_request_withdraw
from .public import _call_or_404, _partnership

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


PAGE_SIZE = 25


def _field_for(error: DomainError, form) -> str | None:
    return error.code if error.code in form.fields else None


# --- Companies -------------------------------------------------------------------------------


@login_required
def request_participation(request, pk: int):
    call = _partnership(request, pk)
    if not is_applicant(request.user):
        raise PermissionDenied
    form = SelfDeclarationForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            participation_request_submit(
                call=call,
                actor=request.user,
                motivation=form.cleaned_data["motivation"],
                document=form.cleaned_data["document"],
                **form.declaration(),
            )
        except DomainError as error:
            form.add_error(_field_for(error, form), error.message)
        else:
            messages.success(
                request,
                _(
                    "Your request to participate is in. After the deadline the contracting "
                    "authority selects the companies it invites to tender."
                ),
            )
            return redirect("calls:participation_mine")
    context = {"call": call, "form": form, "problem": participation_open_problem(call)}
    return render(request, "calls/participation/request.html", context)


@login_required
@require_GET
def participation_mine(request):
    if not is_applicant(request.user):
        raise PermissionDenied
    requests = (
        participation_requests_of_company_member(request.user)
        .prefetch_related("call__phases")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for participation in page:
        call = participation.call
        participation.can_withdraw = (
            participation.status == ParticipationRequest.Status.SUBMITTED
            and participation_open_problem(call, now=now) is None
        )
        participation.may_tender = (
            participation.is_invited and call.is_open and selection_standstill_problem(call) is None
        )
        # Invited, but tenders open only after the selection's standstill period.
        participation.tender_opens_on = (
            call.selection_standstill_ends_on + timedelta(days=1)
            if participation.is_invited and call.is_open and selection_standstill_problem(call)
            else None
        )
    return render(request, "calls/participation/mine.html", {"page_obj": page})


def _own_request(request, request_pk: int) -> ParticipationRequest:
    participation = get_object_or_404(
        participation_requests_of_company_member(request.user), pk=request_pk
    )
    return participation


@login_required
@require_GET
def participation_detail(request, request_pk: int):
    """The company's own request: its self-declaration and, once the invitations are sent,
    the outcome with the reasons per selection criterion and exclusion ground."""
    participation = get_object_or_404(
        with_declaration(participation_requests_of_company_member(request.user)), pk=request_pk
    )
    context = {
        "participation": participation,
        "call": participation.call,
        "outcome": selection_outcome(participation),
        "sections": participation_sections(participation, request.user),
    }
    return render(request, "calls/participation/detail.html", context)


@login_required
@require_POST
def participation_withdraw(request, request_pk: int):
    participation = _own_request(request, request_pk)
    try:
        participation_request_withdraw(request=participation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request to participate is withdrawn."))
    return redirect("calls:participation_mine")


@login_required
@require_GET
def participation_document(request, request_pk: int):
    """The company's own document, or for the call's officers once requests are opened."""
    participation = (
        participation_requests_of_company_member(request.user).filter(pk=request_pk).first()
        or participation_requests_for_officer(request.user).filter(pk=request_pk).first()
    )
    if participation is None:
        raise Http404
    filename = f"{participation.call.reference}-{participation.company.name}-suitability.pdf"
    return file_response(participation.document, filename=filename, private=True)
