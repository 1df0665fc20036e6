"""A call's public results per phase: what the public call page shows.

After a phase's deadline: the number of proposals received. Once the decisions are final
(the standstill has ended and the contracts are concluded): the companies awarded, with the
amount and the date of the contract. Two queries per call, whatever the number of phases,
proposals or contracts.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from calls.models import Call, Phase

from ..models import Contract
from .opening import phase_deadline, received_counts


@dataclass
class Award:
    company: str
    title: str
    amount: Decimal
    date: date


@dataclass
class PhaseResult:
    phase: Phase
    opened: bool
    received: int = 0
    awards: list[Award] = field(default_factory=list)

    @property
    def is_final(self) -> bool:
        """The phase's contracts are concluded: its results are public."""
        return bool(self.awards)


def call_results(call: Call, phases: list[Phase]) -> list[PhaseResult]:
    """The results per phase (``phases``: the call's phases, already loaded)."""
    now = timezone.now()
    results = []
    for phase in phases:
        phase.call = call
        deadline = phase_deadline(phase)
        results.append(PhaseResult(phase=phase, opened=deadline is not None and deadline <= now))
    if not any(result.opened for result in results):
        return results
    received = received_counts(call=call)
    awards: dict[int, list[Award]] = {}
    for contract in (
        Contract.objects.filter(proposal__call=call)
        .select_related("proposal__company")
        .order_by("proposal__phase_id", "proposal__company__name", "pk")
    ):
        awards.setdefault(contract.proposal.phase_id, []).append(
            Award(
                company=contract.proposal.company.name,
                title=contract.proposal.title,
                amount=contract.amount,
                date=contract.start_date,
            )
        )
    for result in results:
        if result.opened:
            result.received = received.get(result.phase.pk, 0)
            result.awards = awards.get(result.phase.pk, [])
    return results
