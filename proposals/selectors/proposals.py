"""Reads of proposals shared by pages, API and the dashboard."""

import operator
from contextlib import suppress
from decimal import Decimal
from functools import reduce

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext

from calls.models import Question
from portal.models import Role
from portal.selectors.identity import organisation_ids_of, roles_of

from ..models import Assessment, Attachment, Proposal


def proposals_of_company_member(user) -> QuerySet[Proposal]:
    """A company member's view: every proposal of their companies, drafts included."""
    companies = organisation_ids_of(user, role=Role.APPLICANT)
    return Proposal.objects.filter(company_id__in=companies).select_related(
        "call__authority", "phase__call", "company"
    )


# What a proposal in a list shows (the API's ProposalSummarySerializer), as plain values: no
# Proposal, Call, Phase or Organisation instance is made for a row. The phase's deadline falls
# back to its call's (``call__deadline``: the proposal's call is its phase's, and the join the
# sealed-until-the-deadline filter already makes).
SUMMARY_VALUES = (
    "id", "title", "status", "requested_amount", "submission_number", "submitted_at",
    "decided_at",
    "call_id", "call__created_at", "call__title", "call__blind_assessment",
    "call__authority__name",
    "phase_id", "phase__order", "phase__kind", "phase__name", "phase__deadline",
    "call__deadline",
    "company_id", "company__name", "company__kvk_number", "company__country",
    "company__verified_at",
)  # fmt: skip


def proposal_summaries(proposals: QuerySet[Proposal]) -> QuerySet:
    """The rows of a list of proposals: ``SUMMARY_VALUES`` of each, as dictionaries."""
    return proposals.prefetch_related(None).values(*SUMMARY_VALUES)


def proposals_submitted_to(user) -> QuerySet[Proposal]:
    """An officer's view: submitted (never draft) proposals of their authorities' calls whose
    phase has passed its deadline (sealed until then). Nothing joined or counted here: a list
    reads what it shows with ``proposal_summaries``."""
    authorities = organisation_ids_of(user, role=Role.PROCUREMENT_OFFICER)
    return (
        Proposal.objects.opened()
        .filter(call__authority_id__in=authorities)
        .exclude(status=Proposal.Status.DRAFT)
    )


def proposals_for_officer(user) -> QuerySet[Proposal]:
    """An officer's view: submitted (never draft) proposals of their authorities' calls whose
    phase has passed its deadline; until then they are sealed (see ``received_counts`` for
    how many came in).

    Each with its number of documents and of submitted assessments, counted by a subquery
    per row: PostgreSQL counts them for the rows of the page only (a join with DISTINCT
    counts would group every proposal of the call before the page is cut).
    """
    authorities = organisation_ids_of(user, role=Role.PROCUREMENT_OFFICER)
    return (
        Proposal.objects.opened()
        .filter(call__authority_id__in=authorities)
        .exclude(status=Proposal.Status.DRAFT)
        .select_related("call__authority", "phase__call", "company")
        .annotate(
            attachment_count=count_of(Attachment.objects.filter(proposal_id=OuterRef("pk"))),
            assessments_done=count_of(
                Assessment.objects.filter(
                    assignment__proposal_id=OuterRef("pk"), status=Assessment.Status.SUBMITTED
                )
            ),
        )
    )


def count_of(rows: QuerySet) -> Coalesce:
    """How many rows a correlated queryset has, as a subquery (0 when none)."""
    counted = rows.order_by().values(group=Value(1)).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


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


def submitted_proposals() -> QuerySet[Proposal]:
    """Every submitted (never draft) proposal, with what the officer's pages show of it."""
    return Proposal.objects.exclude(status=Proposal.Status.DRAFT).select_related(
        "call__authority", "phase", "company"
    )


def status_counts(**filters) -> dict[int, dict[str, int]]:
    """{phase_id: {status: n}} for the submitted (never draft) proposals, in one query."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Proposal.objects.filter(**filters)
        .exclude(status=Proposal.Status.DRAFT)
        .values_list("phase_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for phase_id, status, n in rows:
        counts.setdefault(phase_id, {})[status] = n
    return counts


def proposals_with_company() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("company", "phase", "call")


def attachments_with_document() -> QuerySet[Attachment]:
    return Attachment.objects.select_related("required_document")


def proposals_with_people() -> QuerySet[Proposal]:
    """Proposals with their call, phase, company and the people who made and decided them."""
    return Proposal.objects.select_related(
        "call__authority", "phase__call", "company", "created_by", "decided_by"
    )


def running_proposal_of(*, phase, company) -> Proposal | None:
    """The company's proposal for the phase, unless it was withdrawn."""
    return (
        Proposal.objects.filter(phase=phase, company=company)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .first()
    )


def no_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.none()


def proposals_visible_in_list(user) -> QuerySet[Proposal]:
    """A company member's own proposals, an officer's submitted ones; both for someone both.

    For a list that reads what it shows with ``proposal_summaries``."""
    roles = roles_of(user)
    sources = []
    if Role.APPLICANT in roles:
        sources.append(proposals_of_company_member(user))
    if Role.PROCUREMENT_OFFICER in roles:
        sources.append(proposals_submitted_to(user))
    if not sources:
        return Proposal.objects.none()
    if len(sources) == 1:
        return sources[0]
    either = reduce(operator.or_, (Q(pk__in=source.values("pk")) for source in sources))
    return Proposal.objects.filter(either)


def proposals_with_attachments() -> QuerySet[Proposal]:
    """Proposals as the API's detail shows them: call, phase, company, documents."""
    return Proposal.objects.select_related(
        "call__authority", "phase__call", "company"
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.select_related("required_document"))
    )


def under_assessment_count(phase) -> int:
    return Proposal.objects.filter(phase=phase, status=Proposal.Status.UNDER_ASSESSMENT).count()
