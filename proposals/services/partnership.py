"""Innovation partnership after the award: the phases with interim targets and maximum costs
agreed in each partner's contract, the partner's report against the targets, the officer's
go/no-go per partner, and the purchase at the end.

The money follows in the funding ledger through signals sent inside these transactions
(``proposals.signals``; ``funding.receivers``): a go commits the next phase's maximum cost
(and pays what is left of a finished phase after the first; the first phase is paid by the
award's milestones), a no-go terminates the contract, which releases every commitment it
still holds. A later phase is not scored again unless the call says so
(``Call.rescore_later_phases``).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Call, Phase
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.permissions import can
from portal.templatetags.portal import euro
from portal.uploads import PDF_ONLY, check_upload

from ..models import Contract, InterimTarget, PhasePlan, TargetReport
from ..signals import partnership_continued, partnership_purchased
from .decisions import contract_complete, contract_terminate


@dataclass(frozen=True)
class TargetSpec:
    description: str
    measure: str
    evidence_required: str


@dataclass(frozen=True)
class TargetResult:
    result: str
    evidence: UploadedFile | None


def _require_manager(actor: User, contract: Contract) -> None:
    if not can(actor, "proposals.manage_partnership", contract):
        raise NotAllowed()


def partnership_plan_set(
    *,
    contract: Contract,
    phase: Phase,
    actor: User,
    max_cost: Decimal,
    targets: list[TargetSpec],
) -> PhasePlan:
    """Record (or correct, before anything was reported) a phase of the partner's contract."""
    _require_manager(actor, contract)
    proposal = contract.proposal
    call = proposal.call
    if call.instrument != Call.Instrument.INNOVATION_PARTNERSHIP:
        raise DomainError(_("Only an innovation partnership has phases with interim targets."))
    if phase.call_id != call.pk or phase.order < proposal.phase.order:
        raise DomainError(_("Choose this or a later phase of the partnership."), code="phase")
    if max_cost is None or max_cost <= 0:
        raise DomainError(_("The maximum cost must be more than zero."), code="max_cost")
    if max_cost > phase.max_per_award:
        raise DomainError(
            _("The maximum cost exceeds the phase's maximum of %(max)s per partner.")
            % {"max": euro(phase.max_per_award)},
            code="max_cost",
        )
    own_phase = phase.pk == proposal.phase_id
    if own_phase and max_cost != contract.amount:
        raise DomainError(
            _("The first phase costs what was awarded: %(amount)s.")
            % {"amount": euro(contract.amount)},
            code="max_cost",
        )
    is_purchase = phase.kind == Phase.Kind.PURCHASE
    cleaned = [
        TargetSpec(t.description.strip(), t.measure.strip(), t.evidence_required.strip())
        for t in targets
        if t.description.strip() or t.measure.strip() or t.evidence_required.strip()
    ]
    if any(not (t.description and t.measure and t.evidence_required) for t in cleaned):
        raise DomainError(
            _("Each target needs a description, a measurable level and the evidence required."),
            code="targets",
        )
    if not cleaned and not is_purchase:
        raise DomainError(_("Give the phase at least one interim target."), code="targets")
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if not contract.is_active:
            raise DomainError(_("The contract has ended."), code="ended")
        plan = PhasePlan.objects.filter(contract=contract, phase=phase).first()
        if plan is None:
            plan = PhasePlan.objects.create(contract=contract, phase=phase, max_cost=max_cost)
            if own_phase:
                states.transition(plan, PhasePlan.Status.RUNNING, actor=actor)
        else:
            if not (plan.is_planned or plan.is_running) or (
                plan.is_running and plan.phase_id != proposal.phase_id
            ):
                raise DomainError(
                    _("A phase that has started cannot be changed any more."), code="frozen"
                )
            if TargetReport.objects.filter(target__plan=plan).exists():
                raise DomainError(
                    _("The partner has reported against these targets."), code="frozen"
                )
            plan.max_cost = max_cost
            plan.save(update_fields=["max_cost"])
            for target in plan.targets.all():
                target.delete()
        for order, spec in enumerate(cleaned, start=1):
            InterimTarget.objects.create(
                plan=plan,
                order=order,
                description=spec.description,
                measure=spec.measure,
                evidence_required=spec.evidence_required,
            )
    return plan


def partnership_report(
    *, plan: PhasePlan, actor: User, results: dict[int, TargetResult]
) -> PhasePlan:
    """The partner reports against every target of the phase: a result and its evidence."""
    if not can(actor, "proposals.report_targets", plan):
        raise NotAllowed()
    targets = list(plan.targets.all())
    checked = {}
    for target in targets:
        entry = results.get(target.pk)
        if entry is None or not entry.result.strip():
            raise DomainError(
                _("Give the result for “%(target)s”.") % {"target": target.description},
                code="result",
            )
        if entry.evidence is None:
            raise DomainError(
                _("Add the evidence for “%(target)s”.") % {"target": target.description},
                code="evidence",
            )
        checked[target.pk] = check_upload(entry.evidence, allowed=PDF_ONLY)
    with transaction.atomic():
        plan = PhasePlan.objects.select_for_update().select_related("phase").get(pk=plan.pk)
        if not plan.awaits_report:
            raise DomainError(_("This phase does not await a report."), code="state")
        for target in targets:
            entry = results[target.pk]
            evidence = entry.evidence
            assert evidence is not None  # checked above
            TargetReport.objects.create(
                target=target,
                result=entry.result.strip(),
                evidence=evidence,
                evidence_name=checked[target.pk].name,
                evidence_sha256=checked[target.pk].sha256,
                reported_by=actor,
            )
        plan.reported_at = timezone.now()
        states.transition(
            plan, PhasePlan.Status.REPORTED, actor=actor, extra_fields=["reported_at"]
        )
    return plan


def _next_plan(plan: PhasePlan) -> PhasePlan | None:
    return (
        PhasePlan.objects.select_for_update()
        .filter(contract_id=plan.contract_id, phase__order__gt=plan.phase.order)
        .select_related("phase")
        .order_by("phase__order")
        .first()
    )


def partnership_decide(*, plan: PhasePlan, actor: User, go: bool, reason: str) -> PhasePlan:
    """Go: the partner continues in the next phase. No-go: the partnership with this partner
    ends (for all partners of a call that stops; for some when the authority reduces them)."""
    _require_manager(actor, plan.contract)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the decision."), code="reason")
    with transaction.atomic():
        plan = (
            PhasePlan.objects.select_for_update()
            .select_related("phase", "contract__proposal")
            .get(pk=plan.pk)
        )
        target = PhasePlan.Status.GO if go else PhasePlan.Status.NO_GO
        states.check(plan, target)
        plan.decision_reason = reason
        plan.decided_by = actor
        plan.decided_at = timezone.now()
        fields = ["decision_reason", "decided_by", "decided_at"]
        if go:
            following = _next_plan(plan)
            if following is None:
                states.transition(plan, target, actor=actor, extra_fields=fields)
                contract_complete(contract=plan.contract, actor=actor, reason=reason)
                return plan
            if not following.is_planned:
                raise DomainError(_("The next phase has started already."), code="state")
            states.transition(plan, target, actor=actor, extra_fields=fields)
            states.transition(following, PhasePlan.Status.RUNNING, actor=actor)
            partnership_continued.send(
                sender=PhasePlan, plan=plan, next_plan=following, actor=actor
            )
            return plan
        states.transition(plan, target, actor=actor, extra_fields=fields)
        later = PhasePlan.objects.select_for_update().filter(
            contract_id=plan.contract_id, phase__order__gt=plan.phase.order
        )
        for other in later:
            states.transition(other, PhasePlan.Status.CANCELLED, actor=actor)
        # The contract ends; the ledger releases what it still holds (contract_ended).
        contract_terminate(contract=plan.contract, actor=actor, reason=reason)
    return plan


def partnership_purchase(
    *,
    plan: PhasePlan,
    actor: User,
    amount: Decimal,
    purchased_on: date,
    description: str,
) -> PhasePlan:
    """The authority buys the result at the agreed levels, within the maximum cost, without a
    new tender; the ledger records it as a follow-up purchase."""
    _require_manager(actor, plan.contract)
    if amount is None or amount <= 0:
        raise DomainError(_("The amount must be more than zero."), code="amount")
    if purchased_on > timezone.localdate():
        raise DomainError(_("A purchase is recorded once it was made."), code="purchased_on")
    description = description.strip()
    if not description:
        raise DomainError(_("Say what was bought."), code="description")
    with transaction.atomic():
        plan = PhasePlan.objects.select_for_update().select_related("phase").get(pk=plan.pk)
        if not plan.awaits_purchase:
            raise DomainError(_("This phase is not the purchase to record."), code="state")
        if amount > plan.max_cost:
            raise DomainError(
                _("The purchase exceeds the agreed maximum cost of %(max)s.")
                % {"max": euro(plan.max_cost)},
                code="amount",
            )
        plan.purchase_amount = amount
        plan.purchased_on = purchased_on
        plan.purchase_description = description
        states.transition(
            plan,
            PhasePlan.Status.PURCHASED,
            actor=actor,
            extra_fields=["purchase_amount", "purchased_on", "purchase_description"],
        )
        partnership_purchased.send(sender=PhasePlan, plan=plan, actor=actor)
        # The partnership is done: the contract completes and releases what it still holds.
        contract_complete(contract=plan.contract, actor=actor, reason=description)
    return plan
