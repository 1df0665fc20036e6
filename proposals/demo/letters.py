"""Demo decision letters: the decisions of SBIR Circulaire Viaducten as ``Decision`` rows (the
history writes the proposals' outcome directly) and the letters of a few companies that were
not awarded, rendered as the task renders them, made and sent on the day of the decision and
read the day after (``backdate_letter``).
"""

from datetime import timedelta

from django.utils import timezone

from calls.models import Call, Phase

from ..models import Advice, Decision, DecisionLetter, Proposal
from ..services.letters import decision_letter_make, decision_letter_redate

STANDSTILL_DAYS = 20


def _decisions(phase: Phase) -> None:
    """A final decision for every decided proposal of the phase that has none yet."""
    advice = Advice.objects.filter(committee__phase=phase).first()
    eligible = {row["proposal"] for row in (advice.ranking if advice else []) if row["eligible"]}
    decided = (
        Proposal.objects.filter(
            phase=phase, status__in=[Proposal.Status.AWARDED, Proposal.Status.REJECTED]
        )
        .filter(decisions__isnull=True)
        .select_related("contract")
    )
    rows = []
    for proposal in decided:
        decided_at = proposal.decided_at or timezone.now()
        if proposal.is_awarded:
            kind = Decision.Kind.AWARD
        elif proposal.pk in eligible:
            kind = Decision.Kind.REJECTION
        else:
            kind = Decision.Kind.NOT_ELIGIBLE
        contract = getattr(proposal, "contract", None) if proposal.is_awarded else None
        rows.append(
            Decision(
                proposal=proposal,
                phase=phase,
                kind=kind,
                status=Decision.Status.FINAL,
                amount=(contract.amount if contract else proposal.requested_amount)
                if kind == Decision.Kind.AWARD
                else None,
                motivation=proposal.decision_motivation or "-",
                standstill_days=STANDSTILL_DAYS,
                standstill_ends_on=timezone.localdate(decided_at) + timedelta(days=STANDSTILL_DAYS),
                decided_by_id=proposal.decided_by_id,
                decided_at=decided_at,
                finalised_at=decided_at + timedelta(days=STANDSTILL_DAYS + 1),
            )
        )
    Decision.objects.bulk_create(rows)


def backdate_letter(letter: DecisionLetter, decision: Decision, *, read: bool = True) -> None:
    """A letter of the demo's history carries the date of its decision: made and sent that
    day (the standstill, already counted from the decision's date, runs from the letter), its
    PDF dated that day, read by the company the day after."""
    decision_letter_redate(letter_id=letter.pk, on=timezone.localdate(decision.decided_at))
    DecisionLetter.objects.filter(pk=letter.pk).update(
        created_at=decision.decided_at,
        sent_at=decision.decided_at,
        read_at=decision.decided_at + timedelta(days=1) if read else None,
    )


def letters_load(call: Call, *, per_phase: int = 1) -> str:
    """Letters for the best-ranked companies that were not awarded, per phase of the call."""
    made = []
    for phase in call.phases.order_by("order"):
        _decisions(phase)
        advice = Advice.objects.filter(committee__phase=phase).first()
        if advice is None:
            continue
        rank = {row["proposal"]: row.get("rank") or 10_000 for row in advice.ranking}
        rejected = sorted(
            Decision.objects.filter(phase=phase, kind=Decision.Kind.REJECTION).select_related(
                "proposal"
            ),
            key=lambda decision: (rank.get(decision.proposal_id, 10_000), decision.pk),
        )[:per_phase]
        for decision in rejected:
            letter = DecisionLetter.objects.filter(decision=decision).first()
            if letter is None:
                letter = decision_letter_make(decision_id=decision.pk, send=False)
                if letter is None:
                    continue
                backdate_letter(letter, decision)
            made.append(letter.number)
    return f"{len(made)} decision letters"
