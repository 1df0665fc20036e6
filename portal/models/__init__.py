"""The shared identity layer: people, organisations (authority, company, ministry) and their
memberships with a role.

Every model is imported here, so that Django finds them and the rest of the code
imports them from `portal.models`.
"""

from .identity import (
    ROLE_ORGANISATION_KINDS,
    ROLES_REQUIRING_TWO_FACTOR,
    Membership,
    Organisation,
    Role,
    TeamRole,
    User,
    UserManager,
    kvk_number_validator,
)
from .outbox import OutboxMessage

__all__ = [
    "ROLES_REQUIRING_TWO_FACTOR",
    "ROLE_ORGANISATION_KINDS",
    "Membership",
    "Organisation",
    "OutboxMessage",
    "Role",
    "TeamRole",
    "User",
    "UserManager",
    "kvk_number_validator",
]
