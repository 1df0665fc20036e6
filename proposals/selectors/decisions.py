"""Reads of decisions, their standstill and objections, shared by pages, API and tasks.

Who may see what is decided by ``portal.permissions.can`` (proposals/permissions.py); these
selectors return, for a person who may, exactly the rows that person is entitled to: a
company only its own proposal's decision and objections, its own scores.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from calls.models import Call, Phase
from portal.models import Role, User

from ..models import (
    Assessment,
    ConsensusScore,
    CriterionScore,
    Decision,
    Objection,
    ObjectionDocument,
    Proposal,
    Reassessment,
)


def standing_decision(proposal: Proposal) -> Decision | None:
    """The proposal's intended or final decision, if any (at most one stands)."""
    return (
        Decision.objects.filter(proposal=proposal)
        .exclude(status=Decision.Status.WITHDRAWN)
        .select_related("proposal__call")
        .first()
    )


def decisions_of_proposal(proposal: Proposal) -> list[Decision]:
    """Every decision on the proposal, newest first, withdrawn ones included."""
    return list(
        Decision.objects.filter(proposal=proposal)
        .select_related("proposal__call")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.prefetch_related("documents").order_by("lodged_at"),
            )
        )
        .order_by("-decided_at", "-pk")
    )


def withdrawing_objection(decision: Decision) -> Objection | None:
    """The upheld objection that withdrew ``decision``, or None: a revoked prize decision's
    own objection; in a procurement, the objection upheld in the phase last before the
    decision was withdrawn (upholding it withdrew the phase's intended decisions).

    The company reads why in its own language: a sentence of the page naming the objection,
    with the officer's answer as written (the reason stored with the withdrawal is in the
    officer's language)."""
    if decision.withdrawn_at is None:
        return None
    upheld = Objection.objects.filter(
        status=Objection.Status.UPHELD, answered_at__lte=decision.withdrawn_at
    )
    if decision.under_awb:
        upheld = upheld.filter(decision=decision)
    else:
        upheld = upheld.filter(decision__phase_id=decision.phase_id)
    return upheld.order_by("-answered_at", "-pk").first()


def standstill_end_of_phase(phase: Phase) -> date | None:
    """The end of the standstill of the phase's intended decisions: the last company's (a
    letter sent a day later runs a day longer, and no decision of the phase is final before
    it, ``decisions_finalise_due``); None: none run."""
    return (
        Decision.objects.filter(phase=phase, status=Decision.Status.INTENDED)
        .order_by()
        .aggregate(end=Max("standstill_ends_on"))["end"]
    )


def standstill_ends_by_phase(call: Call) -> dict[int, date]:
    """Per phase of the call, the end of the standstill its intended decisions run (one query)."""
    rows = (
        Decision.objects.filter(phase__call=call, status=Decision.Status.INTENDED)
        .order_by()
        .values("phase_id")
        .annotate(end=Max("standstill_ends_on"))
    )
    return {row["phase_id"]: row["end"] for row in rows}


def decisions_for(user: User) -> QuerySet[Decision]:
    """The decisions a person may see: of their own company's proposals, and of the calls
    they manage as an officer. Withdrawn ones included, newest first."""
    from calls.selectors.calls import calls_managed_by

    companies = user.memberships.filter(role=Role.APPLICANT).values("organisation_id")
    return (
        Decision.objects.filter(
            Q(proposal__company__in=companies)
            | Q(proposal__call__in=calls_managed_by(user).values("pk"))
        )
        .select_related("proposal__call", "proposal__company", "phase", "prize", "letter")
        .order_by("-decided_at", "-pk")
    )


def objections_of_phase(phase: Phase) -> list[Objection]:
    return list(
        Objection.objects.filter(decision__phase=phase)
        .select_related("decision__proposal__company", "lodged_by")
        .order_by("lodged_at")
    )


def objection_detail(pk: int) -> Objection | None:
    return (
        Objection.objects.select_related(
            "decision__proposal__call__authority",
            "decision__proposal__company",
            "decision__phase",
            "lodged_by",
            "answered_by",
            "lapsed_with",
        )
        .prefetch_related("documents")
        # An objection to a decision; one to the selection has pages of its own.
        .filter(pk=pk, decision__isnull=False)
        .first()
    )


def lapsed_with(objection: Objection) -> list[Objection]:
    """The objections that lapsed when ``objection`` was upheld (their decisions went)."""
    return list(
        Objection.objects.filter(lapsed_with=objection)
        .select_related("decision__proposal__company")
        .order_by("number")
    )


@dataclass(frozen=True)
class CriterionFeedback:
    name: str
    weight: int
    score: Decimal | None
    motivation: str


def feedback_for(proposal: Proposal) -> list[CriterionFeedback]:
    """The proposal's own scores per criterion with the committee's motivation.

    The committee's consensus score where there is one, else the mean of the submitted
    assessors' scores (their motivations joined). Only this proposal's rows are read.
    """
    criteria = list(proposal.phase.criteria.all())
    consensus = {row.criterion_id: row for row in ConsensusScore.objects.filter(proposal=proposal)}
    scores: dict[int, list[CriterionScore]] = {}
    for row in CriterionScore.objects.filter(
        assessment__assignment__proposal=proposal, assessment__status=Assessment.Status.SUBMITTED
    ).order_by("pk"):
        scores.setdefault(row.criterion_id, []).append(row)
    feedback = []
    for criterion in criteria:
        agreed = consensus.get(criterion.pk)
        own = scores.get(criterion.pk, [])
        score: Decimal | None
        if agreed is not None:
            score, motivation = Decimal(agreed.score), agreed.motivation
        elif own:
            score = sum((Decimal(row.score) for row in own), Decimal(0)) / len(own)
            motivation = "\n\n".join(row.motivation for row in own if row.motivation)
        else:
            score, motivation = None, ""
        feedback.append(
            CriterionFeedback(
                name=str(criterion),
                weight=criterion.weight,
                score=score.quantize(Decimal("0.1")) if score is not None else None,
                motivation=motivation,
            )
        )
    return feedback


def objection_document_of(objection: Objection, document_pk: int) -> ObjectionDocument | None:
    return objection.documents.filter(pk=document_pk).first()


def open_objections_for_officer(user: User) -> list[Objection]:
    """Open objections in the calls this person manages, oldest first (one query); not one
    whose decision was withdrawn (left open by the code before objections lapsed): there is
    nothing left to answer."""
    from calls.selectors.calls import calls_managed_by

    return list(
        Objection.objects.filter(
            status=Objection.Status.OPEN,
            decision__status__in=(Decision.Status.INTENDED, Decision.Status.FINAL),
            decision__proposal__call__in=calls_managed_by(user).values("pk"),
        )
        .select_related("decision__proposal__call", "decision__proposal__company")
        .order_by("lodged_at")
    )


def intended_decisions_of_company_member(user: User) -> list[Decision]:
    """Intended decisions on the proposals of this person's companies that the company has
    not objected to (one query): once it has, its objection's page takes over; a withdrawn
    objection leaves the right to object open."""
    companies = user.memberships.filter(role=Role.APPLICANT).values("organisation_id")
    return list(
        Decision.objects.filter(status=Decision.Status.INTENDED, proposal__company__in=companies)
        .exclude(
            Exists(
                Objection.objects.filter(decision_id=OuterRef("pk")).exclude(
                    status=Objection.Status.WITHDRAWN
                )
            )
        )
        .select_related("proposal__call")
    )


def no_decisions() -> QuerySet[Decision]:
    return Decision.objects.none()


def no_objections() -> QuerySet[Objection]:
    return Objection.objects.none()


def objections_for(user: User) -> QuerySet[Objection]:
    """The objections a person may see: their own company's, and those in the calls they
    manage as an officer; newest first, with their documents (constant queries)."""
    from calls.selectors.calls import calls_managed_by

    companies = user.memberships.filter(role=Role.APPLICANT).values("organisation_id")
    return (
        Objection.objects.filter(
            Q(decision__proposal__company__in=companies)
            | Q(decision__proposal__call__in=calls_managed_by(user).values("pk"))
        )
        .select_related("decision__proposal__call", "decision__proposal__company")
        .prefetch_related("documents")
        .order_by("-lodged_at", "-pk")
    )


def reassessable_proposals(objection: Objection) -> QuerySet[Proposal]:
    """The proposals of the objection's phase that the committee assessed and that await a
    decision: those an upheld objection can send back to the committee. An objection to the
    selection (no decision) has none."""
    if objection.decision is None:
        return Proposal.objects.none()
    if objection.revokes_final_decision:
        # A prize decision under the Awb: only the contested entry's decision is revoked.
        return Proposal.objects.filter(pk=objection.decision.proposal_id).select_related("company")
    return (
        Proposal.objects.filter(
            phase_id=objection.decision.phase_id, status=Proposal.Status.UNDER_ASSESSMENT
        )
        .select_related("company")
        .order_by("submission_number", "pk")
    )


def reassessments_of_committee(committee_id: int) -> list[Reassessment]:
    """The committee's reassessments (newest first), with the objection and the proposals,
    for the committee's pages."""
    return list(
        Reassessment.objects.filter(committee_id=committee_id)
        .select_related("objection", "requested_by")
        .prefetch_related("proposals")
        .order_by("-requested_at", "-pk")
    )


def standing_decisions_by_proposal(proposal_ids: list[int]) -> dict[int, Decision]:
    """The intended or final decision per proposal (one query), for a page of a ranking."""
    return {
        decision.proposal_id: decision
        for decision in Decision.objects.filter(proposal_id__in=proposal_ids).exclude(
            status=Decision.Status.WITHDRAWN
        )
    }


def intended_decision_counts(**filters) -> dict[int, dict[str, int]]:
    """{phase_id: {kind: n}} of the decisions still intended (not final, not withdrawn), in
    one query; ``filters`` as on Decision (``phase=…``, ``phase__call=…``)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Decision.objects.filter(status=Decision.Status.INTENDED, **filters)
        .values_list("phase_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for phase_id, kind, n in rows:
        counts.setdefault(phase_id, {})[kind] = n
    return counts


def open_reassessment_of_phase(phase: Phase) -> Reassessment | None:
    """The committee's reassessment after an upheld objection, while its new advice is due."""
    return (
        Reassessment.objects.filter(committee__phase=phase, status=Reassessment.Status.OPEN)
        .select_related("objection")
        .prefetch_related("proposals")
        .first()
    )


def selection_objection_problem(call: Call) -> str | None:
    """Innovation partnership: an open objection of a candidate not selected holds the tender
    stage closed, also once the selection's standstill has passed, until it is answered."""
    if Objection.objects.filter(
        participation_request__call=call, status=Objection.Status.OPEN
    ).exists():
        return _(
            "A candidate objected to the selection; the tender stage opens once the "
            "objection has been answered."
        )
    return None


def selection_objections_of(call: Call) -> QuerySet[Objection]:
    """The objections to the call's selection, with their candidates (one query)."""
    return (
        Objection.objects.filter(participation_request__call=call)
        .select_related("participation_request__company", "lodged_by")
        .order_by("lodged_at", "pk")
    )


def selection_objection_detail(pk: int) -> Objection | None:
    return (
        Objection.objects.filter(pk=pk, participation_request__isnull=False)
        .select_related(
            "participation_request__call__authority",
            "participation_request__company",
            "lodged_by",
            "answered_by",
        )
        .first()
    )
