"""A small but complete money story for the reporting tests: an EZK fund, co-financed
trajectories with a phase funnel, a payment and an authority target."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from calls.models import Call
from funding.models import Account, AuthorityTarget, Fund
from funding.services.cofinancing import commitment_pay
from portal.models import Role, User
from tests.factories import MinistryFactory, person_with_role
from tests.funding.factories import co_financed, ezk_fund


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


def scenario(trajectories: int = 2) -> Scenario:
    staff = ministry_staff()
    fund = ezk_fund(staff, period_end=date(2027, 12, 31))
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
