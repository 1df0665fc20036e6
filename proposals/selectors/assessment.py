"""Reads of committee work: a person's seats, what a member still has to declare or score."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from ..models import Assessment, Assignment, CommitteeMember, ConflictDeclaration, Proposal


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
