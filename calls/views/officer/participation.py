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
from portal.forms.base import parse_id

from ...forms.participation import (
    ExclusionGroundForm,
    InvitationsForm,
    MinimumInvitationsForm,
    ParticipationAssessmentForm,
    SelectionCriterionForm,
)
from ...models import ParticipationRequest
from ...selectors.participation import participation_requests_for_officer
from ...selectors.selection import (
    exclusion_grounds_of,
    qualifying_requests,
    selection_criteria_of,
    with_declaration,
)
from ...services.participation import participation_invitations_send, participation_request_decide
from ...services.selection import (
    exclusion_ground_add,
    exclusion_ground_delete,
    selection_criterion_add,
    selection_criterion_delete,
    selection_minimum_set,
)
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
        "invitations_form": InvitationsForm(),
        "qualifying": qualifying_requests(call).count() if opened else 0,
    }
    return render(request, "calls/participation/officer_list.html", context)


@login_required
def officer_participation_decide(request, pk: int, request_pk: int):
    call = _partnership(request, pk, manage=True)
    participation = get_object_or_404(
        with_declaration(participation_requests_for_officer(request.user).filter(call=call)),
        pk=request_pk,
    )
    initial = {}
    if participation.is_decided and not participation.is_excluded:
        initial = {
            "decision": "select" if participation.status == "selected" else "reject",
            "motivation": participation.decision_motivation,
        }
    elif participation.is_excluded:
        initial = {"decision": "reject", "motivation": participation.decision_motivation}
    form = ParticipationAssessmentForm(
        request.POST or None, initial=initial, participation=participation
    )
    if request.method == "POST" and form.is_valid():
        try:
            participation_request_decide(
                request=participation,
                actor=request.user,
                selected=form.cleaned_data["decision"],
                motivation=form.cleaned_data["motivation"],
                **form.assessment(),
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
    form = InvitationsForm(request.POST)
    form.is_valid()  # one optional text field: always valid, at most cut to its length
    try:
        invited = participation_invitations_send(
            call=call, actor=request.user, fewer_reason=form.cleaned_data.get("fewer_reason", "")
        )
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


SELECTION_FORMS = {
    "criterion": SelectionCriterionForm,
    "ground": ExclusionGroundForm,
    "minimum": MinimumInvitationsForm,
}


@login_required
def officer_selection(request, pk: int):
    """The call's selection criteria and exclusion grounds: read always, edited while the
    call is a draft (add, remove; the minimum number of candidates to invite)."""
    call = _partnership(request, pk, manage=True)
    forms = {
        "criterion": SelectionCriterionForm(prefix="criterion"),
        "ground": ExclusionGroundForm(prefix="ground"),
        "minimum": MinimumInvitationsForm(
            prefix="minimum", initial={"min_invitations": call.min_invitations}
        ),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in SELECTION_FORMS:
                form = SELECTION_FORMS[action](request.POST, prefix=action)
                forms[action] = form
                if form.is_valid():
                    data = form.cleaned_data
                    if action == "criterion":
                        selection_criterion_add(call=call, actor=request.user, **data)
                    elif action == "ground":
                        exclusion_ground_add(call=call, actor=request.user, **data)
                    else:
                        selection_minimum_set(
                            call=call, actor=request.user, minimum=data["min_invitations"]
                        )
                    messages.success(request, _("The selection is saved."))
                    return redirect("calls:officer_selection", pk=call.pk)
            elif action == "delete_criterion":
                criterion = get_object_or_404(
                    selection_criteria_of(call), pk=parse_id(request.POST.get("id"))
                )
                selection_criterion_delete(criterion=criterion, actor=request.user)
                messages.success(request, _("The criterion is removed."))
                return redirect("calls:officer_selection", pk=call.pk)
            elif action == "delete_ground":
                ground = get_object_or_404(
                    exclusion_grounds_of(call), pk=parse_id(request.POST.get("id"))
                )
                exclusion_ground_delete(ground=ground, actor=request.user)
                messages.success(request, _("The exclusion ground is removed."))
                return redirect("calls:officer_selection", pk=call.pk)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("calls:officer_selection", pk=call.pk)
    context = {
        "call": call,
        "criteria": selection_criteria_of(call),
        "grounds": exclusion_grounds_of(call),
        "editable": call.is_draft,
        "forms": forms,
    }
    return render(request, "calls/participation/officer_selection.html", context)
