"""Who may do what with companies' identity, teams and the verification of companies."""

import rules

from portal.models import Membership, Role, TeamRole
from portal.permissions import is_ministry_staff, is_portal_staff


def company_memberships(user) -> list[Membership]:
    """A person's memberships of companies, cached on the user for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_identity_company_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, role=Role.APPLICANT).select_related("organisation")
        )
        user._identity_company_memberships = cached
    return cached


def can_see_team(user) -> bool:
    return bool(company_memberships(user))


@rules.predicate
def is_team_member(user, company) -> bool:
    return company is not None and any(
        m.organisation_id == company.pk for m in company_memberships(user)
    )


@rules.predicate
def is_team_administrator(user, company) -> bool:
    return company is not None and any(
        m.organisation_id == company.pk and m.team_role == TeamRole.ADMINISTRATOR
        for m in company_memberships(user)
    )


rules.add_perm("identity.view_team", is_team_member)
rules.add_perm("identity.manage_team", is_team_administrator)
# Ministry (EZK/RVO) staff check companies in the trade register and verify them.
rules.add_perm("identity.verify_company", is_ministry_staff | is_portal_staff)
