"""Ministry (EZK/RVO) staff: companies and whether they were verified, and verifying one
after checking it in the trade register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exceptions import DomainError
from portal.models import Organisation
from portal.permissions import can

from ..countries import country_name
from ..forms.verification import RegisterCheckForm, RevokeVerificationForm
from ..models import CompanyVerification
from ..selectors.identity import (
    claims_of,
    companies_for_verification,
    team_of,
    verifications_of,
)
from ..services.companies import company_verification_revoke, company_verify_by_register_check


def _require(request) -> None:
    if not can(request.user, "identity.verify_company"):
        raise Http404


@login_required
def companies(request):
    _require(request)
    state = request.GET.get("state", "unverified")
    if state not in ("unverified", "verified", "all"):
        state = "unverified"
    search = request.GET.get("q", "").strip()
    page = Paginator(
        companies_for_verification(state="" if state == "all" else state, search=search), 25
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "identity/companies.html",
        {"page_obj": page, "state": state, "q": search},
    )


def _company_page(request, company, *, form=None, status=200):
    return render(
        request,
        "identity/company.html",
        {
            "company": company,
            "country": country_name(company.country),
            "team": team_of(company),
            "verifications": verifications_of(company),
            "claims": claims_of(company),
            "form": form or RegisterCheckForm(),
        },
        status=status,
    )


@login_required
def company(request, pk: int):
    _require(request)
    company = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.COMPANY)
    if request.method == "POST":
        form = RegisterCheckForm(request.POST)
        if form.is_valid():
            try:
                company_verify_by_register_check(
                    company=company, actor=request.user, evidence=form.cleaned_data["evidence"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("%(company)s is verified.") % {"company": company.name})
                return redirect("identity:company", pk=company.pk)
        return _company_page(request, company, form=form, status=400)
    return _company_page(request, company)


@login_required
@require_POST
def verification_revoke(request, pk: int):
    _require(request)
    verification = get_object_or_404(CompanyVerification, pk=pk)
    form = RevokeVerificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for withdrawing the verification."))
    else:
        try:
            company_verification_revoke(
                verification=verification, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The verification is withdrawn."))
    return redirect("identity:company", pk=verification.company_id)
