"""Ministry staff's pages for funds: the list with a form to create one, and booking an
appropriation or a correction on a fund. Thin: the rules are in funding.services.funds, the
reads in funding.selectors.funds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.exceptions import DomainError
from portal.permissions import can

from ..forms.funds import AppropriationForm, FundForm
from ..selectors.funds import budget_years as fund_budget_years
from ..selectors.funds import ezk_fund_balances, ezk_fund_by_code
from ..services.funds import appropriation_book, fund_create


def _require_staff(request) -> None:
    if not can(request.user, "funding.manage_funds"):
        raise PermissionDenied


@login_required
def funds(request):
    _require_staff(request)
    form = FundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fund = fund_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The fund %(name)s is created.") % {"name": fund.name})
            return redirect("funding:funds")
    return render(request, "funding/funds.html", {"balances": ezk_fund_balances(), "form": form})


@login_required
def appropriate(request, fund_code: str):
    _require_staff(request)
    fund = ezk_fund_by_code(fund_code)
    if fund is None:
        raise Http404
    form = AppropriationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appropriation_book(
                fund=fund,
                actor=request.user,
                amount=data["amount"],
                description=data["description"],
                correction=data["kind"] == "correction",
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The transaction is booked."))
            return redirect("funding:transactions", fund_code=fund.code)
    return render(request, "funding/appropriate.html", {"fund": fund, "form": form})


@login_required
def budget_years(request, fund_code: str):
    _require_staff(request)
    fund = ezk_fund_by_code(fund_code)
    if fund is None:
        raise Http404
    return render(request, "funding/budget_years.html", {"view": fund_budget_years(fund)})
