"""A company's team: every member sees it; administrators invite, change roles and remove."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exceptions import DomainError
from portal.models import Membership, Organisation
from portal.permissions import can

from ..forms.team import (
    CompanyDetailsForm,
    InvitationForm,
    InvitationNewAccountForm,
    TeamRoleForm,
)
from ..permissions import company_memberships
from ..selectors.identity import (
    company_memberships_with_people,
    invitations_with_company,
    open_invitations_of,
    organisation_for_editing,
    team_of,
)
from ..services.companies import company_details_update
from ..services.teams import (
    team_invitation_accept,
    team_invitation_accept_new_account,
    team_invitation_find,
    team_invitation_withdraw,
    team_invite,
    team_member_remove,
    team_role_change,
)


def _company(request) -> Organisation:
    """The company whose team is shown: ?company= for people in more than one."""
    memberships = company_memberships(request.user)
    if not memberships:
        raise Http404
    wanted = request.GET.get("company") or request.POST.get("company")
    for membership in memberships:
        if str(membership.organisation_id) == wanted:
            return membership.organisation
    return memberships[0].organisation


def _team_page(request, company: Organisation, *, invite_form=None, details_form=None, status=200):
    manage = can(request.user, "identity.manage_team", company)
    context = {
        "details_form": details_form or CompanyDetailsForm(instance=company),
        "company": company,
        "companies": [m.organisation for m in company_memberships(request.user)],
        "team": team_of(company),
        "invitations": open_invitations_of(company) if manage else [],
        "can_manage": manage,
        "invite_form": invite_form or InvitationForm(),
        "role_form": TeamRoleForm(),
        "invitation_days": settings.TEAM_INVITATION_DAYS,
    }
    return render(request, "identity/team.html", context, status=status)


@login_required
def team(request):
    return _team_page(request, _company(request))


@login_required
@require_POST
def team_invite_view(request):
    company = _company(request)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = team_invite(
                company=company,
                actor=request.user,
                email=form.cleaned_data["email"],
                team_role=form.cleaned_data["team_role"],
            )
        except DomainError as error:
            if error.status_code == 403:
                raise Http404 from error
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return redirect(f"{reverse('identity:team')}?company={company.pk}")
    return _team_page(request, company, invite_form=form, status=400)


@login_required
@require_POST
def company_details_view(request):
    company = _company(request)
    if not can(request.user, "identity.manage_team", company):
        raise Http404
    form = CompanyDetailsForm(request.POST, instance=organisation_for_editing(company))
    if form.is_valid():
        try:
            company_details_update(company=company, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The company's details are saved."))
            return redirect(f"{reverse('identity:team')}?company={company.pk}")
    return _team_page(request, company, details_form=form, status=400)


def _membership(request, pk: int) -> Membership:
    membership = get_object_or_404(company_memberships_with_people(), pk=pk)
    if not can(request.user, "identity.view_team", membership.organisation):
        raise Http404
    return membership


@login_required
@require_POST
def team_member_remove_view(request, pk: int):
    membership = _membership(request, pk)
    company = membership.organisation
    leaving = membership.user_id == request.user.pk
    try:
        team_member_remove(membership=membership, actor=request.user)
    except DomainError as error:
        if error.status_code == 403:
            raise Http404 from error
        messages.error(request, error.message)
    else:
        if leaving:
            messages.success(request, _("You left %(company)s.") % {"company": company.name})
            return redirect("dashboard")
        messages.success(
            request,
            _("%(name)s no longer acts for %(company)s.")
            % {"name": membership.user, "company": company.name},
        )
    return redirect(f"{reverse('identity:team')}?company={company.pk}")


@login_required
@require_POST
def team_role_view(request, pk: int):
    membership = _membership(request, pk)
    form = TeamRoleForm(request.POST)
    if form.is_valid():
        try:
            team_role_change(
                membership=membership, actor=request.user, team_role=form.cleaned_data["team_role"]
            )
        except DomainError as error:
            if error.status_code == 403:
                raise Http404 from error
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role is changed."))
    return redirect(f"{reverse('identity:team')}?company={membership.organisation_id}")


@login_required
@require_POST
def team_invitation_withdraw_view(request, pk: int):
    invitation = get_object_or_404(invitations_with_company(), pk=pk)
    if not can(request.user, "identity.manage_team", invitation.company):
        raise Http404
    team_invitation_withdraw(invitation=invitation, actor=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect(f"{reverse('identity:team')}?company={invitation.company_id}")


def invitation(request, token: str):
    """The link from the invitation e-mail: accept while logged in, log in, or make an account."""
    found = team_invitation_find(token)
    if found is None or not found.is_open:
        return render(
            request, "identity/invitation_invalid.html", {"invitation": found}, status=404
        )
    form = InvitationNewAccountForm(email=found.email)
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                team_invitation_accept(token=token, user=request.user)
                messages.success(
                    request,
                    _("Welcome to the team of %(company)s.") % {"company": found.company.name},
                )
                return redirect(f"{reverse('identity:team')}?company={found.company_id}")
            form = InvitationNewAccountForm(request.POST, email=found.email)
            if form.is_valid():
                user = team_invitation_accept_new_account(
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                )
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Welcome to the team of %(company)s.") % {"company": found.company.name},
                )
                return redirect("dashboard")
        except DomainError as error:
            if request.user.is_authenticated:
                messages.error(request, error.message)
            else:
                form.add_error(None, error.message)
    login_url = f"{reverse('login')}?{urlencode({'next': request.path})}"
    return render(
        request,
        "identity/invitation.html",
        {"invitation": found, "form": form, "login_url": login_url},
        status=400 if request.method == "POST" else 200,
    )
