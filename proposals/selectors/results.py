"""A call's public results per phase: what the public call page shows.

After a phase's deadline: the number of proposals received. Once the decisions are final
(the standstill has ended and the contracts are concluded): the companies awarded, with the
amount and the date of the contract. Two queries per call, whatever the number of phases,
proposals or contracts.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from calls.models import Call, Phase, Prize

from ..models import Contract, Decision
from .opening import phase_deadline, received_counts


@dataclass
class Award:
    company: str
    title: str
    amount: Decimal
    date: date
    prize_rank: int | None = None
    proposal_id: int | None = None


@dataclass
class PrizeResult:
    """A contest's prize on the public page: its winners, or why it was not awarded."""

    prize: Prize
    winners: list[Award] = field(default_factory=list)
    withheld_reason: str = ""


@dataclass
class PhaseResult:
    phase: Phase
    opened: bool
    received: int = 0
    awards: list[Award] = field(default_factory=list)
    prizes: list[PrizeResult] = field(default_factory=list)

    @property
    def shows_prizes(self) -> bool:
        """A contest whose prizes are decided (awarded, or left unawarded): the winners per
        prize are public."""
        return any(line.winners or line.withheld_reason for line in self.prizes)

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
        Contract.objects.filter(_STANDING_AWARD, proposal__call=call)
        .select_related("proposal__company")
        .order_by("proposal__phase_id", "proposal__company__name", "pk")
    ):
        awards.setdefault(contract.proposal.phase_id, []).append(
            Award(
                company=contract.proposal.company.name,
                title=contract.proposal.title,
                amount=contract.amount,
                date=contract.start_date,
                proposal_id=contract.proposal_id,
            )
        )
    for result in results:
        if result.opened:
            result.received = received.get(result.phase.pk, 0)
            result.awards = awards.get(result.phase.pk, [])
    if call.is_contest:
        _prize_results(call, results)
    return results


@dataclass
class FeedAward:
    """A final award for the results feed: the contract, with its proposal, company, phase and
    call loaded."""

    contract: Contract
    # The rank of the prize an entry of a prize competition or hackathon won; None for an
    # award of a procurement (a contract).
    prize_rank: int | None = None

    @property
    def is_prize(self) -> bool:
        return self.prize_rank is not None

    @property
    def call(self) -> Call:
        return self.contract.proposal.call

    @property
    def phase(self) -> Phase:
        return self.contract.proposal.phase


def latest_final_awards(limit: int) -> list[FeedAward]:
    """The most recent final awards of public calls (those the public results show: awarded
    with a concluded contract, so after the standstill), newest contract start first. A prize
    taken back on objection (``decision_revoke``) is no longer one. One query."""
    contracts = (
        Contract.objects.filter(_STANDING_AWARD, proposal__call__publication_date__isnull=False)
        .exclude(proposal__call__status=Call.Status.DRAFT)
        .select_related("proposal__company", "proposal__phase", "proposal__call__authority")
        .annotate(prize_rank=_PRIZE_RANK)
        .order_by("-start_date", "-pk")[:limit]
    )
    return [FeedAward(contract=contract, prize_rank=contract.prize_rank) for contract in contracts]


# The contract's award stands: its proposal has a final award decision. A prize decision
# revoked under the Awb is withdrawn (and its contract ended): its contract is no result.
_STANDING_AWARD = Exists(
    Decision.objects.filter(
        proposal_id=OuterRef("proposal_id"),
        kind=Decision.Kind.AWARD,
        status=Decision.Status.FINAL,
    )
)


# The rank of the prize the contract's final award gave (an entry of a contest), if any.
_PRIZE_RANK = Subquery(
    Decision.objects.filter(
        proposal_id=OuterRef("proposal_id"),
        kind=Decision.Kind.AWARD,
        status=Decision.Status.FINAL,
        prize__isnull=False,
    ).values("prize__rank")[:1]
)


def _prize_results(call: Call, results: list[PhaseResult]) -> None:
    """Per prize its winners (final awards) and the reason it was left unawarded; two
    queries more, for a contest only."""
    ranks = dict(
        Decision.objects.filter(
            phase__call=call,
            kind=Decision.Kind.AWARD,
            status=Decision.Status.FINAL,
            prize__isnull=False,
        ).values_list("proposal_id", "prize__rank")
    )
    prizes = Prize.objects.filter(phase__call=call).select_related("withholding").order_by("rank")
    by_phase: dict[int, list[Prize]] = {}
    for prize in prizes:
        by_phase.setdefault(prize.phase_id, []).append(prize)
    for result in results:
        if not result.opened:
            continue
        for award in result.awards:
            award.prize_rank = ranks.get(award.proposal_id or 0)
        for prize in by_phase.get(result.phase.pk, []):
            withholding = getattr(prize, "withholding", None)
            result.prizes.append(
                PrizeResult(
                    prize=prize,
                    winners=[a for a in result.awards if a.prize_rank == prize.rank],
                    withheld_reason=withholding.reason if withholding else "",
                )
            )
