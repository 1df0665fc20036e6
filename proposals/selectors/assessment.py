"""Reads of committee work: a person's seats, what a member still has to declare or score, and
which proposals a seat may see at all.

``cleared_proposals(seat)`` is the one rule every committee page, the advice, its PDF and
the services ask: a seat sees a proposal only after accepting the code of conduct and
declaring no conflict of interest for it, and then only if assigned to it (the chair: every
proposal; the deputy chair: also those on which the chair declared a conflict). A seat the
officer removed sees nothing.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import (
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    DeputyDecision,
    Proposal,
)

# A proposal a committee can open: submitted and not withdrawn.
HIDDEN_STATUSES = (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN)


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


def _name(member: CommitteeMember) -> str:
    return member.user.full_name or member.user.email


def advice_gaps(committee: Committee, chair: CommitteeMember) -> list[str]:
    """What must happen before the chair can sign the advice, in words the chair may read.

    Every active member accepted the code of conduct; every assignment of a proposal under
    assessment is assessed or withdrawn with a reason; the chair declared about every
    proposal; the deputy chair decided on every proposal on which the chair is conflicted.
    A proposal the chair may not see is only counted, never named.
    """
    from .ranking import RANKED_STATUSES

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
    hidden_missing = 0
    for assignment in (
        Assignment.objects.active()
        .filter(member__committee=committee, proposal__status__in=RANKED_STATUSES)
        .exclude(assessment__status=Assessment.Status.SUBMITTED)
        .select_related("member__user", "proposal")
        .order_by("proposal__submission_number", "member__role", "member_id")
    ):
        if assignment.proposal_id in conflicted:
            hidden_missing += 1
            continue
        gaps.append(
            _(
                "%(name)s has not submitted scores for %(number)s (withdraw the assignment "
                "with a reason, or reassign it)."
            )
            % {"name": _name(assignment.member), "number": assignment.proposal.submission_number}
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
