"""A call's money: per phase its budget, what contracts hold, what was paid and what is left;
per contract its milestones. For the officers of the call's authority and ministry staff.

Anyone else gets a 404 (nobody learns which calls have money); an anonymous visitor is sent
to the login page first. Every figure comes from aggregate queries: the page costs the same
number of queries for two contracts or two hundred.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from calls.models import Call

from .selectors import ZERO, call_cofinancing_money, call_contracts_money, call_phase_money

CONTRACTS_PER_PAGE = 50


@login_required
def call_money(request, call_pk: int):
    call = get_object_or_404(Call.objects.select_related("authority"), pk=call_pk)
    if not request.user.has_perm("funding.view_authority_money", call.authority):
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
            "manages": request.user.has_perm("calls.manage_call", call),
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
