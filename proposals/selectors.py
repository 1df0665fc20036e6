"""Reads of proposals and assessments shared by pages, API and the dashboard."""

from contextlib import suppress
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext

from calls.models import Question
from portal.models import Membership, Role

from .models import (
    Assessment,
    Assignment,
    CommitteeMember,
    ConflictDeclaration,
    Contract,
    Deliverable,
    Proposal,
)


def proposals_of_company_member(user) -> QuerySet[Proposal]:
    """A company member's view: every proposal of their companies, drafts included."""
    companies = Membership.objects.filter(user=user, role=Role.APPLICANT).values("organisation_id")
    return Proposal.objects.filter(company_id__in=companies).select_related(
        "call__authority", "phase__call", "company"
    )


def proposals_for_officer(user) -> QuerySet[Proposal]:
    """An officer's view: submitted (never draft) proposals of their authorities' calls."""
    authorities = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    return (
        Proposal.objects.filter(call__authority_id__in=authorities)
        .exclude(status=Proposal.Status.DRAFT)
        .select_related("call__authority", "phase__call", "company")
        .annotate(
            attachment_count=Count("attachments", distinct=True),
            assessments_done=Count(
                "assignments__assessment",
                filter=Q(assignments__assessment__status=Assessment.Status.SUBMITTED),
                distinct=True,
            ),
        )
    )


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


def deliverables_due_for_company_member(user) -> QuerySet[Deliverable]:
    companies = Membership.objects.filter(user=user, role=Role.APPLICANT).values("organisation_id")
    return Deliverable.objects.filter(
        contract__proposal__company_id__in=companies,
        status__in=[Deliverable.Status.PENDING, Deliverable.Status.REJECTED],
    ).select_related("contract__proposal__call")


def deliverables_to_review_for_officer(user) -> QuerySet[Deliverable]:
    authorities = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    return Deliverable.objects.filter(
        contract__proposal__call__authority_id__in=authorities,
        status=Deliverable.Status.DELIVERED,
    ).select_related("contract__proposal__call", "contract__proposal__company")


def contracts_for_officer(user) -> QuerySet[Contract]:
    authorities = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    return Contract.objects.filter(proposal__call__authority_id__in=authorities).select_related(
        "proposal__call", "proposal__company", "proposal__phase"
    )


def answers_for_display(proposal: Proposal) -> list[dict]:
    """The answers as they were given, with each question's wording at that time (snapshots).

    Yes/no answers read as words and numbers in the active language's notation; the live
    questions are never read, so a later edit of the call does not change what is shown.
    """
    shown = []
    for entry in proposal.answers or []:
        question = entry.get("question") or {}
        answer = entry.get("answer")
        kind = question.get("kind")
        if answer is True or (kind == Question.Kind.YES_NO and answer in ("yes", "true")):
            answer = gettext("Yes")
        elif answer is False or (kind == Question.Kind.YES_NO and answer in ("no", "false")):
            answer = gettext("No")
        elif kind == Question.Kind.NUMBER and answer not in (None, ""):
            with suppress(ArithmeticError):
                answer = number_format(Decimal(str(answer)))
        shown.append(
            {
                "id": question.get("id"),
                "text": question.get("text", ""),
                "answer": "" if answer is None else str(answer),
                # Written by a person (in Dutch), not a yes/no or number the page words itself.
                "typed": kind in (Question.Kind.TEXT, Question.Kind.CHOICE),
            }
        )
    return shown
