"""A small but complete money story for the reporting tests: an EZK fund, co-financed
trajectories with a phase funnel, a payment and an authority target."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from calls.models import Call
from funding.models import Account, AuthorityTarget, Fund, FundingRound
from funding.services import cofinancing_apply, cofinancing_approve, commitment_pay, fund_open
from portal.models import Role, User
from proposals.models import Proposal
from tests.calls.factories import mission, published_call
from tests.factories import MinistryFactory, person_with_role
from tests.proposals.factories import submitted_proposals


@dataclass
class Scenario:
    staff: User
    fund: Fund
    calls: list[Call]
    appropriated: Decimal
    committed: Decimal
    paid: Decimal


def ministry_staff() -> User:
    return person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))


def co_financed(fund: Fund, staff: User, *, title: str, requested: str, funnel=(0, 0, 0)) -> Call:
    """A published call whose co-financing was approved, with (responses, feasibility awards)
    in its first phase; the prototype count needs a second phase and is left to the caller."""
    now = timezone.now()
    funding_round = FundingRound.objects.create(
        fund=fund,
        name=f"Ronde {title}",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    call = published_call(title=title)
    call.missions.set([mission("energy")])
    application = cofinancing_apply(
        funding_round=funding_round,
        call=call,
        actor=call.officer,
        trajectory_cost=Decimal(requested) * 2,
        requested=requested,
        motivation="Past bij de missie.",
    )
    cofinancing_approve(application=application, actor=staff)
    responses, feasibility, _prototype = funnel
    proposals = submitted_proposals(call, responses) if responses else []
    Proposal.objects.filter(pk__in=[p.pk for p in proposals[:feasibility]]).update(
        status=Proposal.Status.AWARDED
    )
    return call


def scenario(trajectories: int = 2) -> Scenario:
    staff = ministry_staff()
    fund = fund_open(
        code="ezk-2021",
        name="EZK 2021 eenmalig",
        kind=Fund.Kind.EZK,
        owner=staff.memberships.get().organisation,
        period_start=date(2021, 1, 1),
        period_end=date(2027, 12, 31),
        amount="1500000.00",
        actor=staff,
    )
    calls = [
        co_financed(
            fund,
            staff,
            title=f"Trajectory {number}",
            requested="250000.00",
            funnel=(3, 2, 0) if number == 0 else (0, 0, 0),
        )
        for number in range(trajectories)
    ]
    commitment = Account.objects.get(application__call=calls[0])
    commitment_pay(account=commitment, amount="100000.00", actor=staff, description="Mijlpaal 1")
    AuthorityTarget.objects.create(
        authority=calls[0].authority,
        year=timezone.localdate().year,
        measure=AuthorityTarget.Measure.TRAJECTORIES,
        target=Decimal(4),
    )
    committed = Decimal("250000.00") * trajectories - Decimal("100000.00")
    return Scenario(
        staff=staff,
        fund=fund,
        calls=calls,
        appropriated=Decimal("1500000.00"),
        committed=committed,
        paid=Decimal("100000.00"),
    )
