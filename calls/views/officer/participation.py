"""Innovation partnership, stage 1: the officer reviews the requests to participate once
their deadline has passed, selects or rejects each, and sends the invitations to tender.

Views stay thin: calls/services/participation.py holds the rules.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from portal.exceptions import DomainError

from ...forms.participation import ParticipationDecisionForm
from ...models import ParticipationRequest
from ...selectors.participation import participation_requests_for_officer
from ...services.participation import participation_invitations_send, participation_request_decide
from ..public import _partnership
from .calls import _field_for

# --- Procurement officers --------------------------------------------------------------------


REQUESTS_PER_PAGE = 50


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
    counts.update(requests.order_by().values_list("status").annotate(number=Count("pk")))
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "call": call,
        "opened": opened,
        "requests": page,
        "page_obj": page,
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
