"""Writes for identity: memberships. Registration and teams are in portal.identity.services."""

from django.utils.translation import gettext as _

from ..exceptions import DomainError
from ..models import ROLE_ORGANISATION_KINDS, Membership, Organisation, Role, User


def membership_grant(*, organisation: Organisation, user: User, role: str) -> Membership:
    """Give a person a role in an organisation, if that role belongs in that kind."""
    if organisation.kind not in ROLE_ORGANISATION_KINDS[Role(role)]:
        raise DomainError(
            _("The role “%(role)s” cannot be held in a %(kind)s.")
            % {"role": Role(role).label, "kind": organisation.get_kind_display()},
            code="role_kind",
        )
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    return membership
