"""The committee's ranking of a phase: weighted scores, thresholds, ties and spread.

A proposal's score per criterion is the chair's consensus score when recorded, else the
mean of the submitted assessments (of assignments not withdrawn). Computed from two queries
whatever the number of proposals, assessors or criteria.

A committee seat sees the ranking of only the proposals it is cleared for
(``ranking_for_seat``, through ``selectors.assessment.cleared_proposals``): ranked among
themselves, so that the place of a hidden proposal cannot be read from a gap in the ranks.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from calls.models import Call, Phase

from ..models import (
    Assessment,
    CommitteeMember,
    ConsensusScore,
    CriterionScore,
    Decision,
    Proposal,
)
from .assessment import RANKED_STATUSES, cleared_proposals

# Scores (means and weighted totals) are shown and compared with two decimals.
SCORE_PLACES = Decimal("0.01")
# Assessors further apart than this share of the scale on a criterion need to talk.
SPREAD_SHARE = Decimal("0.3")


def score_round(value: Decimal) -> Decimal:
    """A score to two decimals, half up (a mean of 7, 8 and 8 is 7.67)."""
    return value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class RankingRow:
    proposal: Proposal
    scores: dict[int, Decimal] = field(default_factory=dict)
    consensus: set[int] = field(default_factory=set)
    assessments: int = 0
    weighted: Decimal | None = None
    eligible: bool = False
    reasons: list[str] = field(default_factory=list)
    large_spread: list[int] = field(default_factory=list)
    rank: int | None = None
    # The officer's phase page fills it in (``standing_decisions_by_proposal``): not advice.
    decision: Decision | None = None

    def as_dict(self) -> dict:
        return {
            "proposal": self.proposal.pk,
            "submission_number": self.proposal.submission_number,
            "title": self.proposal.title,
            "scores": {str(k): str(v) for k, v in self.scores.items()},
            "weighted": str(self.weighted) if self.weighted is not None else None,
            "eligible": self.eligible,
            "reasons": self.reasons,
            "large_spread": self.large_spread,
            "rank": self.rank,
        }


def ranking_for_seat(seat: CommitteeMember) -> list[RankingRow]:
    """The ranking as this seat may see it: only the proposals it is cleared for."""
    return ranking_for(seat.committee.phase, among=cleared_proposals(seat))


def ranking_for(phase: Phase, *, among: QuerySet[Proposal] | None = None) -> list[RankingRow]:
    """The phase's ranking; with ``among``, of those proposals only, ranked among themselves."""
    criteria = list(phase.criteria.all())
    ranked = Proposal.objects.filter(phase=phase, status__in=RANKED_STATUSES)
    scores = CriterionScore.objects.filter(
        assessment__assignment__proposal__phase=phase,
        assessment__assignment__withdrawn_at__isnull=True,
        assessment__status=Assessment.Status.SUBMITTED,
    )
    consensus = ConsensusScore.objects.filter(proposal__phase=phase)
    if among is not None:
        ids = among.values("pk")
        ranked = ranked.filter(pk__in=ids)
        scores = scores.filter(assessment__assignment__proposal_id__in=ids)
        consensus = consensus.filter(proposal_id__in=ids)
    proposals = list(ranked.select_related("company"))
    # proposal -> criterion -> [scores]
    given: defaultdict[int, defaultdict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    assessors: defaultdict[int, set[int]] = defaultdict(set)
    for proposal_id, assessment_id, criterion_id, score in scores.values_list(
        "assessment__assignment__proposal_id", "assessment_id", "criterion_id", "score"
    ):
        given[proposal_id][criterion_id].append(score)
        assessors[proposal_id].add(assessment_id)
    agreed = {
        (proposal_id, criterion_id): score
        for proposal_id, criterion_id, score in consensus.values_list(
            "proposal_id", "criterion_id", "score"
        )
    }

    rows = [_row(p, criteria, given[p.pk], agreed, len(assessors[p.pk]), phase) for p in proposals]
    rows.sort(key=lambda row: _order_key(row, criteria, phase.call.tie_break))
    rank = 0
    for row in rows:
        if row.eligible:
            rank += 1
            row.rank = rank
    return rows


def _row(proposal, criteria, given, agreed, assessments, phase) -> RankingRow:
    row = RankingRow(proposal=proposal, assessments=assessments)
    total = Decimal("0")
    complete = True
    for criterion in criteria:
        if (proposal.pk, criterion.pk) in agreed:
            score = Decimal(agreed[(proposal.pk, criterion.pk)])
            row.consensus.add(criterion.pk)
        elif given.get(criterion.pk):
            values = given[criterion.pk]
            score = score_round(Decimal(sum(values)) / len(values))
            scale = Decimal(criterion.scale_max - criterion.scale_min)
            if len(values) > 1 and max(values) - min(values) >= SPREAD_SHARE * scale:
                row.large_spread.append(criterion.pk)
        else:
            complete = False
            continue
        row.scores[criterion.pk] = score
        total += score * criterion.weight
        if criterion.threshold is not None and score < criterion.threshold:
            row.reasons.append(
                _("Below the minimum of %(min)d on “%(name)s”.")
                % {"min": criterion.threshold, "name": criterion.name}
            )
    if not complete:
        row.reasons.append(_("Not yet scored on every criterion."))
        return row
    row.weighted = score_round(total / 100)
    if phase.overall_threshold is not None and row.weighted < phase.overall_threshold:
        row.reasons.append(
            _("Below the minimum weighted score of %(min)s.") % {"min": phase.overall_threshold}
        )
    row.eligible = not row.reasons
    return row


def _order_key(row: RankingRow, criteria, tie_break: str):
    weighted = row.weighted if row.weighted is not None else Decimal("-1")
    tie: Decimal | float
    if tie_break == Call.TieBreak.EARLIEST_SUBMISSION:
        tie = row.proposal.submitted_at.timestamp() if row.proposal.submitted_at else float("inf")
    else:
        heaviest = max(criteria, key=lambda c: (c.weight, -c.order)) if criteria else None
        tie = -row.scores.get(heaviest.pk, Decimal("0")) if heaviest else 0
    return (not row.eligible, -weighted, tie, row.proposal.pk)
