"""Reads of mandates: who may run whose calls."""

from django.db.models import Q, QuerySet

from portal.models import Membership, Organisation, Role, User

from ..models import Mandate


def mandated_agent(user: User, authority: Organisation) -> Organisation | None:
    """The organisation through which this person acts for the authority in general."""
    own = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    mandate = (
        Mandate.objects.filter(
            principal=authority, agent__in=own, call__isnull=True, revoked_at__isnull=True
        )
        .select_related("agent")
        .first()
    )
    return mandate.agent if mandate else None


def mandates_of(user: User) -> QuerySet[Mandate]:
    """The mandates this person's organisations gave or hold, active ones first."""
    own = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    return (
        Mandate.objects.filter(Q(principal__in=own) | Q(agent__in=own))
        .select_related("principal", "agent", "call", "granted_by")
        .order_by("revoked_at", "-granted_at", "-pk")
    )


def no_mandates() -> QuerySet[Mandate]:
    return Mandate.objects.none()


def mandate_of_user(user: User, pk: int) -> Mandate | None:
    return mandates_of(user).filter(pk=pk).first()


def possible_agents(principal_ids) -> QuerySet[Organisation]:
    """Organisations that can be mandated: other authorities and agencies (RVO)."""
    return (
        Organisation.objects.filter(
            kind__in=(Organisation.Kind.AUTHORITY, Organisation.Kind.MINISTRY)
        )
        .exclude(pk__in=principal_ids)
        .order_by("name")
    )
