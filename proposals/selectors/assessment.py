"""Reads of committee work: a person's seats, what a member still has to declare or score,
and the phase's committee as the officer and the chair see it (members, the assignment
matrix, the advice)."""

import operator
from collections import defaultdict
from functools import reduce

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from calls.models import Criterion, Phase

from ..models import (
    Advice,
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    ConsensusScore,
    Proposal,
)
from .ranking import RANKED_STATUSES


def seats_of(user) -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(user=user).select_related(
        "committee__phase__call__authority"
    )


def declarations_pending(seat: CommitteeMember) -> QuerySet[Proposal]:
    """Proposals of the seat's phase the member has not declared about yet."""
    declared = ConflictDeclaration.objects.filter(member=seat, proposal=OuterRef("pk"))
    return Proposal.objects.filter(
        phase_id=seat.committee.phase_id, status=Proposal.Status.UNDER_ASSESSMENT
    ).exclude(Exists(declared))


def assignments_of(seat: CommitteeMember) -> QuerySet[Assignment]:
    """The member's assignments without a declared conflict, with their assessment."""
    conflicted = ConflictDeclaration.objects.filter(
        member=seat, proposal=OuterRef("proposal_id"), has_conflict=True
    )
    return (
        Assignment.objects.filter(member=seat)
        .exclude(Exists(conflicted))
        .select_related("proposal__company", "proposal__phase")
        .prefetch_related(Prefetch("assessment", queryset=Assessment.objects.all()))
    )


def committee_of(phase: Phase) -> Committee | None:
    return Committee.objects.filter(phase=phase).first()


def committee_exists(phase: Phase) -> bool:
    return Committee.objects.filter(phase=phase).exists()


def committee_members_with_counts(committee: Committee) -> list[CommitteeMember]:
    """The members, chair first, with how many declarations and assignments each has."""
    return list(
        committee.members.select_related("user")
        .annotate(
            declared=Count("declarations", distinct=True),
            assigned=Count("assignments", distinct=True),
        )
        .order_by("role", "pk")
    )


def committee_matrix(
    *, committee: Committee, members: list[CommitteeMember], proposals: list[Proposal]
) -> list[dict]:
    """Rows of proposals, columns of members: assigned (and scored), conflict, or nothing.

    Two queries, whatever the size of the committee or the number of proposals.
    """
    assigned = {
        (member_id, proposal_id): status
        for member_id, proposal_id, status in Assignment.objects.filter(
            member__committee=committee
        ).values_list("member_id", "proposal_id", "assessment__status")
    }
    conflicts = set(
        ConflictDeclaration.objects.filter(
            member__committee=committee, has_conflict=True
        ).values_list("member_id", "proposal_id")
    )
    rows = []
    for proposal in proposals:
        cells = []
        for member in members:
            key = (member.pk, proposal.pk)
            if key in conflicts:
                state = "conflict"
            elif key in assigned:
                state = "scored" if assigned[key] == Assessment.Status.SUBMITTED else "assigned"
            else:
                state = "none"
            cells.append({"member": member, "state": state})
        rows.append({"proposal": proposal, "cells": cells})
    return rows


def advice_of(*, committee: Committee) -> Advice | None:
    """The committee's advice, with who signed it."""
    return Advice.objects.filter(committee=committee).select_related("signed_by").first()


def phase_advice(phase: Phase) -> Advice | None:
    return Advice.objects.filter(committee__phase=phase).first()


def advice_selects(*, advice: Advice | None, proposal: Proposal) -> bool:
    return advice is not None and advice.selected.filter(pk=proposal.pk).exists()


def seats_with_phase() -> QuerySet[CommitteeMember]:
    """Every seat, with its person and its committee's phase, call and authority."""
    return CommitteeMember.objects.select_related("committee__phase__call__authority", "user")


def sits_on_a_committee(user) -> bool:
    return CommitteeMember.objects.filter(user=user).exists()


def seat_overview(seats: list[CommitteeMember]) -> None:
    """Per seat: declarations pending and assignments with their state, in four queries."""
    seat_ids = [seat.pk for seat in seats]
    phase_ids = {seat.committee.phase_id for seat in seats}
    open_per_phase = dict(
        Proposal.objects.filter(phase_id__in=phase_ids, status=Proposal.Status.UNDER_ASSESSMENT)
        .order_by()
        .values("phase_id")
        .annotate(n=Count("pk"))
        .values_list("phase_id", "n")
    )
    declarations = ConflictDeclaration.objects.filter(member_id__in=seat_ids).values_list(
        "member_id", "proposal_id", "has_conflict", "proposal__status"
    )
    declared: defaultdict[int, dict[int, tuple[bool, str]]] = defaultdict(dict)
    for member_id, proposal_id, has_conflict, status in declarations:
        declared[member_id][proposal_id] = (has_conflict, status)
    conflicted = ConflictDeclaration.objects.filter(
        member_id=OuterRef("member_id"), proposal_id=OuterRef("proposal_id"), has_conflict=True
    )
    assignments: defaultdict[int, list[Assignment]] = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(member_id__in=seat_ids)
        .exclude(Exists(conflicted))
        .select_related("proposal", "assessment")
        .order_by("proposal__submission_number", "pk")
    ):
        assignments[assignment.member_id].append(assignment)
    for seat in seats:
        mine = declared[seat.pk]
        declared_open = sum(
            1 for _c, status in mine.values() if status == Proposal.Status.UNDER_ASSESSMENT
        )
        seat.pending_declarations = open_per_phase.get(seat.committee.phase_id, 0) - declared_open
        seat.assignment_rows = []
        for assignment in assignments[seat.pk]:
            assessment = getattr(assignment, "assessment", None)
            assignment.state = assessment.status if assessment else "todo"
            # As assignments_for_member annotates it; the type checker knows only that one.
            assignment.cleared = assignment.proposal_id in mine  # type: ignore[attr-defined]
            seat.assignment_rows.append(assignment)
        seat.assignments_total = len(seat.assignment_rows)
        seat.assignments_done = len(
            [a for a in seat.assignment_rows if a.state == Assessment.Status.SUBMITTED]
        )


def declarable_proposals(
    seat: CommitteeMember, *, with_assigned: bool = False
) -> QuerySet[Proposal]:
    """The proposals of the seat's phase a member declares about, each with the member's own
    declaration (``own_declarations``) and, on request, whether it is assigned to them."""
    proposals = (
        Proposal.objects.filter(phase_id=seat.committee.phase_id, status__in=RANKED_STATUSES)
        .select_related("company")
        .prefetch_related(
            Prefetch(
                "declarations",
                queryset=ConflictDeclaration.objects.filter(member=seat),
                to_attr="own_declarations",
            )
        )
    )
    if with_assigned:
        proposals = proposals.annotate(
            assigned=Exists(Assignment.objects.filter(member=seat, proposal=OuterRef("pk")))
        )
    return proposals


def submitted_assessments(proposal: Proposal) -> QuerySet[Assessment]:
    """The proposal's submitted assessments with their scores, the chair's first."""
    return (
        Assessment.objects.filter(assignment__proposal=proposal, status=Assessment.Status.SUBMITTED)
        .select_related("assignment__member__user")
        .prefetch_related("scores")
        .order_by("assignment__member__role", "assignment__member_id")
    )


def committee_score_table(assessments, criteria) -> list[dict]:
    """Per assessment: the member and their score and motivation per criterion, in order."""
    rows = []
    for assessment in assessments:
        by_criterion = {score.criterion_id: score for score in assessment.scores.all()}
        scores = [by_criterion.get(c.pk) for c in criteria]
        rows.append(
            {
                "assessment": assessment,
                "member": assessment.assignment.member,
                "scores": scores,
                "pairs": list(zip(criteria, scores, strict=True)),
            }
        )
    return rows


def assignment_of(*, seat: CommitteeMember, proposal: Proposal) -> Assignment | None:
    return Assignment.objects.filter(member=seat, proposal=proposal).first()


def assessment_of(assignment: Assignment) -> Assessment | None:
    """The assignment's assessment with its scores."""
    return Assessment.objects.filter(assignment=assignment).prefetch_related("scores").first()


def consensus_scores_of(proposal: Proposal) -> QuerySet[ConsensusScore]:
    return ConsensusScore.objects.filter(proposal=proposal).select_related("recorded_by")


def assignment_count(proposal: Proposal) -> int:
    return Assignment.objects.filter(proposal=proposal).count()


def assessments_with_committee() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("assignment__member__committee")


def no_assignments() -> QuerySet[Assignment]:
    return Assignment.objects.none()


def assignments_for_member(user) -> QuerySet[Assignment]:
    """Every assignment of the person's committee seats (never a conflicted one)."""
    seats = list(seats_of(user))
    if not seats:
        return Assignment.objects.none()
    declared_free = ConflictDeclaration.objects.filter(
        member_id=OuterRef("member_id"), proposal_id=OuterRef("proposal_id"), has_conflict=False
    )
    return (
        reduce(operator.or_, (assignments_of(seat) for seat in seats))
        .select_related("member", "proposal__call__authority", "proposal__phase__call")
        .prefetch_related(
            Prefetch("proposal__phase__criteria", queryset=Criterion.objects.order_by("order")),
            Prefetch("assessment__scores"),
        )
        .annotate(
            cleared=Case(
                When(
                    Q(member__code_accepted_at__isnull=False) & Exists(declared_free),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("proposal__phase_id", "proposal__submission_number", "pk")
    )


def own_assignment(*, pk, user) -> Assignment | None:
    """One of the person's assignments, with its committee, call and phase."""
    return (
        Assignment.objects.filter(pk=pk, member__user=user)
        .select_related("member__committee", "proposal__call", "proposal__phase")
        .first()
    )
