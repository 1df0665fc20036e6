"""Ministry staff run EZK's co-financing rounds: prepare one (draft), open it, close it.

The status moves only along ROUND_TRANSITIONS (next to the model, through portal.states);
each move is one service that locks the round and moves it.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from calls.models import Call
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.money import round_cents
from portal.permissions import can

from ..models import Fund, FundingRound


def _require_staff(actor: User) -> None:
    if not can(actor, "funding.manage_rounds"):
        raise NotAllowed(_("Only ministry staff manage co-financing rounds."))


def _check(
    *,
    fund: Fund,
    opens_at: datetime,
    closes_at: datetime,
    max_share: Decimal,
    max_amount,
    instruments: list[str],
    publish_by: date | None,
) -> None:
    if fund.kind != Fund.Kind.EZK:
        raise DomainError(_("A round distributes an EZK fund."), code="fund")
    if closes_at <= opens_at:
        raise DomainError(_("The round must close after it opens."), code="closes_at")
    if not Decimal("0") < Decimal(max_share) <= Decimal("1"):
        raise DomainError(_("The share is more than 0% and at most 100%."), code="max_share")
    if round_cents(max_amount) <= 0:
        raise DomainError(
            _("The maximum per trajectory must be more than zero."), code="max_amount"
        )
    known = set(Call.Instrument.values)
    if not instruments or not set(instruments) <= known:
        raise DomainError(_("Choose at least one instrument."), code="instruments")
    if publish_by is not None and publish_by < closes_at.date():
        raise DomainError(
            _("The date by which calls must be published lies after the round closes."),
            code="publish_by",
        )


def round_create(
    *,
    actor: User,
    fund: Fund,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    max_share: Decimal,
    max_amount,
    instruments: list[str],
    mission_required: bool = True,
    allocation: str = FundingRound.Allocation.FIRST_COME,
    publish_by: date | None = None,
) -> FundingRound:
    """A round in preparation: nobody can apply until it is opened."""
    _require_staff(actor)
    if not name.strip():
        raise DomainError(_("Give the round a name."), code="name")
    if allocation not in FundingRound.Allocation.values:
        raise DomainError(_("Choose how the money is allocated."), code="allocation")
    _check(
        fund=fund,
        opens_at=opens_at,
        closes_at=closes_at,
        max_share=max_share,
        max_amount=max_amount,
        instruments=instruments,
        publish_by=publish_by,
    )
    return FundingRound.objects.create(
        fund=fund,
        name=name.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        max_share=Decimal(max_share),
        max_amount=round_cents(max_amount),
        instruments=list(dict.fromkeys(instruments)),
        mission_required=mission_required,
        allocation=allocation,
        publish_by=publish_by,
    )


def round_open(*, funding_round: FundingRound, actor: User) -> FundingRound:
    """Applications are accepted from now on, within the round's window."""
    _require_staff(actor)
    with transaction.atomic():
        funding_round = FundingRound.objects.select_for_update().get(pk=funding_round.pk)
        states.transition(funding_round, FundingRound.Status.OPEN, actor=actor)
    return funding_round


def round_close(*, funding_round: FundingRound, actor: User) -> FundingRound:
    """No more applications; the ones received are still decided."""
    _require_staff(actor)
    with transaction.atomic():
        funding_round = FundingRound.objects.select_for_update().get(pk=funding_round.pk)
        states.transition(funding_round, FundingRound.Status.CLOSED, actor=actor)
    return funding_round
