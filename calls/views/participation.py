"""Innovation partnership, stage 1: companies ask to participate, officers select and invite.

Views stay thin: calls/participation.py holds the rules. Someone else's request, or another
authority's call, is a 404 so that nobody learns it exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import can, is_applicant

from ..forms_participation import ParticipationDecisionForm, ParticipationRequestForm
from ..models import Call, ParticipationRequest
from ..participation import (
    is_partnership,
    participation_invitations_send,
    participation_open_problem,
    participation_request_decide,
    participation_request_submit,
    participation_request_withdraw,
    participation_requests_for_officer,
    participation_requests_of_company_member,
)

PAGE_SIZE = 25


def _partnership(request, pk: int, *, manage: bool = False) -> Call:
    call = get_object_or_404(Call.objects.select_related("authority"), pk=pk)
    permission = "calls.manage_call" if manage else "calls.view_call"
    if not is_partnership(call) or not can(request.user, permission, call):
        raise Http404
    return call


def _field_for(error: DomainError, form) -> str | None:
    return error.code if error.code in form.fields else None


# --- Companies -------------------------------------------------------------------------------


@login_required
def request_participation(request, pk: int):
    call = _partnership(request, pk)
    if not is_applicant(request.user):
        raise PermissionDenied
    form = ParticipationRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            participation_request_submit(
                call=call,
                actor=request.user,
                motivation=form.cleaned_data["motivation"],
                document=form.cleaned_data["document"],
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
        participation.may_tender = participation.is_invited and call.is_open
    return render(request, "calls/participation/mine.html", {"page_obj": page})


def _own_request(request, request_pk: int) -> ParticipationRequest:
    participation = get_object_or_404(
        participation_requests_of_company_member(request.user), pk=request_pk
    )
    return participation


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


# --- Procurement officers --------------------------------------------------------------------


@login_required
@require_GET
def officer_participation(request, pk: int):
    call = _partnership(request, pk, manage=True)
    now = timezone.now()
    opened = call.participation_deadline is not None and call.participation_deadline <= now
    requests = (
        participation_requests_for_officer(request.user, now=now)
        .filter(call=call)
        .exclude(status=ParticipationRequest.Status.WITHDRAWN)
        .order_by("submitted_at", "pk")
    )
    counts = dict.fromkeys(ParticipationRequest.Status.values, 0)
    for participation in requests:
        counts[participation.status] += 1
    context = {
        "call": call,
        "opened": opened,
        "requests": requests,
        # Before the deadline the officer learns only how many came in, not from whom.
        "received": sum(counts.values())
        if opened
        else call.participation_requests.exclude(
            status=ParticipationRequest.Status.WITHDRAWN
        ).count(),
        "counts": counts,
        "can_invite": opened and call.invitations_sent_at is None and call.status != "cancelled",
    }
    return render(request, "calls/participation/officer_list.html", context)


@login_required
def officer_participation_decide(request, pk: int, request_pk: int):
    call = _partnership(request, pk, manage=True)
    participation = get_object_or_404(
        participation_requests_for_officer(request.user).filter(call=call), pk=request_pk
    )
    initial = {}
    if participation.status in ("selected", "rejected"):
        initial = {
            "decision": "select" if participation.status == "selected" else "reject",
            "motivation": participation.decision_motivation,
        }
    form = ParticipationDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            participation_request_decide(
                request=participation,
                actor=request.user,
                selected=form.cleaned_data["decision"],
                motivation=form.cleaned_data["motivation"],
            )
        except DomainError as error:
            form.add_error(_field_for(error, form), error.message)
        else:
            messages.success(
                request,
                _("Your decision on %(company)s is saved.")
                % {"company": participation.company.name},
            )
            return redirect("calls:officer_participation", pk=call.pk)
    context = {
        "call": call,
        "participation": participation,
        "form": form,
        "final": call.invitations_sent_at is not None,
    }
    return render(request, "calls/participation/officer_decide.html", context)


@login_required
@require_POST
def officer_participation_invite(request, pk: int):
    call = _partnership(request, pk, manage=True)
    try:
        invited = participation_invitations_send(call=call, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d company is invited to tender; every company that asked to "
                "participate gets an e-mail with your decision.",
                "%(count)d companies are invited to tender; every company that asked to "
                "participate gets an e-mail with your decision.",
                invited,
            )
            % {"count": invited},
        )
    return redirect("calls:officer_participation", pk=call.pk)


public_urlpatterns = [
    path("<int:pk>/participate/", request_participation, name="request_participation"),
    path("participation/", participation_mine, name="participation_mine"),
    path(
        "participation/<int:request_pk>/withdraw/",
        participation_withdraw,
        name="participation_withdraw",
    ),
    path(
        "participation/<int:request_pk>/document/",
        participation_document,
        name="participation_document",
    ),
]

officer_urlpatterns = [
    path("<int:pk>/participation/", officer_participation, name="officer_participation"),
    path(
        "<int:pk>/participation/<int:request_pk>/",
        officer_participation_decide,
        name="officer_participation_decide",
    ),
    path(
        "<int:pk>/participation/invite/",
        officer_participation_invite,
        name="officer_participation_invite",
    ),
]
