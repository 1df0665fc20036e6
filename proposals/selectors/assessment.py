"""Reads of committee work: a person's seats, what a member still has to declare or score,
which proposals a seat may see at all, and the phase's committee as the officer and the chair
see it (members, the assignment matrix, the advice).

``cleared_proposals(seat)`` is the one rule every committee page, the advice, its PDF and
the services ask: a seat sees a proposal only after accepting the code of conduct and
declaring no conflict of interest for it, and then only if assigned to it (the chair: every
proposal; the deputy chair: also those on which the chair declared a conflict). A seat the
officer removed sees nothing.
"""

import operator
from collections import defaultdict
from functools import reduce

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calls.models import Criterion, Phase

from ..models import (
    Advice,
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    ConsensusScore,
    DeputyDecision,
    Proposal,
    Reassessment,
)
from .proposals import count_of

# A proposal a committee can open: submitted and not withdrawn.
HIDDEN_STATUSES = (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN)
# The proposals a committee ranks (selectors.ranking uses the same).
RANKED_STATUSES = (
    Proposal.Status.UNDER_ASSESSMENT,
    Proposal.Status.AWARDED,
    Proposal.Status.REJECTED,
)


def seats_of(user) -> QuerySet[CommitteeMember]:
    return (
        CommitteeMember.objects.active()
        .filter(user=user)
        .select_related("committee__phase__call__authority")
    )


def chair_of(committee: Committee) -> CommitteeMember | None:
    return committee.members.active().filter(role=CommitteeMember.Role.CHAIR).first()


def chair_conflicts(committee: Committee) -> QuerySet[ConflictDeclaration]:
    """The chair's declared conflicts: these proposals are the deputy chair's."""
    return ConflictDeclaration.objects.filter(
        member__committee=committee,
        member__role=CommitteeMember.Role.CHAIR,
        member__removed_at__isnull=True,
        has_conflict=True,
    )


def cleared_proposals(seat: CommitteeMember) -> QuerySet[Proposal]:
    """The proposals of the seat's phase this seat may open (see the module's docstring)."""
    if seat.code_accepted_at is None or seat.removed_at is not None:
        return Proposal.objects.none()
    declared_free = ConflictDeclaration.objects.filter(
        member=seat, proposal=OuterRef("pk"), has_conflict=False
    )
    proposals = (
        Proposal.objects.filter(phase_id=seat.committee.phase_id)
        .exclude(status__in=HIDDEN_STATUSES)
        .filter(Exists(declared_free))
    )
    if seat.role == CommitteeMember.Role.CHAIR:
        return proposals
    reach = Q(Exists(Assignment.objects.active().filter(member=seat, proposal=OuterRef("pk"))))
    if seat.committee.deputy_chair_id == seat.pk:
        reach |= Q(Exists(chair_conflicts(seat.committee).filter(proposal=OuterRef("pk"))))
    return proposals.filter(reach)


def is_cleared_for(seat: CommitteeMember | None, proposal: Proposal) -> bool:
    return seat is not None and cleared_proposals(seat).filter(pk=proposal.pk).exists()


def presides_over(seat: CommitteeMember, proposal: Proposal) -> bool:
    """The chair presides over a proposal (consensus, selection) unless conflicted on it; then
    the deputy chair does. Either must be cleared for it."""
    committee = seat.committee
    conflicted = chair_conflicts(committee).filter(proposal=proposal).exists()
    if seat.role == CommitteeMember.Role.CHAIR:
        allowed = not conflicted
    else:
        allowed = conflicted and committee.deputy_chair_id == seat.pk
    return allowed and is_cleared_for(seat, proposal)


def declarations_pending(seat: CommitteeMember) -> QuerySet[Proposal]:
    """Proposals of the seat's phase the member has not declared about yet."""
    declared = ConflictDeclaration.objects.filter(member=seat, proposal=OuterRef("pk"))
    return Proposal.objects.filter(
        phase_id=seat.committee.phase_id, status=Proposal.Status.UNDER_ASSESSMENT
    ).exclude(Exists(declared))


def assignments_of(seat: CommitteeMember) -> QuerySet[Assignment]:
    """The member's assignments without a declared conflict and not withdrawn, with their
    assessment."""
    conflicted = ConflictDeclaration.objects.filter(
        member=seat, proposal=OuterRef("proposal_id"), has_conflict=True
    )
    return (
        Assignment.objects.active()
        .filter(member=seat)
        .exclude(Exists(conflicted))
        .select_related("proposal__company", "proposal__phase")
        .prefetch_related(Prefetch("assessment", queryset=Assessment.objects.all()))
    )


def committee_of(phase: Phase) -> Committee | None:
    return Committee.objects.filter(phase=phase).first()


def committee_exists(phase: Phase) -> bool:
    return Committee.objects.filter(phase=phase).exists()


def committee_members_with_counts(committee: Committee) -> list[CommitteeMember]:
    """The members, chair first, with how many declarations and assignments each has.

    Each counted by a subquery: two counts over joins of both relations would multiply a
    member's declarations by their assignments (millions of rows at thousands of proposals).
    """
    return list(
        committee.members.active()
        .select_related("user")
        .annotate(
            declared=count_of(ConflictDeclaration.objects.filter(member_id=OuterRef("pk"))),
            assigned=count_of(Assignment.objects.active().filter(member_id=OuterRef("pk"))),
        )
        .order_by("role", "pk")
    )


def removed_members_of(committee: Committee) -> list[CommitteeMember]:
    """The members the officer removed, in the order they left, with who removed them."""
    return list(
        committee.members.filter(removed_at__isnull=False)
        .select_related("user", "removed_by")
        .order_by("removed_at", "pk")
    )


def committee_matrix(
    *, committee: Committee, members: list[CommitteeMember], proposals: list[Proposal]
) -> list[dict]:
    """Rows of proposals, columns of members: assigned (and scored), conflict, or nothing.

    Two queries, whatever the size of the committee or the number of proposals (a page of
    them: only their assignments and conflicts are read).
    """
    ids = [proposal.pk for proposal in proposals]
    assigned = {
        (member_id, proposal_id): (pk, status, withdrawn)
        for pk, member_id, proposal_id, status, withdrawn in Assignment.objects.filter(
            member__committee=committee, proposal_id__in=ids
        ).values_list("pk", "member_id", "proposal_id", "assessment__status", "withdrawn_at")
    }
    conflicts = set(
        ConflictDeclaration.objects.filter(
            member__committee=committee, has_conflict=True, proposal_id__in=ids
        ).values_list("member_id", "proposal_id")
    )
    rows = []
    for proposal in proposals:
        cells = []
        for member in members:
            key = (member.pk, proposal.pk)
            assignment_pk, status, withdrawn = assigned.get(key, (None, None, None))
            if key in conflicts:
                state = "conflict"
            elif assignment_pk is None:
                state = "none"
            elif withdrawn is not None:
                state = "withdrawn"
            else:
                state = "scored" if status == Assessment.Status.SUBMITTED else "assigned"
            cells.append({"member": member, "state": state, "assignment": assignment_pk})
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
    # A seat the officer removed is gone for its person: every page answers 404.
    return CommitteeMember.objects.active().select_related(
        "committee__phase__call__authority", "user"
    )


def sits_on_a_committee(user) -> bool:
    return CommitteeMember.objects.filter(user=user).exists()


# How many of a seat's assignments the overview of the member's committees lists; the seat's
# list of assignments (``seat_assignments``) pages through them all.
OVERVIEW_ASSIGNMENTS = 10


def _own_assignments(seat_ids) -> QuerySet[Assignment]:
    """The active assignments of these seats, never one with a declared conflict."""
    conflicted = ConflictDeclaration.objects.filter(
        member_id=OuterRef("member_id"), proposal_id=OuterRef("proposal_id"), has_conflict=True
    )
    return Assignment.objects.active().filter(member_id__in=seat_ids).exclude(Exists(conflicted))


def seat_overview(seats: list[CommitteeMember]) -> None:
    """Per seat: declarations pending, its progress, its first assignments with their state
    (``OVERVIEW_ASSIGNMENTS``) and the committee's open reassessment (an upheld objection), in
    five queries whatever the number of seats or assignments."""
    seat_ids = [seat.pk for seat in seats]
    reassessments = {
        reassessment.committee_id: reassessment
        for reassessment in Reassessment.objects.filter(
            committee_id__in={seat.committee_id for seat in seats},
            status=Reassessment.Status.OPEN,
        )
        .select_related("objection")
        .prefetch_related("proposals")
    }
    phase_ids = {seat.committee.phase_id for seat in seats}
    open_per_phase = dict(
        Proposal.objects.filter(phase_id__in=phase_ids, status=Proposal.Status.UNDER_ASSESSMENT)
        .order_by()
        .values("phase_id")
        .annotate(n=Count("pk"))
        .values_list("phase_id", "n")
    )
    declared_open = dict(
        ConflictDeclaration.objects.filter(
            member_id__in=seat_ids, proposal__status=Proposal.Status.UNDER_ASSESSMENT
        )
        .order_by()
        .values("member_id")
        .annotate(n=Count("pk"))
        .values_list("member_id", "n")
    )
    progress = {
        member_id: (total, done)
        for member_id, total, done in _own_assignments(seat_ids)
        .order_by()
        .values("member_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(assessment__status=Assessment.Status.SUBMITTED)),
        )
        .values_list("member_id", "total", "done")
    }
    declared = ConflictDeclaration.objects.filter(
        member_id=OuterRef("member_id"), proposal_id=OuterRef("proposal_id")
    )
    assignments: defaultdict[int, list[Assignment]] = defaultdict(list)
    for assignment in (
        _own_assignments(seat_ids)
        .select_related("proposal", "assessment")
        .annotate(
            cleared=Exists(declared),
            place=Window(
                RowNumber(),
                partition_by=[F("member_id")],
                order_by=[F("proposal__submission_number").asc(), F("pk").asc()],
            ),
        )
        .filter(place__lte=OVERVIEW_ASSIGNMENTS)
        .order_by("proposal__submission_number", "pk")
    ):
        assessment = getattr(assignment, "assessment", None)
        assignment.state = assessment.status if assessment else "todo"
        assignments[assignment.member_id].append(assignment)
    for seat in seats:
        seat.reassessment = reassessments.get(seat.committee_id)
        seat.pending_declarations = open_per_phase.get(
            seat.committee.phase_id, 0
        ) - declared_open.get(seat.pk, 0)
        seat.assignment_rows = assignments[seat.pk]
        seat.assignments_total, seat.assignments_done = progress.get(seat.pk, (0, 0))
        seat.assignments_more = seat.assignments_total > len(seat.assignment_rows)


# The states a member filters their assignments by.
ASSIGNMENT_STATES = ("todo", Assessment.Status.DRAFT, Assessment.Status.SUBMITTED)


def seat_assignments(seat: CommitteeMember, *, state: str = "") -> QuerySet[Assignment]:
    """The seat's active assignments without a declared conflict, by submission number, each
    with its proposal, its assessment and whether the member declared about it (``cleared``);
    ``state`` narrows them to those to do, in draft or submitted."""
    declared = ConflictDeclaration.objects.filter(member=seat, proposal_id=OuterRef("proposal_id"))
    assignments = (
        _own_assignments([seat.pk])
        .select_related("proposal", "assessment")
        .annotate(cleared=Exists(declared))
        .order_by("proposal__submission_number", "pk")
    )
    if state == "todo":
        assignments = assignments.filter(assessment__isnull=True)
    elif state in (Assessment.Status.DRAFT, Assessment.Status.SUBMITTED):
        assignments = assignments.filter(assessment__status=state)
    return assignments


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
        Assessment.objects.filter(
            assignment__proposal=proposal,
            assignment__withdrawn_at__isnull=True,  # a withdrawn one no longer counts
            status=Assessment.Status.SUBMITTED,
        )
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
    return Assignment.objects.active().filter(member=seat, proposal=proposal).first()


def assessment_of(assignment: Assignment) -> Assessment | None:
    """The assignment's assessment with its scores."""
    return Assessment.objects.filter(assignment=assignment).prefetch_related("scores").first()


def consensus_scores_of(proposal: Proposal) -> QuerySet[ConsensusScore]:
    return ConsensusScore.objects.filter(proposal=proposal).select_related("recorded_by")


def assignment_count(proposal: Proposal) -> int:
    return Assignment.objects.active().filter(proposal=proposal).count()


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


def _name(member: CommitteeMember) -> str:
    return member.user.full_name or member.user.email


# How many missing assessments the gaps name one by one; the rest are counted.
GAPS_NAMED = 20


def advice_gaps(committee: Committee, chair: CommitteeMember) -> list[str]:
    """What must happen before the chair can sign the advice, in words the chair may read.

    Every active member accepted the code of conduct; every assignment of a proposal under
    assessment is assessed or withdrawn with a reason; the chair declared about every
    proposal; the deputy chair decided on every proposal on which the chair is conflicted.
    A proposal the chair may not see is only counted, never named; after ``GAPS_NAMED`` gaps,
    the further missing assessments are only counted too (a page for 5,000 proposals).
    """
    gaps = []
    for member in (
        committee.members.active()
        .filter(code_accepted_at__isnull=True)
        .select_related("user")
        .order_by("role", "pk")
    ):
        gaps.append(
            _("%(name)s has not accepted the code of conduct (or the officer removes them).")
            % {"name": _name(member)}
        )
    ranked = Proposal.objects.filter(phase_id=committee.phase_id, status__in=RANKED_STATUSES)
    undeclared = ranked.exclude(
        Exists(ConflictDeclaration.objects.filter(member=chair, proposal=OuterRef("pk")))
    ).count()
    if undeclared:
        gaps.append(
            ngettext(
                "The chair has not declared their interests for %(n)d proposal.",
                "The chair has not declared their interests for %(n)d proposals.",
                undeclared,
            )
            % {"n": undeclared}
        )
    conflicted = set(chair_conflicts(committee).values_list("proposal_id", flat=True))
    missing = (
        Assignment.objects.active()
        .filter(member__committee=committee, proposal__status__in=RANKED_STATUSES)
        .exclude(assessment__status=Assessment.Status.SUBMITTED)
    )
    # Counted in one query, the first few named in another: never every missing one read.
    shown = missing.exclude(proposal_id__in=conflicted)
    counts = missing.aggregate(
        every=Count("pk"), shown=Count("pk", filter=Q(pk__in=shown.values("pk")))
    )
    hidden_missing = counts["every"] - counts["shown"]
    named = max(GAPS_NAMED - len(gaps), 0)
    for assignment in shown.select_related("member__user", "proposal").order_by(
        "proposal__submission_number", "member__role", "member_id"
    )[:named]:
        gaps.append(
            _(
                "%(name)s has not submitted scores for %(number)s (withdraw the assignment "
                "with a reason, or reassign it)."
            )
            % {"name": _name(assignment.member), "number": assignment.proposal.submission_number}
        )
    unnamed = max(counts["shown"] - named, 0)
    if unnamed:
        gaps.append(
            ngettext(
                "And %(n)d more assessment is missing.",
                "And %(n)d more assessments are missing.",
                unnamed,
            )
            % {"n": unnamed}
        )
    if hidden_missing:
        gaps.append(
            ngettext(
                "%(n)d assessment of a proposal on which you declared a conflict is missing.",
                "%(n)d assessments of proposals on which you declared a conflict are missing.",
                hidden_missing,
            )
            % {"n": hidden_missing}
        )
    if conflicted:
        deputy = committee.deputy_chair
        if deputy is None or deputy.removed_at is not None:
            gaps.append(
                _(
                    "You declared a conflict of interest on a proposal: the officer designates "
                    "a deputy chair to preside over it."
                )
            )
        else:
            decided = DeputyDecision.objects.filter(
                committee=committee, proposal_id__in=conflicted, decided_by_id=deputy.user_id
            ).count()
            if decided < len(conflicted):
                left = len(conflicted) - decided
                gaps.append(
                    ngettext(
                        "The deputy chair %(name)s has not yet decided on %(n)d proposal on "
                        "which you declared a conflict.",
                        "The deputy chair %(name)s has not yet decided on %(n)d proposals on "
                        "which you declared a conflict.",
                        left,
                    )
                    % {"name": _name(deputy), "n": left}
                )
    return gaps


def deputy_decisions_of(*, committee: Committee, user) -> QuerySet[DeputyDecision]:
    """The deputy chair's own decisions on the proposals the chair is conflicted on."""
    return DeputyDecision.objects.filter(committee=committee, decided_by=user)


def active_members_of_phase(phase: Phase) -> QuerySet[CommitteeMember]:
    """The seats of the phase's committee the officer has not removed."""
    return (
        CommitteeMember.objects.active()
        .filter(committee__phase=phase)
        .select_related("user", "committee")
    )


def open_assignments_of(member: CommitteeMember) -> QuerySet[Assignment]:
    """The member's assignments still to be scored (what removing them withdraws)."""
    return (
        Assignment.objects.active()
        .filter(member=member)
        .exclude(assessment__status=Assessment.Status.SUBMITTED)
        .select_related("proposal")
        .order_by("proposal__submission_number")
    )


def active_assignments_of_phase(phase: Phase) -> QuerySet[Assignment]:
    """The assignments of the phase's committee that are not withdrawn."""
    return (
        Assignment.objects.active()
        .filter(member__committee__phase=phase)
        .select_related("member__user", "member__committee", "proposal", "assessment")
    )
