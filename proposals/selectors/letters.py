"""What a decision letter states, and the letters pages and the API list.

The scores come from the committee's signed advice (its frozen ranking); the motivation per
criterion is the chair's consensus motivation, else the submitted assessors' motivations
(without their names). A letter holds the company's own scores and those of the winning
proposals only: never the scores of another company that was not awarded.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from calls.models import Call, Criterion, Phase, Prize
from portal.models import Organisation, User

from ..models import (
    Advice,
    Assessment,
    ConsensusScore,
    CriterionScore,
    Decision,
    DecisionLetter,
    Proposal,
)


@dataclass
class CriterionLine:
    criterion: Criterion
    score: Decimal | None
    motivation: list[str] = field(default_factory=list)


@dataclass
class Advantage:
    """A criterion on which a winning proposal scored higher than this company's."""

    criterion: Criterion
    winner_score: Decimal
    own_score: Decimal | None
    motivation: list[str] = field(default_factory=list)


@dataclass
class Winner:
    proposal: Proposal
    weighted: Decimal | None
    rank: int | None
    lines: list[CriterionLine]
    advantages: list[Advantage]


@dataclass
class PrizeLine:
    """A prize of the call as the letter states it: who won it, or why it was not awarded."""

    prize: Prize
    winners: list[str]
    withheld_reason: str = ""


@dataclass
class LetterContent:
    proposal: Proposal
    call: Call
    phase: Phase
    decision: Decision
    lines: list[CriterionLine]
    weighted: Decimal | None
    rank: int | None
    ranked: int
    reasons: list[str]
    winners: list[Winner]
    is_partnership: bool
    standstill_ends_on: date | None = None
    number: str = ""
    # Prize competition or hackathon: the call's prizes, and the body's legal position.
    is_contest: bool = False
    prizes: list[PrizeLine] = field(default_factory=list)
    under_awb: bool = False

    @property
    def prize(self) -> Prize | None:
        return self.decision.prize

    @property
    def is_award(self) -> bool:
        return self.decision.kind == Decision.Kind.AWARD

    @property
    def is_not_awarded(self) -> bool:
        return self.decision.kind == Decision.Kind.REJECTION


def letter_language(company: Organisation) -> str:
    """The company's language: Dutch for a Dutch company, English for one from abroad."""
    return "nl" if company.country == "NL" else "en"


def _row(advice: Advice | None, proposal_id: int) -> dict | None:
    if advice is None:
        return None
    return next((row for row in advice.ranking if row.get("proposal") == proposal_id), None)


def _score(row: dict | None, criterion: Criterion) -> Decimal | None:
    if row is None:
        return None
    value = row.get("scores", {}).get(str(criterion.pk))
    return Decimal(value) if value is not None else None


def _motivations(proposal_ids: list[int], phase: Phase) -> dict[tuple[int, int], list[str]]:
    """(proposal, criterion) -> the committee's motivation: consensus first, else assessors'."""
    found: defaultdict[tuple[int, int], list[str]] = defaultdict(list)
    for proposal_id, criterion_id, text in ConsensusScore.objects.filter(
        proposal_id__in=proposal_ids
    ).values_list("proposal_id", "criterion_id", "motivation"):
        found[(proposal_id, criterion_id)].append(text)
    agreed = set(found)
    for proposal_id, criterion_id, text in (
        CriterionScore.objects.filter(
            assessment__assignment__proposal_id__in=proposal_ids,
            assessment__assignment__withdrawn_at__isnull=True,
            assessment__status=Assessment.Status.SUBMITTED,
        )
        .order_by("assessment_id")
        .values_list("assessment__assignment__proposal_id", "criterion_id", "motivation")
    ):
        if (proposal_id, criterion_id) not in agreed:
            found[(proposal_id, criterion_id)].append(text)
    return found


def letter_winners(decision: Decision) -> list[Proposal]:
    """The proposals of the phase that are (to be) awarded: the letter names them."""
    return [
        award.proposal
        for award in Decision.objects.filter(phase_id=decision.phase_id, kind=Decision.Kind.AWARD)
        .exclude(status=Decision.Status.WITHDRAWN)
        .exclude(proposal_id=decision.proposal_id)
        .select_related("proposal__company")
    ]


def letter_content(decision: Decision, *, number: str = "") -> LetterContent:
    """Everything the letter on this decision states to the proposal's company."""
    proposal = decision.proposal
    phase = proposal.phase
    call = proposal.call
    advice = Advice.objects.filter(committee__phase=phase).first()
    criteria = list(phase.criteria.all())
    winners = [] if decision.is_award else letter_winners(decision)
    texts = _motivations([proposal.pk] + [w.pk for w in winners], phase)
    own_row = _row(advice, proposal.pk)

    def lines_for(pk: int, row: dict | None) -> list[CriterionLine]:
        return [
            CriterionLine(criterion=c, score=_score(row, c), motivation=texts.get((pk, c.pk), []))
            for c in criteria
        ]

    own_lines = lines_for(proposal.pk, own_row)
    own_scores = {line.criterion.pk: line.score for line in own_lines}
    winner_rows = []
    for winner in winners:
        row = _row(advice, winner.pk)
        lines = lines_for(winner.pk, row)
        advantages = []
        for line in lines:
            own = own_scores.get(line.criterion.pk)
            if line.score is not None and (own is None or line.score > own):
                advantages.append(
                    Advantage(
                        criterion=line.criterion,
                        winner_score=line.score,
                        own_score=own,
                        motivation=line.motivation,
                    )
                )
        winner_rows.append(
            Winner(
                proposal=winner,
                weighted=_decimal(row, "weighted"),
                rank=row.get("rank") if row else None,
                lines=lines,
                advantages=advantages,
            )
        )
    winner_rows.sort(key=lambda w: (w.rank is None, w.rank or 0, w.proposal.pk))
    return LetterContent(
        proposal=proposal,
        call=call,
        phase=phase,
        decision=decision,
        lines=own_lines,
        weighted=_decimal(own_row, "weighted"),
        rank=own_row.get("rank") if own_row else None,
        ranked=sum(1 for row in advice.ranking if row.get("rank")) if advice else 0,
        reasons=_reasons(phase, own_lines, _decimal(own_row, "weighted")),
        winners=winner_rows,
        is_partnership=call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP,
        standstill_ends_on=decision.standstill_ends_on if decision.standstill_days else None,
        number=number,
        is_contest=call.is_contest,
        prizes=prize_lines(phase) if call.is_contest else [],
        under_awb=decision.under_awb,
    )


def prize_lines(phase: Phase) -> list[PrizeLine]:
    """The phase's prizes with the companies that won them (standing awards) or the reason
    one was not awarded: two queries."""
    prizes = list(Prize.objects.filter(phase=phase).select_related("withholding").order_by("rank"))
    winners: defaultdict[int, list[str]] = defaultdict(list)
    for prize_id, company in (
        Decision.objects.filter(phase=phase, kind=Decision.Kind.AWARD, prize__isnull=False)
        .exclude(status=Decision.Status.WITHDRAWN)
        .order_by("prize__rank", "pk")
        .values_list("prize_id", "proposal__company__name")
    ):
        winners[prize_id].append(company)
    lines = []
    for prize in prizes:
        withholding = getattr(prize, "withholding", None)
        lines.append(
            PrizeLine(
                prize=prize,
                winners=winners.get(prize.pk, []),
                withheld_reason=withholding.reason if withholding else "",
            )
        )
    return lines


def _reasons(phase: Phase, lines: list[CriterionLine], weighted: Decimal | None) -> list[str]:
    """Why a proposal is not eligible, in the letter's language (the advice keeps the text in
    the language of its signing)."""
    reasons = [
        _("Below the minimum of %(min)d on “%(name)s”.")
        % {"min": line.criterion.threshold, "name": line.criterion.name}
        for line in lines
        if line.criterion.threshold is not None
        and line.score is not None
        and line.score < line.criterion.threshold
    ]
    if any(line.score is None for line in lines):
        reasons.append(_("Not yet scored on every criterion."))
    elif (
        weighted is not None
        and phase.overall_threshold is not None
        and weighted < phase.overall_threshold
    ):
        reasons.append(
            _("Below the minimum weighted score of %(min)s.") % {"min": phase.overall_threshold}
        )
    return reasons


def _decimal(row: dict | None, key: str) -> Decimal | None:
    if row is None or row.get(key) is None:
        return None
    return Decimal(row[key])


# --- Lists ------------------------------------------------------------------------------------


def letters_of_proposal(proposal: Proposal) -> QuerySet[DecisionLetter]:
    return (
        DecisionLetter.objects.filter(proposal=proposal)
        .select_related("decision")
        .order_by("-created_at", "-pk")
    )


def letters_of_phase(phase: Phase) -> QuerySet[DecisionLetter]:
    """The officer's overview: every letter of the phase with its company, one query."""
    return (
        DecisionLetter.objects.filter(decision__phase=phase)
        .select_related("proposal__company", "read_by", "decision")
        .order_by("proposal__submission_number", "-created_at", "-pk")
    )


def letters_visible_to(user: User) -> QuerySet[DecisionLetter]:
    """The API list: a company's own letters, and the letters of the calls an officer runs."""
    from calls.selectors.calls import calls_managed_by
    from portal.models import Role

    if not user.is_authenticated:
        return DecisionLetter.objects.none()
    companies = user.memberships.filter(role=Role.APPLICANT).values("organisation_id")
    own = DecisionLetter.objects.filter(
        Q(proposal__company_id__in=companies) | Q(participation_request__company_id__in=companies)
    )
    managed = DecisionLetter.objects.filter(
        Q(
            proposal__call_id__in=calls_managed_by(user).values("pk"),
            proposal__submission_number__gt="",
        )
        | Q(participation_request__call_id__in=calls_managed_by(user).values("pk"))
    )
    return (
        (own | managed)
        .distinct()
        .select_related(
            "proposal__company",
            "proposal__call",
            "proposal__phase",
            "participation_request__company",
            "participation_request__call",
        )
        .order_by("-created_at", "-pk")
    )


def no_letters() -> QuerySet[DecisionLetter]:
    return DecisionLetter.objects.none()


def letter_by_pk(pk: int) -> DecisionLetter | None:
    return (
        DecisionLetter.objects.select_related(
            "proposal__company",
            "proposal__call__authority",
            "proposal__phase",
            "participation_request__company",
            "participation_request__call__authority",
        )
        .filter(pk=pk)
        .first()
    )


def selection_letters_of_request(request) -> QuerySet[DecisionLetter]:
    """The letters on a candidate's selection (a new selection after an upheld objection adds
    one), newest first."""
    return DecisionLetter.objects.filter(participation_request=request).order_by(
        "-created_at", "-pk"
    )


def selection_letters_of_call(call: Call) -> QuerySet[DecisionLetter]:
    """The officer's overview of the selection letters, with who read them (one query)."""
    return (
        DecisionLetter.objects.filter(participation_request__call=call)
        .select_related("participation_request__company", "read_by")
        .order_by("-decided_at", "participation_request__company__name", "pk")
    )
