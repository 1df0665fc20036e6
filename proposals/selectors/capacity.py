"""What a phase can still award: budget and number of awards left.

One answer for the officer's pages and for the award service (which asks it with the phase
row locked, so that two officers cannot both take the last place or the last euro).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from calls.models import Phase
from portal.money import ZERO

from ..models import Contract, Decision, Deliverable, Proposal


@dataclass(frozen=True)
class PhaseCapacity:
    budget_left: Decimal
    awarded: int
    awards_left: int


def phase_committed(phase: Phase) -> Decimal:
    """What the phase's contracts take of its budget.

    A running contract takes its whole amount; an ended one (completed or terminated) only
    what its accepted milestones paid, since the rest was released.
    """
    running = (
        Contract.objects.filter(proposal__phase=phase, status=Contract.Status.ACTIVE)
        .order_by()
        .aggregate(total=Sum("amount"))["total"]
    )
    paid_by_ended = (
        Deliverable.objects.filter(
            contract__proposal__phase=phase, status=Deliverable.Status.ACCEPTED
        )
        .exclude(contract__status=Contract.Status.ACTIVE)
        .order_by()
        .aggregate(total=Sum("amount"))["total"]
    )
    return (running or ZERO) + (paid_by_ended or ZERO)


def phase_intended(phase: Phase) -> tuple[int, Decimal]:
    """Intended awards of the phase still in their standstill: their number and amount.

    They hold their place and their money: the contract follows when the period passes.
    """
    row = (
        Decision.objects.filter(
            phase=phase, kind=Decision.Kind.AWARD, status=Decision.Status.INTENDED
        )
        .order_by()
        .aggregate(n=Count("pk"), total=Sum("amount"))
    )
    return row["n"] or 0, row["total"] or ZERO


def phase_capacity(phase: Phase, *, awarded: int | None = None) -> PhaseCapacity:
    """Budget left and awards left; ``awarded`` saves a query for a page that counted it.

    Intended awards count as made: they hold their place and their amount.
    """
    if awarded is None:
        awarded = Proposal.objects.filter(phase=phase, status=Proposal.Status.AWARDED).count()
    intended, intended_amount = phase_intended(phase)
    awarded += intended
    return PhaseCapacity(
        budget_left=phase.budget - phase_committed(phase) - intended_amount,
        awarded=awarded,
        awards_left=max(phase.planned_awards - awarded, 0),
    )
