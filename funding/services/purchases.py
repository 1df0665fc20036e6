"""An officer records a follow-up purchase (phase 3): the authority bought the solution that a
trajectory developed."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Call
from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation, User
from portal.permissions import can
from proposals.models import Proposal

from ..models import FollowUpPurchase
from .ledger import _positive


def follow_up_purchase_record(
    *,
    actor: User,
    call: Call,
    supplier: Organisation,
    amount,
    purchased_on: date,
    description: str,
) -> FollowUpPurchase:
    if not can(actor, "calls.manage_call", call):
        raise NotAllowed(_("Only officers who run the call record its follow-up purchases."))
    amount = _positive(amount)
    if purchased_on > timezone.localdate():
        raise DomainError(_("A purchase is recorded once it was made."), code="purchased_on")
    if not Proposal.objects.filter(
        call=call, company=supplier, status=Proposal.Status.AWARDED
    ).exists():
        raise DomainError(
            _("The supplier must be a company that developed the solution in this call."),
            code="supplier",
        )
    if not description.strip():
        raise DomainError(_("Say what was bought."), code="description")
    return FollowUpPurchase.objects.create(
        call=call,
        supplier=supplier,
        amount=amount,
        purchased_on=purchased_on,
        description=description.strip(),
        recorded_by=actor,
    )
