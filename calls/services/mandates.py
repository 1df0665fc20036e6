"""An authority mandates another organisation (RVO) to run its calls, and revokes it.

Only the authority's own procurement officers decide: a mandate is not passed on.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation, User

from ..models import Call, Mandate
from ..permissions import is_directly_officer_of


def mandate_grant(
    *, actor: User, principal: Organisation, agent: Organisation, call: Call | None = None
) -> Mandate:
    if principal.kind != Organisation.Kind.AUTHORITY:
        raise DomainError(_("Only a contracting authority gives a mandate."), code="principal")
    if not is_directly_officer_of(actor, principal.pk):
        raise NotAllowed(_("Only officers of the authority itself can mandate others."))
    if agent.pk == principal.pk or agent.kind == Organisation.Kind.COMPANY:
        raise DomainError(_("Mandate another public organisation, such as RVO."), code="agent")
    if call is not None and call.authority_id != principal.pk:
        raise DomainError(_("The call is not one of this authority's."), code="call")
    active = Mandate.objects.filter(
        principal=principal, agent=agent, call=call, revoked_at__isnull=True
    )
    try:
        with transaction.atomic():
            # One active mandate per pair and call: the authority's row serialises grants.
            Organisation.objects.select_for_update().filter(pk=principal.pk).first()
            if active.exists():
                raise DomainError(_("This mandate exists already."), code="agent")
            mandate = Mandate.objects.create(
                principal=principal, agent=agent, call=call, granted_by=actor
            )
            if call is not None:
                call = Call.objects.select_for_update().get(pk=call.pk)
                call.agent = agent
                call.save(update_fields=["agent"])
    except IntegrityError as error:
        raise DomainError(_("This mandate exists already."), code="agent") from error
    return mandate


def mandate_revoke(*, actor: User, mandate: Mandate) -> Mandate:
    if not is_directly_officer_of(actor, mandate.principal_id):
        raise NotAllowed(_("Only officers of the authority itself can revoke a mandate."))
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
        if mandate.revoked_at is not None:
            raise DomainError(_("This mandate was revoked already."), code="revoked")
        mandate.revoked_at = timezone.now()
        mandate.save(update_fields=["revoked_at"])
        if mandate.call_id is not None:
            call = Call.objects.select_for_update().get(pk=mandate.call_id)
            if call.agent_id == mandate.agent_id:
                call.agent = None
                call.save(update_fields=["agent"])
    return mandate
