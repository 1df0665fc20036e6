"""The committee's ranking of a phase: weighted scores, thresholds, ties and spread.

A proposal's score per criterion is the chair's consensus score when recorded, else the
mean of the submitted assessments (of assignments not withdrawn). Computed from two queries
whatever the number of proposals, assessors or criteria.

A committee seat sees the ranking of only the proposals it is cleared for
(``ranking_for_seat``, through ``selectors.assessment.cleared_proposals``): ranked among
themselves, so that the place of a hidden proposal cannot be read from a gap in the ranks.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
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

# Each proposal's id and whether it is eligible (an annotation of ``Ranking.ordered``).
ORDER_COLUMNS = ("pk", "ranking_eligible")
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


def ranking_for_seat(seat: CommitteeMember) -> "Ranking":
    """The ranking as this seat may see it: only the proposals it is cleared for."""
    return Ranking(seat.committee.phase, among=cleared_proposals(seat))


def ranking_for(phase: Phase, *, among: QuerySet[Proposal] | None = None) -> list[RankingRow]:
    """The phase's whole ranking (for the signed advice's snapshot, a service's check); with
    ``among``, of those proposals only, ranked among themselves. A page shows a slice of
    ``Ranking``."""
    return list(Ranking(phase, among=among))


def ranked_by_number(phase: Phase) -> QuerySet[Proposal]:
    """The proposals the committee ranks, by submission number, with their company (the
    officer's assignment matrix, a page at a time)."""
    return (
        Proposal.objects.filter(phase=phase, status__in=RANKED_STATUSES)
        .select_related("company")
        .order_by("submission_number", "pk")
    )


class Ranking:
    """The ranking of a phase, ordered in the database; rows are built a slice at a time.

    The order (eligible first, weighted score high to low, then the call's tie-break, then
    the oldest record) is computed by PostgreSQL over every proposal of the phase, in whole
    hundredths so that it rounds exactly as ``score_round``; only the proposals of a slice
    become ``RankingRow`` objects, with their scores read for them alone. A Paginator takes
    it as it is (``count()`` and slicing).

    Each criterion's score is worked out once per proposal, however often the weighted score,
    the thresholds and the tie-break use it: the assessors' scores are aggregates of one
    grouped pass (PostgreSQL computes identical aggregates once) and each consensus score is
    a joined column, not a subquery that would run again in every expression.
    """

    def __init__(self, phase: Phase, *, among: QuerySet[Proposal] | None = None):
        self.phase = phase
        self.among = among
        self.criteria = list(phase.criteria.all())
        self._count: int | None = None
        self._order: list[int] | None = None
        self._eligible: list[int] | None = None

    # -- the order, in the database --

    def _proposals(self) -> QuerySet[Proposal]:
        ranked = Proposal.objects.filter(phase=self.phase, status__in=RANKED_STATUSES)
        if self.among is not None:
            ranked = ranked.filter(pk__in=self.among.values("pk"))
        return ranked

    def ordered(self) -> QuerySet[Proposal]:
        """The ranked proposals in ranking order, annotated with ``ranking_eligible`` and
        ``ranking_weighted`` (hundredths, or None when not every criterion is scored)."""
        counted = Q(
            assignments__withdrawn_at__isnull=True,
            assignments__assessment__status=Assessment.Status.SUBMITTED,
        )
        annotations: dict = {}
        hundredths = {}
        for criterion in self.criteria:
            on_criterion = counted & Q(assignments__assessment__scores__criterion_id=criterion.pk)
            total = Sum("assignments__assessment__scores__score", filter=on_criterion)
            given = Count("assignments__assessment__scores", filter=on_criterion)
            # At most one consensus score per proposal and criterion (a unique constraint):
            # joined once per criterion, a column, not a subquery repeated in every
            # expression that uses the criterion's score.
            agreed = F(f"ranking_agreed_c{criterion.pk}__score")
            # The mean to two decimals, half up, in hundredths: (200·sum + n) div 2n.
            mean = ExpressionWrapper(
                (total * 200 + given) / (given * 2), output_field=IntegerField()
            )
            name = f"ranking_c{criterion.pk}"
            annotations[name] = Coalesce(
                ExpressionWrapper(agreed * 100, output_field=IntegerField()),
                Case(When(Q(GreaterThan(given, 0)), then=mean), default=None),
                output_field=IntegerField(),
            )
            hundredths[criterion.pk] = F(name)
        joins = {
            f"ranking_agreed_c{criterion.pk}": FilteredRelation(
                "consensus", condition=Q(consensus__criterion_id=criterion.pk)
            )
            for criterion in self.criteria
        }
        ranked = self._proposals().annotate(**joins).annotate(**annotations)
        complete = Q()
        for criterion in self.criteria:
            complete &= Q(**{f"ranking_c{criterion.pk}__isnull": False})
        weighted: Expression
        if self.criteria:
            points = sum(
                (hundredths[c.pk] * c.weight for c in self.criteria[1:]),
                start=hundredths[self.criteria[0].pk] * self.criteria[0].weight,
            )
            # Σ score·weight / 100 to two decimals, half up, in hundredths.
            weighted = ExpressionWrapper((points * 2 + 100) / 200, output_field=IntegerField())
        else:
            weighted = Value(0, output_field=IntegerField())
        passes = complete
        for criterion in self.criteria:
            if criterion.threshold is not None:
                passes &= Q(**{f"ranking_c{criterion.pk}__gte": criterion.threshold * 100})
        ranked = ranked.annotate(
            ranking_weighted=Case(When(complete, then=weighted), default=None),
        )
        if self.phase.overall_threshold is not None:
            floor = math.ceil(self.phase.overall_threshold * 100)
            passes &= Q(ranking_weighted__gte=floor)
        ranked = ranked.annotate(
            ranking_eligible=Case(
                When(passes, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        if self.phase.call.tie_break == Call.TieBreak.EARLIEST_SUBMISSION:
            tie = F("submitted_at").asc(nulls_last=True)
        elif self.criteria:
            heaviest = max(self.criteria, key=lambda c: (c.weight, -c.order))
            tie = Coalesce(hundredths[heaviest.pk], 0).desc()
        else:
            tie = Value(0).asc()
        return ranked.order_by(
            F("ranking_eligible").desc(), F("ranking_weighted").desc(nulls_last=True), tie, "pk"
        )

    def count(self) -> int:
        if self._count is None:
            self._count = len(self._order) if self._order is not None else self._proposals().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def eligible_ids(self) -> list[int]:
        """The eligible proposals' ids in ranking order. Read once, with the whole order (one
        query: ranking them all costs the same as ranking a page), which then serves the
        count and the slices too."""
        if self._order is None:
            ranked = list(self.ordered().values_list(*ORDER_COLUMNS))
            self._order = [pk for pk, _eligible in ranked]
            self._eligible = [pk for pk, eligible in ranked if eligible]
            self._count = len(self._order)
        return self._eligible or []

    def eligible_count(self) -> int:
        """How many proposals are eligible (the ranks given)."""
        return len(self.eligible_ids())

    def rank_of(self, proposal: Proposal) -> RankingRow | None:
        """The row of one proposal, with its rank among the whole phase's."""
        if not self._proposals().filter(pk=proposal.pk).exists():
            return None
        row = self._rows([proposal.pk], first=0)[0]
        if row.eligible:
            row.rank = self.eligible_ids().index(proposal.pk) + 1
        return row

    def rows_of(self, ids) -> list[RankingRow]:
        """The rows of these eligible proposals (a selection), in ranking order with their
        ranks, whatever page they are on; ids that are not eligible are left out."""
        order = {pk: place for place, pk in enumerate(self.eligible_ids())}
        chosen = sorted((pk for pk in set(ids) if pk in order), key=order.__getitem__)
        rows = self._rows(chosen, first=0)
        for row in rows:
            row.rank = order[row.proposal.pk] + 1
        return rows

    # -- the rows of a slice --

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        first = index.start or 0
        if self._order is not None:
            ids = self._order[index]
        else:
            ids = list(self.ordered()[index].values_list("pk", flat=True))
        return self._rows(ids, first=first)

    def _rows(self, ids: list[int], *, first: int) -> list[RankingRow]:
        """``RankingRow`` objects of these proposals in this order; ``first`` is the place of
        the first one in the whole ranking (its rank when eligible: the eligible come first)."""
        proposals = Proposal.objects.filter(pk__in=ids).select_related("company").in_bulk()
        scores = CriterionScore.objects.filter(
            assessment__assignment__proposal_id__in=ids,
            assessment__assignment__withdrawn_at__isnull=True,
            assessment__status=Assessment.Status.SUBMITTED,
        ).values_list(
            "assessment__assignment__proposal_id", "assessment_id", "criterion_id", "score"
        )
        given: defaultdict[int, defaultdict[int, list[int]]] = defaultdict(
            lambda: defaultdict(list)
        )
        assessors: defaultdict[int, set[int]] = defaultdict(set)
        for proposal_id, assessment_id, criterion_id, score in scores:
            given[proposal_id][criterion_id].append(score)
            assessors[proposal_id].add(assessment_id)
        agreed = {
            (proposal_id, criterion_id): score
            for proposal_id, criterion_id, score in ConsensusScore.objects.filter(
                proposal_id__in=ids
            ).values_list("proposal_id", "criterion_id", "score")
        }
        rows = []
        for place, pk in enumerate(ids, start=first + 1):
            row = _row(
                proposals[pk], self.criteria, given[pk], agreed, len(assessors[pk]), self.phase
            )
            row.rank = place if row.eligible else None
            rows.append(row)
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
