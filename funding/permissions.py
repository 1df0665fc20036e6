"""Who may see the ledger and an authority's money (registered with django-rules)."""

import rules

from portal.models import Role
from portal.permissions import is_ministry_staff


@rules.predicate
def is_officer_of_authority(user, authority) -> bool:
    """A procurement officer of this authority: an authority sees only its own money."""
    if authority is None or not user.is_authenticated:
        return False
    return user.memberships.filter(
        role=Role.PROCUREMENT_OFFICER, organisation_id=authority.pk
    ).exists()


rules.add_perm("funding.view_ledger", is_ministry_staff)
rules.add_perm("funding.view_authority_money", is_ministry_staff | is_officer_of_authority)
rules.add_perm("funding.manage_funds", is_ministry_staff)
rules.add_perm("funding.manage_rounds", is_ministry_staff)
rules.add_perm("funding.decide_cofinancing", is_ministry_staff)
