"""The officer's decisions per proposal, the contracts they create, and deliverables.

A decision is intended first (``Decision``, see proposals/models/decision.py): award and
rejection record it with the end of the standstill period, and send ``decision_intended``.
``decisions_finalise_due`` (the beat task ``finalise-decisions``) makes it final once the
period has passed without an open objection in the phase: only then is an award's contract
made and its money committed in the ledger.

Awards of one phase are serialised by locking the phase row: two officers awarding the
last place or the last euro at the same moment cannot both succeed.
"""

import logging
from collections.abc import Collection
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from calls.models import Call, Phase, Prize
from calls.services.lifecycle import (
    STANDSTILL_DEFAULT_DAYS,
    call_cancel,
    call_mark_awarded,
    call_resume_assessment,
)
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import Role, User
from portal.money import ZERO, round_cents
from portal.permissions import can
from portal.services.outbox import outbox_enqueue
from portal.templatetags.portal import euro
from portal.uploads import PDF_ONLY, check_upload

from ..models import (
    Advice,
    Contract,
    Decision,
    Deliverable,
    Objection,
    PrizeWithholding,
    Proposal,
    Reassessment,
)
from ..selectors.capacity import phase_capacity
from ..signals import (
    contract_awarded,
    contract_ended,
    decision_finalised,
    decision_intended,
    decision_withdrawn,
    deliverable_accepted,
)

logger = logging.getLogger(__name__)


def _require_officer(actor: User, proposal: Proposal) -> None:
    if not can(actor, "calls.manage_call", proposal.call):
        raise NotAllowed()


def _signed_advice(phase: Phase) -> Advice:
    """Decisions follow the committee: its chair must have signed the phase's advice."""
    advice = Advice.objects.filter(committee__phase=phase).first()
    if (
        advice is None
        and Reassessment.objects.filter(
            committee__phase=phase, status=Reassessment.Status.OPEN
        ).exists()
    ):
        raise DomainError(
            _(
                "The committee is reassessing proposals of this phase after an upheld "
                "objection. Decide once the chair has signed the new advice."
            ),
            code="reassessment",
        )
    if advice is None:
        raise DomainError(
            _(
                "The committee's advice for this phase has not been signed yet. Decide once "
                "the chair has signed the ranking and selection."
            ),
            code="advice",
        )
    return advice


def _require_eligible(advice: Advice, proposal: Proposal) -> None:
    """Only a proposal the signed ranking found eligible can be awarded."""
    row = next((row for row in advice.ranking if row.get("proposal") == proposal.pk), None)
    if row is None:
        raise DomainError(
            _("%(proposal)s is not in the committee's signed advice and cannot be awarded.")
            % {"proposal": proposal},
            code="advice",
        )
    if not row.get("eligible"):
        raise DomainError(
            _("The committee's advice marks %(proposal)s as not eligible; it cannot be awarded.")
            % {"proposal": proposal},
            code="not_eligible",
        )


# The payment schedule per kind of phase: (deliverable kind, name, share of the contract).
# The shares of a schedule add up to one; the last milestone is due at the contract's end.
MILESTONES: dict[str, list[tuple[str, object, Decimal]]] = {
    Phase.Kind.FEASIBILITY: [
        (Deliverable.Kind.PROGRESS_REPORT, gettext_lazy("Plan of approach"), Decimal("0.30")),
        # The report the prototype phase's funnel asks for: keep this kind on it.
        (Deliverable.Kind.FEASIBILITY_REPORT, gettext_lazy("Feasibility report"), Decimal("0.70")),
    ],
    Phase.Kind.PROTOTYPE: [
        (Deliverable.Kind.PROGRESS_REPORT, gettext_lazy("Interim report"), Decimal("0.40")),
        (
            Deliverable.Kind.PROTOTYPE,
            gettext_lazy("Prototype demonstration and final report"),
            Decimal("0.60"),
        ),
    ],
    Phase.Kind.RD: [
        (Deliverable.Kind.PROGRESS_REPORT, gettext_lazy("Interim target reached"), Decimal("0.50")),
        (Deliverable.Kind.FINAL_REPORT, gettext_lazy("Final report"), Decimal("0.50")),
    ],
}
SINGLE_PAYMENT = [(Deliverable.Kind.FINAL_REPORT, gettext_lazy("Final result"), Decimal("1"))]
# A prize is one payment of its amount, through the same milestone as any contract.
PRIZE_PAYMENT = [(Deliverable.Kind.FINAL_REPORT, gettext_lazy("Prize money"), Decimal("1"))]


def milestone_schedule(
    phase: Phase, amount: Decimal, start: date, end: date
) -> list[tuple[str, str, date, Decimal]]:
    """(kind, name, due date, amount) per milestone; the amounts add up to the cent.

    Each share is rounded half up to whole cents and the rounding remainder goes on the
    last milestone, so the schedule always pays exactly the contract amount.
    """
    steps = (
        PRIZE_PAYMENT
        if phase.kind == Phase.Kind.SINGLE_ROUND
        else MILESTONES.get(phase.kind, SINGLE_PAYMENT)
    )
    rows = []
    paid = ZERO
    for index, (kind, name, share) in enumerate(steps):
        last = index == len(steps) - 1
        part = amount - paid if last else round_cents(amount * share)
        paid += part
        if last:
            due = end
        else:
            months = phase.duration_months * (index + 1) // len(steps)
            due = min(_add_months(start, max(months, 1)), end)
        rows.append((kind, str(name), due, part))
    return rows


def standstill_days_for(call: Call) -> int:
    """The call's standstill period; never below the legal 20 days for a partnership.

    A prize is no procurement: its decision has no standstill and is final at once (an
    administrative body's prize decision is open to objection under the Awb instead)."""
    if call.is_contest:
        return 0
    days = call.standstill_days
    if call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
        days = max(days, STANDSTILL_DEFAULT_DAYS)
    return days


def decision_standstill_from_sending(*, decision_id: int, sent_on: date) -> date | None:
    """The standstill runs from the day the letter is sent (Aw 2012 art. 2.127): a letter that
    leaves after the day of the decision moves the decision's end so that the full period
    follows the letter's own date; it never shortens it. Returns the end of the standstill
    (None when the decision has none: final at once, or no longer intended).

    Call inside the transaction that re-dates the letter; takes the phase's lock, as the other
    decision services do, and writes only ``standstill_ends_on`` (the audit trail records it).
    """
    phase_id = Decision.objects.values_list("phase_id", flat=True).get(pk=decision_id)
    Phase.objects.select_for_update().only("pk").get(pk=phase_id)
    decision = (
        Decision.objects.select_for_update()
        .only("pk", "status", "standstill_days", "standstill_ends_on")
        .get(pk=decision_id)
    )
    if not decision.is_intended or not decision.standstill_days:
        return None
    ends_on = Decision.standstill_end(sent_on, decision.standstill_days)
    if decision.standstill_ends_on < ends_on:
        decision.standstill_ends_on = ends_on
        decision.save(update_fields=["standstill_ends_on"])
    return decision.standstill_ends_on


def _not_decided_yet(proposal: Proposal) -> None:
    """A proposal has one standing decision; a second is refused (a double click too)."""
    if proposal.decisions.exclude(status=Decision.Status.WITHDRAWN).exists():
        raise DomainError(
            _("%(proposal)s already has a decision.") % {"proposal": proposal}, code="decided"
        )


def proposal_award(
    *,
    proposal: Proposal,
    actor: User,
    motivation: str,
    amount: Decimal | None = None,
    prize: Prize | None = None,
) -> Decision:
    """The intended award, within the phase's budget and planned number of awards.

    The contract follows when the standstill period has passed without an open objection
    (``decisions_finalise_due``); with a period of 0 days at once. An entry of a prize
    competition or hackathon is awarded a ``prize`` of its phase instead: its amount is the
    prize's, and the decision is final at once (see ``standstill_days_for``).
    """
    _require_officer(actor, proposal)
    _require_motivation(motivation)
    with transaction.atomic():
        phase = Phase.objects.select_for_update().get(pk=proposal.phase_id)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        amount, prize = _award_terms(proposal, phase, amount, prize)
        if prize is not None:
            # A prize left unawarded that this entry may win after all (``_prize_to_award``).
            PrizeWithholding.objects.filter(prize=prize).delete()
        decision = _intend(
            proposal, phase, actor, motivation, Decision.Kind.AWARD, amount, prize=prize
        )
    return decision


def proposal_award_check(
    *,
    proposal: Proposal,
    actor: User,
    motivation: str,
    amount: Decimal | None = None,
    prize: Prize | None = None,
) -> Decimal:
    """Would ``proposal_award`` accept this award now? Raises its refusal, changes nothing.

    The page asks before it shows its confirmation, so that an officer is never asked to
    confirm an award that is then refused; ``proposal_award`` asks the same rules again on
    the locked rows. Returns the amount the award would be for.
    """
    _require_officer(actor, proposal)
    _require_motivation(motivation)
    amount, _prize = _award_terms(proposal, proposal.phase, amount, prize)
    return amount


def _require_motivation(motivation: str) -> None:
    if not motivation.strip():
        raise DomainError(_("Motivate the decision."), code="motivation")


def _award_terms(
    proposal: Proposal, phase: Phase, amount: Decimal | None, prize: Prize | None
) -> tuple[Decimal, Prize | None]:
    """Every rule of an award, in the order it is refused: the amount and prize it is for."""
    # The state first: a double click on the last award reads "already awarded".
    states.check(proposal, Proposal.Status.AWARDED)
    _not_decided_yet(proposal)
    if Contract.objects.filter(proposal=proposal).exists():
        # A prize taken back on objection: its contract ended, and an entry has one.
        raise DomainError(
            _(
                "%(proposal)s had a prize that was revoked on objection; the portal does "
                "not award it a prize again. Record the new decision outside the portal."
            )
            % {"proposal": proposal},
            code="revoked_prize",
        )
    if proposal.call.has_ended:
        # Cancelled or completed: the public page says so; no award comes after it.
        raise DomainError(
            _("The call has ended; %(proposal)s can no longer be awarded.")
            % {"proposal": proposal},
            code="call_ended",
        )
    _require_eligible(_signed_advice(phase), proposal)
    if proposal.call.is_contest:
        prize = _prize_to_award(phase, prize, amount, proposal)
        amount = prize.amount
    elif prize is not None:
        raise DomainError(_("Only an entry of a contest wins a prize."), code="prize")
    amount = amount if amount is not None else proposal.requested_amount
    if amount is None or amount <= 0:
        raise DomainError(_("The contract amount must be more than zero."), code="amount")
    if amount > phase.max_per_award:
        raise DomainError(
            _("The amount exceeds the maximum of %(max)s per award.")
            % {"max": euro(phase.max_per_award)},
            code="amount",
        )
    capacity = phase_capacity(phase)
    if capacity.awards_left == 0:
        raise DomainError(
            ngettext(
                "The %(n)d planned award of this phase has been made.",
                "All %(n)d planned awards of this phase have been made.",
                phase.planned_awards,
            )
            % {"n": phase.planned_awards},
            code="awards_full",
        )
    if amount > capacity.budget_left:
        raise DomainError(
            _("The phase has %(left)s left; %(amount)s does not fit.")
            % {"left": euro(capacity.budget_left), "amount": euro(amount)},
            code="budget",
        )
    return amount, prize


def _prize_to_award(
    phase: Phase, prize: Prize | None, amount: Decimal | None, proposal: Proposal
) -> Prize:
    """The prize an entry is awarded: one of its phase's, with a place left, not withheld;
    an amount other than the prize's is refused (the call promised it).

    A prize left unawarded before the entry's decision was revoked on objection may go to
    the entry after all: the objection reopened its place in the distribution of the prizes.
    ``proposal_award`` then deletes the withholding (the audit trail keeps it and its reason);
    this only asks, as ``proposal_award_check`` does."""
    if prize is None:
        raise DomainError(_("Choose the prize this entry wins."), code="prize")
    prize = Prize.objects.filter(pk=prize.pk, phase=phase).first()
    if prize is None:
        raise DomainError(_("That prize is not a prize of this phase."), code="prize")
    if amount is not None and amount != prize.amount:
        raise DomainError(
            _("A prize is paid as the call states it: %(amount)s for this prize.")
            % {"amount": euro(prize.amount)},
            code="amount",
        )
    withholding = PrizeWithholding.objects.filter(prize=prize).first()
    if withholding is not None:
        revoked = Decision.objects.filter(
            proposal=proposal,
            under_awb=True,
            status=Decision.Status.WITHDRAWN,
            finalised_at__isnull=False,
            withdrawn_at__gte=withholding.decided_at,
        )
        if not revoked.exists():
            raise DomainError(_("This prize has been left unawarded."), code="prize_withheld")
    won = (
        Decision.objects.filter(prize=prize, kind=Decision.Kind.AWARD)
        .exclude(status=Decision.Status.WITHDRAWN)
        .count()
    )
    if won >= prize.count:
        raise DomainError(
            ngettext(
                "Prize %(rank)d has been awarded already.",
                "All %(count)d prizes of rank %(rank)d have been awarded.",
                prize.count,
            )
            % {"rank": prize.rank, "count": prize.count},
            code="prize_taken",
        )
    return prize


def prize_withhold(*, prize: Prize, actor: User, reason: str) -> PrizeWithholding:
    """Leave a prize (the places of it not yet won) unawarded, with the reason: the letters
    and the public results say so. Refused for a prize every place of which was awarded."""
    if not can(actor, "calls.manage_call", prize.phase.call):
        raise NotAllowed()
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for not awarding the prize."), code="reason")
    with transaction.atomic():
        phase = Phase.objects.select_for_update().get(pk=prize.phase_id)
        prize = Prize.objects.get(pk=prize.pk, phase=phase)
        if PrizeWithholding.objects.filter(prize=prize).exists():
            raise DomainError(_("This prize has been left unawarded already."), code="decided")
        won = (
            Decision.objects.filter(prize=prize, kind=Decision.Kind.AWARD)
            .exclude(status=Decision.Status.WITHDRAWN)
            .count()
        )
        if won >= prize.count:
            raise DomainError(_("This prize has been awarded."), code="prize_taken")
        return PrizeWithholding.objects.create(prize=prize, reason=reason, decided_by=actor)


def proposal_reject(*, proposal: Proposal, actor: User, motivation: str) -> Decision:
    """The intended rejection; "not eligible" when the signed advice found it so."""
    _require_officer(actor, proposal)
    _require_motivation(motivation)
    with transaction.atomic():
        phase = Phase.objects.select_for_update().get(pk=proposal.phase_id)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        kind = _rejection_kind(proposal, phase)
        decision = _intend(proposal, phase, actor, motivation, kind, None)
    return decision


def proposal_reject_check(*, proposal: Proposal, actor: User, motivation: str) -> None:
    """Would ``proposal_reject`` accept this rejection now? Raises its refusal, changes
    nothing (asked before the page's confirmation, as ``proposal_award_check``)."""
    _require_officer(actor, proposal)
    _require_motivation(motivation)
    _rejection_kind(proposal, proposal.phase)


def _rejection_kind(proposal: Proposal, phase: Phase) -> str:
    """Every rule of a rejection; its kind: "not eligible" when the signed advice found so."""
    states.check(proposal, Proposal.Status.REJECTED)
    _not_decided_yet(proposal)
    advice = _signed_advice(phase)
    row = next((r for r in advice.ranking if r.get("proposal") == proposal.pk), None)
    if row is not None and not row.get("eligible"):
        return Decision.Kind.NOT_ELIGIBLE
    return Decision.Kind.REJECTION


def _intend(
    proposal: Proposal,
    phase: Phase,
    actor: User,
    motivation: str,
    kind: str,
    amount: Decimal | None,
    *,
    prize: Prize | None = None,
) -> Decision:
    call = proposal.call
    days = standstill_days_for(call)
    today = timezone.localdate()
    decision = Decision.objects.create(
        proposal=proposal,
        phase=phase,
        kind=kind,
        amount=amount,
        prize=prize,
        under_awb=call.is_contest and call.authority.is_administrative_body,
        motivation=motivation.strip(),
        standstill_days=days,
        standstill_ends_on=Decision.standstill_end(today, days),
        decided_by=actor,
    )
    proposal.decision_motivation = decision.motivation
    proposal.decided_by = actor
    proposal.decided_at = decision.decided_at
    proposal.save(update_fields=["decision_motivation", "decided_by", "decided_at", "updated_at"])
    # The company hears of it once, by the letter (with the decision's summary): the letters
    # leave when the whole phase is decided (``decision_letters_schedule``).
    decision_intended.send(sender=Decision, decision=decision, actor=actor)
    if days == 0:
        # No standstill (a stated reason on the call): final at once.
        _finalise(decision, phase)
    return decision


def _finalise(decision: Decision, phase: Phase) -> None:
    """Make an intended decision final; an award gets its contract and the ledger commits.

    The caller holds the phase's lock. The officer who decided is the actor: the beat task
    concludes the contract on their behalf.
    """
    actor = decision.decided_by
    proposal = Proposal.objects.select_for_update().get(pk=decision.proposal_id)
    decision.proposal = proposal  # the caller's decision shows the proposal's new state
    to_state = Proposal.Status.AWARDED if decision.is_award else Proposal.Status.REJECTED
    states.transition(proposal, to_state, actor=actor, extra_fields=["updated_at"])
    decision.finalised_at = timezone.now()
    states.transition(decision, Decision.Status.FINAL, actor=actor, extra_fields=["finalised_at"])
    if decision.is_award:
        assert decision.amount is not None
        start = timezone.localdate()
        end = _add_months(start, phase.duration_months)
        contract = Contract.objects.create(
            proposal=proposal, amount=decision.amount, start_date=start, end_date=end
        )
        for kind, name, due, part in milestone_schedule(phase, decision.amount, start, end):
            # One by one, not in bulk: each milestone gets its entry in the audit trail.
            Deliverable.objects.create(
                contract=contract, kind=kind, name=name, due_date=due, amount=part
            )
        # The ledger commits the amount in this same transaction; a refusal undoes it.
        contract_awarded.send(sender=Contract, contract=contract, actor=actor)
    decision_finalised.send(sender=Decision, decision=decision, actor=actor)
    _finish_phase_if_decided(phase, actor)


def phase_awaits_decisions(phase_id: int) -> bool:
    """Whether a proposal of the phase that went to the committee has no standing decision."""
    standing = Decision.objects.filter(phase_id=phase_id).exclude(status=Decision.Status.WITHDRAWN)
    return (
        Proposal.objects.filter(phase_id=phase_id, status=Proposal.Status.UNDER_ASSESSMENT)
        .exclude(pk__in=standing.values("proposal_id"))
        .exists()
    )


def phase_has_open_objection(phase_id: int) -> bool:
    return Objection.objects.filter(
        decision__phase_id=phase_id,
        decision__status=Decision.Status.INTENDED,
        status=Objection.Status.OPEN,
    ).exists()


def decisions_finalise_due(*, today: date | None = None) -> int:
    """Finalise every intended decision whose standstill has passed, phase by phase.

    A phase with an open objection waits: none of its decisions becomes final (and no
    contract is made) until the objection is answered; so does a phase in which the
    standstill of one company still runs (its letter was sent a day later). Safe to run on
    several workers: a phase locked by another run is skipped (``skip_locked``). Returns how
    many it finalised.
    """
    today = today or timezone.localdate()
    due = Decision.objects.filter(status=Decision.Status.INTENDED, standstill_ends_on__lt=today)
    finalised = 0
    for phase_id in sorted(set(due.values_list("phase_id", flat=True))):
        try:
            with transaction.atomic():
                phase = (
                    Phase.objects.select_for_update(skip_locked=True).filter(pk=phase_id).first()
                )
                # Not before every company of the phase has had its letter (the period
                # runs from then), nor while an objection is open, nor while the period of
                # a company of the phase still runs (its letter left a day later: no
                # contract before its standstill has ended either).
                if (
                    phase is None
                    or phase_awaits_decisions(phase_id)
                    or phase_has_open_objection(phase_id)
                    or Decision.objects.filter(
                        phase_id=phase_id,
                        status=Decision.Status.INTENDED,
                        standstill_ends_on__gte=today,
                    ).exists()
                ):
                    continue
                for decision in due.filter(phase_id=phase_id).select_for_update().order_by("pk"):
                    _finalise(decision, phase)
                    finalised += 1
        except DomainError:
            # E.g. the ledger refused the commitment: the phase waits for the officer, and
            # the next run tries again.
            logger.exception("Could not finalise the decisions of phase %s", phase_id)
    return finalised


def _mark_withdrawn(decision: Decision, *, actor: User, reason: str) -> None:
    """The decision no longer stands: when and why, with its move in the state table."""
    decision.withdrawn_at = timezone.now()
    decision.withdrawal_reason = reason
    states.transition(
        decision,
        Decision.Status.WITHDRAWN,
        actor=actor,
        extra_fields=["withdrawn_at", "withdrawal_reason"],
    )


def phase_decisions_withdraw(
    *, phase: Phase, actor: User, reason: str, told_otherwise: Collection[int] = ()
) -> int:
    """Withdraw every intended decision of the phase (an upheld objection); the caller
    holds the phase's lock. The proposals await a new decision.

    Each company is told by one e-mail; ``told_otherwise`` are the proposals whose companies
    hear it in the answer to their objections (the upheld one, and the ones that lapse with
    the decisions): one e-mail for one event, not two."""
    withdrawn = 0
    for decision in (
        Decision.objects.select_for_update()
        .filter(phase=phase, status=Decision.Status.INTENDED)
        .order_by("pk")
    ):
        _mark_withdrawn(decision, actor=actor, reason=reason)
        decision_withdrawn.send(sender=Decision, decision=decision, actor=actor, reason=reason)
        if decision.proposal_id not in told_otherwise:
            _tell_withdrawal_on_commit(decision.pk)
        withdrawn += 1
    return withdrawn


def decision_revoke(*, decision: Decision, actor: User, reason: str) -> Decision:
    """Revoke a final prize decision under the Awb because an objection to it was upheld
    (art. 7:11 Awb: the decision on the objection revokes the contested decision, and a new
    decision takes its place). The caller holds the phase's lock.

    Only the contested decision goes: the other entrants' decisions are final and stand. The
    entry awaits a new decision (by the officer, or after the jury's reassessment), which gets
    a new letter and a new period for an objection. A prize it had won is taken back: its
    contract ends and the ledger releases what was not paid; the place is free again. A call
    that had ended with the decisions on the phase (awarded, or cancelled because none could be
    awarded) is under assessment again; the entry's new decision ends it as the decisions
    then say (``_finish_phase_if_decided``). Prizes left unawarded stay so for the others."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not (decision.under_awb and decision.is_final):
        raise DomainError(
            _("Only a final decision under the Awb is revoked on objection."), code="state"
        )
    proposal = Proposal.objects.select_for_update().get(pk=decision.proposal_id)
    call = Call.objects.get(pk=proposal.call_id)
    # Whether the call ended with the decisions on its first phase: none awaited one.
    ended_with_decisions = not Proposal.objects.filter(
        phase_id=decision.phase_id, status=Proposal.Status.UNDER_ASSESSMENT
    ).exists()
    contract = Contract.objects.select_for_update().filter(proposal=proposal).first()
    if contract is not None and contract.is_active:
        contract_close(contract, to_state=Contract.Status.TERMINATED, actor=actor, reason=reason)
    _mark_withdrawn(decision, actor=actor, reason=reason)
    states.transition(proposal, Proposal.Status.UNDER_ASSESSMENT, actor=actor)
    # A prize left unawarded stays so: the other entrants' final letters and the public
    # results say it. Only this entry's new decision may still give it (``_prize_to_award``).
    phase = Phase.objects.get(pk=decision.phase_id)
    if (
        phase.order == 1
        and ended_with_decisions
        and call.status in (Call.Status.AWARDED, Call.Status.CANCELLED)
    ):
        # The call ended with the decisions on this phase (``_finish_phase_if_decided``):
        # it is under assessment again until the entry's new decision ends it again.
        call_resume_assessment(call=call, actor=actor, reason=reason)
    decision.proposal = proposal
    decision_withdrawn.send(sender=Decision, decision=decision, actor=actor, reason=reason)
    return decision


def _finish_phase_if_decided(phase: Phase, actor: User) -> None:
    """Once every proposal of the first phase is decided, the call is awarded.

    When none of them could be awarded the call has no result: it is cancelled with that
    reason (and its followers are told), rather than reading as awarded.
    """
    if phase.order != 1:
        return
    decided = Proposal.objects.filter(phase=phase)
    if decided.filter(status=Proposal.Status.UNDER_ASSESSMENT).exists():
        return
    call = Call.objects.get(pk=phase.call_id)
    if call.status != Call.Status.UNDER_ASSESSMENT:
        return
    if decided.filter(status=Proposal.Status.AWARDED).exists():
        call_mark_awarded(call=call, actor=actor)
    else:
        call_cancel(call=call, actor=actor, reason=_("No proposal could be awarded."))


def _tell_withdrawal_on_commit(decision_id: int) -> None:
    from ..tasks import send_decision_withdrawn

    outbox_enqueue(send_decision_withdrawn, decision_id)


def _add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month + 1, min(start.day, 28))


# --- Deliverables ------------------------------------------------------------------------------


def deliverable_deliver(
    *, deliverable: Deliverable, actor: User, upload: UploadedFile
) -> Deliverable:
    """The company hands in a deliverable (e.g. its feasibility report) as PDF."""
    company_id = deliverable.contract.proposal.company_id
    if not actor.memberships.filter(organisation_id=company_id, role=Role.APPLICANT).exists():
        raise NotAllowed()
    check_upload(upload, allowed=PDF_ONLY)
    with transaction.atomic():
        deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if deliverable.is_accepted:
            raise DomainError(_("This deliverable has been accepted already."))
        if deliverable.is_cancelled:
            raise DomainError(
                _("This deliverable was cancelled when its contract ended; it is not due."),
                code="cancelled",
            )
        deliverable.file = upload
        deliverable.delivered_at = timezone.now()
        states.transition(
            deliverable,
            Deliverable.Status.DELIVERED,
            actor=actor,
            extra_fields=["file", "delivered_at"],
        )
    return deliverable


def deliverable_review(
    *, deliverable: Deliverable, actor: User, accept: bool, remarks: str = ""
) -> Deliverable:
    """The officer accepts a delivered deliverable, or sends it back with remarks."""
    if not can(actor, "calls.manage_call", deliverable.contract.proposal.call):
        raise NotAllowed()
    if not accept and not remarks.strip():
        raise DomainError(_("Explain what must be improved."), code="remarks")
    with transaction.atomic():
        deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if deliverable.is_cancelled:
            raise DomainError(
                _("This deliverable was cancelled when its contract ended; it is not reviewed."),
                code="cancelled",
            )
        if deliverable.status != Deliverable.Status.DELIVERED:
            raise DomainError(_("Only a delivered deliverable can be reviewed."))
        deliverable.reviewed_by = actor
        deliverable.reviewed_at = timezone.now()
        deliverable.review_remarks = remarks.strip()
        states.transition(
            deliverable,
            Deliverable.Status.ACCEPTED if accept else Deliverable.Status.REJECTED,
            actor=actor,
            extra_fields=["reviewed_by", "reviewed_at", "review_remarks"],
        )
        if accept:
            deliverable_accepted.send(sender=Deliverable, deliverable=deliverable, actor=actor)
    return deliverable


# --- Ending a contract -------------------------------------------------------------------------


def _end_contract(*, contract: Contract, actor: User, to_state: str, reason: str) -> Contract:
    if not can(actor, "calls.manage_call", contract.proposal.call):
        raise NotAllowed()
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        states.check(contract, to_state)
        if contract.deliverables.filter(status=Deliverable.Status.DELIVERED).exists():
            raise DomainError(
                _("Review the delivered milestones first: accept them or send them back."),
                code="to_review",
            )
        contract_close(contract, to_state=to_state, actor=actor, reason=reason)
    return contract


def contract_close(contract: Contract, *, to_state: str, actor: User, reason: str) -> None:
    """End ``contract`` (completed or terminated), the one way a contract ends: for the
    officer's completion or termination, and for a prize revoked on objection.

    Its deliverables not accepted yet are cancelled with ``reason``: nobody delivers or
    reviews them any more, they leave both sides' tasks, and they are not paid. Accepted ones
    stay as they are, with their payments. The ledger then releases what the contract did not
    pay (``contract_ended``). The caller holds the contract's lock, in its transaction."""
    states.transition(contract, to_state, actor=actor)
    now = timezone.now()
    for deliverable in (
        Deliverable.objects.select_for_update()
        .filter(contract=contract)
        .exclude(status__in=(Deliverable.Status.ACCEPTED, Deliverable.Status.CANCELLED))
        .order_by("due_date", "pk")
    ):
        # One by one, not in bulk: each leaves its move in the audit trail.
        deliverable.cancelled_at = now
        deliverable.cancellation_reason = reason
        states.transition(
            deliverable,
            Deliverable.Status.CANCELLED,
            actor=actor,
            extra_fields=["cancelled_at", "cancellation_reason"],
        )
    # The ledger gives back what the contract did not pay, in this same transaction.
    contract_ended.send(sender=Contract, contract=contract, actor=actor, reason=reason)


def contract_complete(*, contract: Contract, actor: User, reason: str = "") -> Contract:
    """The work is done; milestones not accepted are cancelled and not paid, and that money
    is released (``contract_close``)."""
    reason = reason.strip() or _("Contract completed")
    return _end_contract(
        contract=contract, actor=actor, to_state=Contract.Status.COMPLETED, reason=reason
    )


def contract_terminate(*, contract: Contract, actor: User, reason: str) -> Contract:
    """Stop a contract early, with a reason: its milestones not accepted are cancelled with
    it, and what it did not pay is released (``contract_close``)."""
    if not reason.strip():
        raise DomainError(_("Give the reason for terminating the contract."), code="reason")
    return _end_contract(
        contract=contract, actor=actor, to_state=Contract.Status.TERMINATED, reason=reason.strip()
    )
