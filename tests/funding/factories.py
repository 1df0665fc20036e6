"""Co-financed trajectories for the funding and reporting tests."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from calls.models import Call
from calls.services.lifecycle import call_publish
from funding.models import Fund, FundingRound
from funding.services.cofinancing import cofinancing_apply, cofinancing_approve
from funding.services.ledger import fund_open
from portal.models import User
from proposals.models import Contract, Proposal
from tests.calls.factories import draft_call, mission
from tests.proposals.factories import submitted_proposals


def ezk_fund(
    staff: User,
    *,
    code: str = "ezk-2021",
    name: str = "EZK 2021 eenmalig",
    amount: str = "1500000.00",
    period_start: date = date(2021, 1, 1),
    period_end: date = date(2021, 12, 31),
) -> Fund:
    """An EZK fund owned by the staff member's ministry, opened through the service."""
    return fund_open(
        code=code,
        name=name,
        kind=Fund.Kind.EZK,
        owner=staff.memberships.get().organisation,
        period_start=period_start,
        period_end=period_end,
        amount=amount,
        actor=staff,
    )


def co_financed(
    fund: Fund, staff: User, *, title: str, requested: str, funnel=(0, 0, 0), call=None
) -> Call:
    """A published call whose co-financing from `fund` was approved, with a phase funnel:
    (responses to the first phase, awards in it, awards in the second phase, at most as many
    as in the first).

    The awards are written straight to the proposals' status: what the funnel counts, not
    how a decision is made (that is tested with the proposals app).
    """
    now = timezone.now()
    funding_round = FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        fund=fund,
        name=f"Ronde {title}",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
    )
    if call is None:
        call = draft_call(title=title)
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
    officer = call.officer
    call = call_publish(call=call, actor=officer)  # the commitment follows the call
    call.officer = officer
    responses, feasibility, prototype = funnel
    proposals = submitted_proposals(call, responses) if responses else []
    winners = proposals[:feasibility]
    Proposal.objects.filter(pk__in=[p.pk for p in winners]).update(status=Proposal.Status.AWARDED)
    second = call.phases.get(order=2) if prototype else None
    seconds = [
        Proposal.objects.create(
            call=call,
            phase=second,
            company=winner.company,
            created_by=winner.person,
            title=winner.title,
            status=Proposal.Status.AWARDED,
            submitted_at=timezone.now(),
        )
        for winner in winners[:prototype]
    ]
    # Each award has its contract, starting today: what the report counts.
    today = timezone.localdate()
    Contract.objects.bulk_create(
        Contract(
            proposal=proposal,
            amount=Decimal("10000.00"),
            start_date=today,
            end_date=today + timedelta(days=180),
        )
        for proposal in [*winners, *seconds]
    )
    return call
