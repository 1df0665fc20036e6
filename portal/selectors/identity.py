"""Reads about identity that pages, API and tasks share."""

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import ROLES_REQUIRING_TWO_FACTOR, Membership, Organisation, User


def _memberships(user: User) -> frozenset[tuple[str, int]]:
    """(role, organisation id) of each of the person's memberships: one query, cached on the
    user for the request."""
    cached = getattr(user, "_portal_memberships", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user=user).order_by().values_list("role", "organisation_id")
        )
        user._portal_memberships = cached
    return cached


def roles_of(user: User) -> frozenset[str]:
    """The roles a person holds in any organisation, cached on the user for the request."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(role for role, _organisation in _memberships(user))


def organisation_ids_of(user: User, *, role: str) -> list[int]:
    """The ids of the organisations in which the person holds this role (from the same cached
    query as ``roles_of``). A list of literal ids rather than a subquery: the planner then
    knows how many rows of a big organisation a filter on them keeps."""
    if not user.is_authenticated:
        return []
    return sorted(organisation for held, organisation in _memberships(user) if held == role)


def organisations_of(user: User, *, role: str | None = None):
    memberships = Membership.objects.filter(user=user)
    if role:
        memberships = memberships.filter(role=role)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id")).distinct()


def requires_two_factor(user: User) -> bool:
    """Whether this person must pass a second factor: roles that decide, staff, and whatever
    an app adds through the ``requires_two_factor`` hook (committee seats of independent
    experts, who hold no role)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or roles_of(user) & ROLES_REQUIRING_TWO_FACTOR:
        return True
    from ..hooks import two_factor_required_by_apps

    return two_factor_required_by_apps(user)


def two_factor_enabled(user: User) -> bool:
    """Whether this person confirmed an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    """How many single-use backup codes this person has not used yet."""
    return StaticToken.objects.filter(device__user=user).count()


def authorities() -> QuerySet[Organisation]:
    """Every contracting authority."""
    return Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY)


def public_bodies() -> QuerySet[Organisation]:
    """Contracting authorities and ministries (never companies), by name."""
    return Organisation.objects.exclude(kind=Organisation.Kind.COMPANY).order_by("name")


def no_organisations() -> QuerySet[Organisation]:
    """An empty choice of organisations, narrowed per request by the form or serializer."""
    return Organisation.objects.none()
