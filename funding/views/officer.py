"""The procurement officer's money pages: applying for EZK co-financing, and a call's money
(per phase its budget, what contracts hold, what was paid and what is left; per contract its
milestones), which ministry staff may see too.

Thin views: who may see the page comes from the permission rules, every write is a service
from funding.services, and a refusal of a service (DomainError) becomes a form error or a
message with what was typed kept. Anyone else gets a 404 for a call's money (nobody learns
which calls have money); every figure comes from aggregate queries, so the page costs the
same number of queries for two contracts or two hundred.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from calls.models import Call
from calls.selectors.calls import calls_with_authority
from portal.exceptions import DomainError
from portal.models import Role
from portal.money import ZERO
from portal.permissions import can
from portal.selectors.identity import organisations_of, roles_of

from ..forms.cofinancing import ApplyForm
from ..selectors.calls import call_cofinancing_money, call_contracts_money, call_phase_money
from ..selectors.cofinancing import applications_of_authorities, open_rounds
from ..services.cofinancing import cofinancing_apply

PAGE_SIZE = 25


def _managed_call(request, pk: int) -> Call:
    """The call, if this person manages it; 404 otherwise, so nobody learns it exists."""
    call = get_object_or_404(calls_with_authority(), pk=pk)
    if not can(request.user, "calls.manage_call", call):
        raise Http404
    return call


@login_required
def apply(request, call_pk: int):
    call = _managed_call(request, call_pk)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cofinancing_apply(
                funding_round=data["funding_round"],
                call=call,
                actor=request.user,
                trajectory_cost=data["trajectory_cost"],
                requested=data["requested"],
                motivation=data["motivation"],
                plan=data["plan"],
            )
        except DomainError as error:
            field = {"amount": None, "limit": "requested", "motivation": "motivation"}.get(
                error.code
            )
            form.add_error(field, error.message)
        else:
            messages.success(
                request,
                _("The application for co-financing of %(reference)s is submitted.")
                % {"reference": call.reference},
            )
            return redirect("cofinancing:mine")
    return render(
        request,
        "cofinancing/apply.html",
        {"call": call, "form": form, "has_open_round": open_rounds().exists()},
    )


@login_required
def mine(request):
    if Role.PROCUREMENT_OFFICER not in roles_of(request.user):
        raise PermissionDenied
    authorities = organisations_of(request.user, role=Role.PROCUREMENT_OFFICER)
    applications = applications_of_authorities(authorities)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cofinancing/mine.html", {"page_obj": page})


CONTRACTS_PER_PAGE = 50


@login_required
def call_money(request, call_pk: int):
    call = get_object_or_404(calls_with_authority(), pk=call_pk)
    if not can(request.user, "funding.view_authority_money", call.authority):
        raise Http404
    phases = call_phase_money(call)
    page = Paginator(call_contracts_money(call), CONTRACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "funding/call_money.html",
        {
            "call": call,
            "manages": can(request.user, "calls.manage_call", call),
            "phases": phases,
            "totals": {
                "budget": sum((row.budget for row in phases), ZERO),
                "committed": sum((row.committed for row in phases), ZERO),
                "paid": sum((row.paid for row in phases), ZERO),
                "remaining": sum((row.remaining for row in phases), ZERO),
            },
            "page_obj": page,
            "cofinancing": call_cofinancing_money(call),
        },
    )
