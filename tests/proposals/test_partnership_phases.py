"""Innovation partnership after the award: phases with interim targets and maximum costs,
reports against the targets, go/no-go per partner with the money in the ledger, and the
purchase that ends it (counted as a follow-up purchase).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from calls.models import Call
from funding.models import Account, FollowUpPurchase, Fund, Transaction
from funding.selectors.purchases import purchases_in
from funding.services.ledger import fund_account
from portal.exceptions import DomainError, IllegalTransition, NotAllowed
from proposals.models import Contract, PhasePlan
from proposals.services.assessment import committee_create
from proposals.services.partnership import (
    TargetResult,
    TargetSpec,
    partnership_decide,
    partnership_plan_set,
    partnership_purchase,
    partnership_report,
)
from proposals.services.submission import proposal_start

from .factories import AWARDS, PHASE_2, PURCHASE, TARGETS, partnership_partners, pdf_upload

pytestmark = pytest.mark.django_db


def refused(code: str, error=DomainError):
    return pytest.raises(error, check=lambda exc: exc.code == code)


@pytest.fixture
def partners():
    return partnership_partners()


def plan(proposal, order: int) -> PhasePlan:
    return PhasePlan.objects.get(contract__proposal=proposal, phase__order=order)


def report(proposal, order: int) -> PhasePlan:
    current = plan(proposal, order)
    results = {
        target.pk: TargetResult(f"Gehaald: {target.measure}", pdf_upload("bewijs.pdf"))
        for target in current.targets.all()
    }
    return partnership_report(plan=current, actor=proposal.person, results=results)


def balance(phase, kind: str) -> Decimal:
    return fund_account(Fund.objects.get(phase=phase), kind).balance


def commitment(proposal, phase) -> Decimal:
    return Account.objects.get(
        kind=Account.Kind.COMMITTED, contract__proposal=proposal, fund__phase=phase
    ).balance


def test_the_first_phase_runs_with_the_awarded_amount_and_later_ones_wait(partners):
    call, proposals = partners
    assert plan(proposals[0], 1).is_running
    assert plan(proposals[0], 2).is_planned
    assert plan(proposals[0], 1).max_cost == AWARDS[0]
    assert [t.measure for t in plan(proposals[0], 1).targets.all()] == [
        "≥ 40 km per lading",
        "≤ 20 minuten",
    ]
    with refused("max_cost"):
        partnership_plan_set(
            contract=proposals[0].contract,
            phase=call.phase_list[0],
            actor=call.officer,
            max_cost=AWARDS[0] + 1,
            targets=TARGETS,
        )
    with refused("targets"):
        partnership_plan_set(
            contract=proposals[0].contract,
            phase=call.phase_list[1],
            actor=call.officer,
            max_cost=PHASE_2[0],
            targets=[TargetSpec("Vaarbereik", "", "")],
        )


def test_go_commits_the_next_phase_and_no_go_releases_what_is_left(partners):
    call, proposals = partners
    first, second, _purchase = call.phase_list
    budget_1, budget_2 = first.budget, second.budget
    for proposal in proposals:
        report(proposal, 1)
    for proposal in proposals[:2]:
        partnership_decide(plan=plan(proposal, 1), actor=call.officer, go=True, reason="Gehaald.")
    partnership_decide(
        plan=plan(proposals[2], 1), actor=call.officer, go=False, reason="Laadtijd niet gehaald."
    )
    # Go: the next phase's maximum cost is committed from that phase's fund, to the cent.
    assert commitment(proposals[0], second) == PHASE_2[0]
    assert commitment(proposals[1], second) == PHASE_2[1]
    assert balance(second, Account.Kind.AVAILABLE) == budget_2 - PHASE_2[0] - PHASE_2[1]
    assert plan(proposals[0], 2).is_running
    # No-go: the partner's phase-1 commitment goes back; its later phases are cancelled.
    assert commitment(proposals[2], first) == Decimal("0.00")
    assert balance(first, Account.Kind.AVAILABLE) == budget_1 - AWARDS[0] - AWARDS[1]
    assert not Account.objects.filter(contract__proposal=proposals[2], fund__phase=second).exists()
    assert plan(proposals[2], 2).status == PhasePlan.Status.CANCELLED
    assert Contract.objects.get(proposal=proposals[2]).is_terminated
    release = Transaction.objects.get(
        kind=Transaction.Kind.RELEASE, contract__proposal=proposals[2]
    )
    assert sum(e.amount for e in release.entries.all() if e.amount > 0) == AWARDS[2]
    # Every transaction balances.
    for record in Transaction.objects.all():
        assert sum(e.amount for e in record.entries.all()) == Decimal("0.00")


def test_after_the_last_rd_phase_go_pays_it_and_the_purchase_is_a_follow_up_purchase(partners):
    call, proposals = partners
    first, second, _purchase = call.phase_list
    partner = proposals[0]
    report(partner, 1)
    partnership_decide(plan=plan(partner, 1), actor=call.officer, go=True, reason="Gehaald.")
    report(partner, 2)
    partnership_decide(plan=plan(partner, 2), actor=call.officer, go=True, reason="Gehaald.")
    # The finished second phase is paid in full; the purchase commits nothing in the ledger.
    assert commitment(partner, second) == Decimal("0.00")
    assert balance(second, Account.Kind.PAID) == PHASE_2[0]
    purchase = plan(partner, 3)
    assert purchase.awaits_purchase
    with refused("amount"):
        partnership_purchase(
            plan=purchase,
            actor=call.officer,
            amount=PURCHASE + Decimal("0.01"),
            purchased_on=timezone.localdate(),
            description="Drie veerponten",
        )
    partnership_purchase(
        plan=purchase,
        actor=call.officer,
        amount=Decimal("249999.99"),
        purchased_on=timezone.localdate(),
        description="Drie veerponten",
    )
    recorded = FollowUpPurchase.objects.get(phase_plan=purchase)
    assert recorded.amount == Decimal("249999.99")
    assert recorded.supplier == partner.company
    # The report to parliament counts it with the follow-up purchases.
    today = timezone.localdate()
    assert recorded in purchases_in(today - timedelta(days=1), today)
    # The partnership is done: the contract completes and releases its unpaid first phase.
    assert Contract.objects.get(proposal=partner).is_completed
    assert commitment(partner, first) == Decimal("0.00")


def test_go_needs_the_report_and_every_decision_a_reason_and_the_officer(partners):
    call, proposals = partners
    partner = proposals[0]
    with pytest.raises(IllegalTransition):
        partnership_decide(plan=plan(partner, 1), actor=call.officer, go=True, reason="Goed.")
    with refused("reason"):
        partnership_decide(plan=plan(partner, 1), actor=call.officer, go=False, reason=" ")
    with refused("not_allowed", NotAllowed):
        partnership_decide(plan=plan(partner, 1), actor=partner.person, go=False, reason="x")
    current = plan(partner, 1)
    target = current.targets.first()
    with refused("evidence"):
        partnership_report(
            plan=current, actor=partner.person, results={target.pk: TargetResult("Gehaald", None)}
        )
    with refused("not_allowed", NotAllowed):
        partnership_report(plan=current, actor=proposals[1].person, results={})
    report(partner, 1)
    with refused("frozen"):
        partnership_plan_set(
            contract=partner.contract,
            phase=call.phase_list[0],
            actor=call.officer,
            max_cost=AWARDS[0],
            targets=TARGETS,
        )


def test_a_later_phase_is_not_tendered_or_scored_again_unless_the_call_says_so(partners):
    call, proposals = partners
    second = call.phase_list[1]
    second.deadline = timezone.now() + timedelta(days=10)
    second.save(update_fields=["deadline"])
    with refused("funnel", NotAllowed):
        proposal_start(phase=second, actor=proposals[0].person, title="Fase 2")
    with refused("no_rescoring"):
        committee_create(phase=second, actor=call.officer, code_of_conduct="Vertrouwelijk.")
    Call.objects.filter(pk=call.pk).update(rescore_later_phases=True)
    second.refresh_from_db()
    assert committee_create(phase=second, actor=call.officer, code_of_conduct="Vertrouwelijk.")
