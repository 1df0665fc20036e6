"""The ranking ordered in the database ranks exactly as the Python ranking it replaced.

``reference_ranking`` is the former implementation (every proposal built, scored and sorted in
Python), kept here as the specification: on a mixed phase (consensus and assessor scores,
withdrawn assignments, drafts, missing criteria, thresholds, ties) the database's order, ranks,
weighted scores and eligibility must be the same, whole and a page at a time.
"""

import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from calls.models import Call, Criterion
from proposals.models import (
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    ConsensusScore,
    CriterionScore,
    Proposal,
)
from proposals.selectors.assessment import RANKED_STATUSES
from proposals.selectors.ranking import Ranking, RankingRow, _row, ranking_for
from tests.calls.factories import published_call
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def reference_ranking(phase, *, among=None) -> list[RankingRow]:
    """The former ranking, all in Python (as it was before the order moved to SQL)."""
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
    given: defaultdict = defaultdict(lambda: defaultdict(list))
    assessors: defaultdict = defaultdict(set)
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

    def order_key(row):
        weighted = row.weighted if row.weighted is not None else Decimal("-1")
        if phase.call.tie_break == Call.TieBreak.EARLIEST_SUBMISSION:
            tie = row.proposal.submitted_at.timestamp() if row.proposal.submitted_at else 1e30
        else:
            heaviest = max(criteria, key=lambda c: (c.weight, -c.order)) if criteria else None
            tie = -row.scores.get(heaviest.pk, Decimal("0")) if heaviest else 0
        return (not row.eligible, -weighted, tie, row.proposal.pk)

    rows.sort(key=order_key)
    rank = 0
    for row in rows:
        if row.eligible:
            rank += 1
            row.rank = rank
    return rows


def _seen(rows) -> list[tuple]:
    return [
        (
            row.proposal.pk,
            row.rank,
            row.weighted,
            row.eligible,
            row.scores,
            row.consensus,
            row.reasons,
            row.large_spread,
            row.assessments,
        )
        for row in rows
    ]


def mixed_phase(*, seed: int, tie_break: str, overall_threshold, count: int = 60):
    """A phase of ``count`` proposals scored every which way (fixed by ``seed``)."""
    rng = random.Random(seed)
    call = published_call()
    Call.objects.filter(pk=call.pk).update(tie_break=tie_break)
    phase = call.phases.get(order=1)
    phase.overall_threshold = overall_threshold
    phase.save(update_fields=["overall_threshold"])
    phase.criteria.all().delete()
    # Two criteria share the highest weight: the lower order is the heaviest one.
    for order, weight, threshold in ((2, 35, None), (1, 35, 5), (3, 20, None), (4, 10, 3)):
        Criterion.objects.create(
            phase=phase, order=order, name=f"C{order}", weight=weight, threshold=threshold
        )
    criteria = list(phase.criteria.all())
    committee = Committee.objects.create(phase=phase, code_of_conduct="Vertrouwelijk.")
    seats = [
        CommitteeMember.objects.create(
            committee=committee,
            user=UserFactory(),
            role=CommitteeMember.Role.CHAIR if n == 0 else CommitteeMember.Role.MEMBER,
        )
        for n in range(5)
    ]
    now = timezone.now()
    statuses = [
        *[Proposal.Status.UNDER_ASSESSMENT] * 8,
        Proposal.Status.AWARDED,
        Proposal.Status.REJECTED,
        Proposal.Status.WITHDRAWN,
        Proposal.Status.SUBMITTED,
    ]
    for n in range(count):
        proposal = Proposal.objects.create(
            call=call,
            phase=phase,
            company=CompanyFactory(),
            created_by=seats[0].user,
            title=f"Plan {n}",
            status=rng.choice(statuses),
            submission_number=f"T-{seed}-{n:04d}",
            # Some share a moment: the record's age decides then.
            submitted_at=now - timedelta(minutes=rng.randint(0, 5)),
            requested_amount=Decimal("40000.00"),
        )
        for seat in rng.sample(seats, rng.randint(0, 4)):
            assignment = Assignment.objects.create(
                member=seat,
                proposal=proposal,
                withdrawn_at=now if rng.random() < 0.15 else None,
            )
            if rng.random() < 0.1:
                continue  # assigned, not started
            assessment = Assessment.objects.create(
                assignment=assignment,
                status=Assessment.Status.SUBMITTED
                if rng.random() < 0.8
                else Assessment.Status.DRAFT,
            )
            for criterion in criteria:
                if rng.random() < 0.05:
                    continue  # a score missing on one criterion
                # Mostly close scores, so that weighted totals tie now and then.
                CriterionScore.objects.create(
                    assessment=assessment,
                    criterion=criterion,
                    score=rng.choice([6, 7, 7, 8, 8, rng.randint(1, 10)]),
                    motivation="Zo.",
                )
        for criterion in criteria:
            if rng.random() < 0.15:
                ConsensusScore.objects.create(
                    proposal=proposal,
                    criterion=criterion,
                    score=rng.randint(1, 10),
                    motivation="Samen.",
                    recorded_by=seats[0].user,
                )
    return phase


@pytest.mark.parametrize(
    ("seed", "tie_break", "overall_threshold"),
    [
        (1, Call.TieBreak.HEAVIEST_CRITERION, None),
        (2, Call.TieBreak.EARLIEST_SUBMISSION, Decimal("6.50")),
        (3, Call.TieBreak.HEAVIEST_CRITERION, Decimal("7.05")),
    ],
)
def test_the_database_ranks_as_the_python_ranking_did(seed, tie_break, overall_threshold):
    phase = mixed_phase(seed=seed, tie_break=tie_break, overall_threshold=overall_threshold)
    expected = _seen(reference_ranking(phase))
    assert len(expected) > 30
    # The dataset is mixed enough to mean something: eligible, ineligible and unscored rows,
    # (the ties are checked by the test below).
    assert any(row[3] for row in expected)
    assert any(not row[3] for row in expected)
    assert any(row[2] is None for row in expected)
    ranking = Ranking(phase)
    # The database's own figures (whole hundredths) are the Python ones, rounding included.
    computed = {
        pk: (weighted, eligible)
        for pk, weighted, eligible in ranking.ordered().values_list(
            "pk", "ranking_weighted", "ranking_eligible"
        )
    }
    assert computed == {
        row[0]: (None if row[2] is None else int(row[2] * 100), row[3]) for row in expected
    }
    assert _seen(ranking) == expected
    assert _seen(ranking_for(phase)) == expected
    # A page at a time: the same rows and ranks as the same slice of the whole.
    assert _seen(ranking[10:20]) == expected[10:20]
    assert _seen(ranking[len(expected) - 3 : len(expected) + 5]) == expected[-3:]
    assert ranking.count() == len(expected)
    assert ranking.eligible_count() == sum(1 for row in expected if row[3])
    # One proposal's row, as the decision page asks it.
    for row in expected[::7]:
        proposal = Proposal.objects.get(pk=row[0])
        assert _seen([ranking.rank_of(proposal)]) == [row]


def test_ties_on_the_weighted_score_exist_in_the_mixed_phase():
    """Guards the test above: it compares tie-breaks only if the data has ties."""
    phase = mixed_phase(
        seed=1, tie_break=Call.TieBreak.HEAVIEST_CRITERION, overall_threshold=None, count=60
    )
    weighted = [row.weighted for row in reference_ranking(phase) if row.weighted is not None]
    assert len(weighted) > len(set(weighted))


def test_among_ranks_those_proposals_among_themselves():
    phase = mixed_phase(seed=4, tie_break=Call.TieBreak.HEAVIEST_CRITERION, overall_threshold=None)
    among = Proposal.objects.filter(phase=phase, pk__in=Proposal.objects.order_by("-pk")[:25])
    among = Proposal.objects.filter(pk__in=list(among.values_list("pk", flat=True)))
    expected = _seen(reference_ranking(phase, among=among))
    assert _seen(Ranking(phase, among=among)) == expected
    assert _seen(Ranking(phase, among=among)[5:15]) == expected[5:15]


def test_a_proposal_outside_the_ranking_has_no_row():
    phase = mixed_phase(
        seed=5, tie_break=Call.TieBreak.HEAVIEST_CRITERION, overall_threshold=None, count=20
    )
    hidden = Proposal.objects.filter(phase=phase).exclude(status__in=RANKED_STATUSES).first()
    assert hidden is not None
    assert Ranking(phase).rank_of(hidden) is None


def test_the_order_is_one_select_without_a_subquery_per_criterion():
    """Each criterion's score is computed once per proposal: the consensus scores are joined,
    not asked again by a subquery in every expression that uses them (issue 14)."""
    phase = mixed_phase(
        seed=6,
        tie_break=Call.TieBreak.HEAVIEST_CRITERION,
        overall_threshold=Decimal("6.00"),
        count=5,
    )
    sql = str(Ranking(phase).ordered().query).upper()
    assert sql.count("SELECT") == 1
    assert sql.count("JOIN") == 3 + phase.criteria.count()
