"""The money of contracts: awards commit the phase's budget, milestones pay, ends release.

Through the proposals app's services (award, review, complete, terminate), which signal the
ledger inside their own transaction; the ledger's refusal undoes the step.
"""

import threading
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from calls.services.lifecycle import call_cancel, call_close, call_complete
from funding.models import (
    Account,
    CallUse,
    CoFinancingApplication,
    Fund,
    FundingRound,
    Transaction,
)
from funding.selectors.budget import fund_balances
from funding.services.cofinancing import cofinancing_approve
from funding.services.contracts import contract_commitment, phase_fund
from funding.services.ledger import (
    call_use_rebuild,
    fund_account,
    transaction_post,
    transaction_reverse,
)
from portal.exceptions import DomainError, IllegalTransition, NotAllowed
from portal.models import Role
from proposals.models import Contract, Deliverable, Proposal
from proposals.selectors.capacity import phase_committed
from proposals.services.assessment import assessment_open
from proposals.services.decisions import (
    contract_complete,
    contract_terminate,
    deliverable_deliver,
    deliverable_review,
    proposal_award,
    proposal_reject,
)
from tests.calls.factories import published_call
from tests.concurrency import require_postgresql, run_at_once
from tests.factories import MinistryFactory, person_with_role
from tests.funding.factories import ezk_fund
from tests.proposals.factories import pdf_upload, signed_advice, submitted_proposals

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A closed SBIR call whose 3 feasibility proposals wait for a decision; advice signed."""
    call = published_call()
    proposals = submitted_proposals(call, 3)
    phase = call.phases.get(order=1)
    traveller = time_machine.travel(call.deadline + timedelta(minutes=1))
    traveller.start()
    call_close(call=call, actor=call.officer)
    assessment_open(phase=phase, actor=call.officer)
    signed_advice(phase)
    persons = {p.pk: p.person for p in proposals}
    fresh = []
    for p in proposals:
        proposal = Proposal.objects.get(pk=p.pk)
        proposal.person = persons[p.pk]
        fresh.append(proposal)
    yield SimpleNamespace(call=call, officer=call.officer, phase=phase, proposals=fresh)
    traveller.stop()


def award(world, index=0, amount="20000.00") -> Contract:
    return proposal_award(
        proposal=world.proposals[index],
        actor=world.officer,
        motivation="Beste plan",
        amount=Decimal(amount),
    ).contract


def accept(world, deliverable: Deliverable, index=0) -> Deliverable:
    deliverable_deliver(
        deliverable=deliverable, actor=world.proposals[index].person, upload=pdf_upload()
    )
    return deliverable_review(deliverable=deliverable, actor=world.officer, accept=True)


def milestones(contract: Contract) -> list[Deliverable]:
    return list(contract.deliverables.order_by("due_date", "pk"))


def balance(fund: Fund):
    return fund_balances([fund])[0]


def test_an_award_commits_the_contract_from_the_phases_own_fund(world):
    contract = award(world, amount="20000.00")

    fund = Fund.objects.get(phase=world.phase)
    assert (fund.kind, fund.owner) == (Fund.Kind.AUTHORITY, world.call.authority)
    figures = balance(fund)
    assert figures.appropriated == world.phase.budget
    assert figures.committed == Decimal("20000.00")
    assert figures.available == world.phase.budget - Decimal("20000.00")
    assert contract_commitment(contract).balance == Decimal("20000.00")
    commitment = Transaction.objects.get(kind=Transaction.Kind.COMMITMENT, contract=contract)
    assert (commitment.call, commitment.proposal, commitment.created_by) == (
        world.call,
        world.proposals[0],
        world.officer,
    )
    assert world.proposals[0].submission_number in commitment.description
    opening = Transaction.objects.get(fund=fund, kind=Transaction.Kind.APPROPRIATION)
    assert (opening.call, opening.created_by) == (world.call, world.officer)

    award(world, 1, amount="15000.00")
    assert Fund.objects.filter(phase=world.phase).count() == 1
    assert balance(fund).committed == Decimal("35000.00")


def test_a_raised_phase_budget_is_appropriated_on_top_at_the_next_award(world):
    award(world)
    fund = Fund.objects.get(phase=world.phase)
    world.phase.budget += Decimal("50000.00")
    world.phase.save(update_fields=["budget"])
    award(world, 1)
    assert balance(fund).appropriated == world.phase.budget


def test_a_refused_ledger_posting_undoes_the_award(world):
    """The phase's fund holds less than the phase budget says: the ledger refuses."""
    fund = phase_fund(phase=world.phase, actor=world.officer)
    elsewhere = Account.objects.create(fund=fund, kind=Account.Kind.COMMITTED, call=world.call)
    left = Decimal("5000.00")
    transaction_post(
        fund=fund,
        kind=Transaction.Kind.COMMITMENT,
        actor=world.officer,
        description="Eerder toegezegd",
        entries=[
            (fund_account(fund, Account.Kind.AVAILABLE), -(world.phase.budget - left)),
            (elsewhere, world.phase.budget - left),
        ],
    )
    transactions = Transaction.objects.count()

    with pytest.raises(DomainError) as refused:
        award(world, amount="20000.00")

    assert refused.value.code == "insufficient"
    proposal = Proposal.objects.get(pk=world.proposals[0].pk)
    assert proposal.status == Proposal.Status.UNDER_ASSESSMENT
    assert not Contract.objects.exists()
    assert not Deliverable.objects.exists()
    assert Transaction.objects.count() == transactions
    assert not Account.objects.filter(contract__isnull=False).exists()


def test_a_refused_award_through_the_page_shows_the_reason_and_keeps_nothing(
    world, verified_client, monkeypatch
):
    def refuse(*, contract, actor):
        raise DomainError("Het grootboek weigert.", code="insufficient")

    monkeypatch.setattr("funding.receivers.contract_commit", refuse)
    proposal = world.proposals[0]
    client = verified_client(world.officer)
    url = reverse("proposals:officer_decide", kwargs={"pk": proposal.pk})
    response = client.post(
        url, {"decision": "award", "motivation": "Goed", "amount": "1000", "confirmed": "1"}
    )

    assert response.status_code == 200
    assert "Het grootboek weigert." in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.UNDER_ASSESSMENT
    assert not Contract.objects.exists()


def test_accepted_milestones_pay_from_the_commitment(world):
    contract = award(world, amount="33333.33")
    plan, report = milestones(contract)
    fund = Fund.objects.get(phase=world.phase)

    accept(world, plan)
    assert contract_commitment(contract).balance == Decimal("23333.33")
    assert balance(fund).paid == Decimal("10000.00")
    payment = Transaction.objects.get(kind=Transaction.Kind.PAYMENT, contract=contract)
    assert (payment.call, payment.proposal, payment.created_by) == (
        world.call,
        world.proposals[0],
        world.officer,
    )
    assert plan.name in payment.description

    accept(world, report)
    assert contract_commitment(contract).balance == Decimal("0.00")
    assert balance(fund).paid == Decimal("33333.33")


def test_a_rejected_deliverable_pays_nothing(world):
    contract = award(world)
    plan = milestones(contract)[0]
    deliverable_deliver(deliverable=plan, actor=world.proposals[0].person, upload=pdf_upload())
    deliverable_review(deliverable=plan, actor=world.officer, accept=False, remarks="Te summier")
    assert not Transaction.objects.filter(kind=Transaction.Kind.PAYMENT).exists()


def test_a_milestone_never_pays_more_than_is_committed(world):
    contract = award(world, amount="20000.00")
    plan = milestones(contract)[0]
    Deliverable.objects.filter(pk=plan.pk).update(amount=Decimal("20000.01"))  # a broken row
    plan.refresh_from_db()
    deliverable_deliver(deliverable=plan, actor=world.proposals[0].person, upload=pdf_upload())

    with pytest.raises(DomainError):
        deliverable_review(deliverable=plan, actor=world.officer, accept=True)

    assert Deliverable.objects.get(pk=plan.pk).status == Deliverable.Status.DELIVERED
    assert contract_commitment(contract).balance == Decimal("20000.00")


def test_terminating_releases_what_was_not_paid(world):
    contract = award(world, amount="20000.00")
    accept(world, milestones(contract)[0])  # 30%: 6,000 paid
    fund = Fund.objects.get(phase=world.phase)

    with pytest.raises(DomainError) as no_reason:
        contract_terminate(contract=contract, actor=world.officer, reason="  ")
    assert no_reason.value.code == "reason"

    contract_terminate(contract=contract, actor=world.officer, reason="Bedrijf failliet")

    figures = balance(fund)
    assert (figures.committed, figures.paid) == (Decimal("0.00"), Decimal("6000.00"))
    assert figures.available == world.phase.budget - Decimal("6000.00")
    assert phase_committed(world.phase) == Decimal("6000.00")
    release = Transaction.objects.get(kind=Transaction.Kind.RELEASE)
    assert (release.description, release.contract, release.proposal, release.created_by) == (
        "Bedrijf failliet",
        contract,
        world.proposals[0],
        world.officer,
    )
    assert release.entries.filter(amount__gt=0).get().amount == Decimal("14000.00")
    with pytest.raises(IllegalTransition):
        contract_complete(contract=contract, actor=world.officer)


def test_completing_under_budget_releases_the_rest_and_a_full_payment_releases_nothing(world):
    under = award(world, 0, amount="20000.00")
    full = award(world, 1, amount="10000.00")
    accept(world, milestones(under)[1], index=0)  # the report (70%) only
    for deliverable in milestones(full):
        accept(world, deliverable, index=1)

    contract_complete(contract=under, actor=world.officer)
    contract_complete(contract=full, actor=world.officer)

    releases = Transaction.objects.filter(kind=Transaction.Kind.RELEASE)
    assert [r.contract for r in releases] == [under]
    assert releases.get().entries.filter(amount__gt=0).aggregate(s=Sum("amount"))["s"] == Decimal(
        "6000.00"
    )
    assert phase_committed(world.phase) == Decimal("24000.00")


def test_a_contract_with_a_delivery_waiting_for_review_cannot_end(world):
    contract = award(world)
    plan = milestones(contract)[0]
    deliverable_deliver(deliverable=plan, actor=world.proposals[0].person, upload=pdf_upload())
    with pytest.raises(DomainError) as refused:
        contract_complete(contract=contract, actor=world.officer)
    assert refused.value.code == "to_review"
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.ACTIVE


def test_only_the_owning_officer_ends_a_contract(world):
    contract = award(world)
    outsider = person_with_role(Role.PROCUREMENT_OFFICER)
    with pytest.raises(NotAllowed):
        contract_terminate(contract=contract, actor=outsider, reason="Weg ermee")
    assert not Transaction.objects.filter(kind=Transaction.Kind.RELEASE).exists()


def ezk_cofinances(call, requested="5000.00", cost="10000.00") -> CoFinancingApplication:
    """EZK approved co-financing of the call from a fund of its own; returns the application."""
    staff = person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))
    ezk = ezk_fund(
        staff,
        code="ezk",
        name="EZK",
        amount="1000000.00",
        period_start=timezone.localdate(),
        period_end=timezone.localdate() + timedelta(days=365),
    )
    funding_round = FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        mission_required=False,
        fund=ezk,
        name="Ronde",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1),
    )
    application = CoFinancingApplication.objects.create(
        round=funding_round,
        call=call,
        authority=call.authority,
        trajectory_cost=Decimal(cost),
        requested=Decimal(requested),
        motivation="Past bij de missies.",
        submitted_by=call.officer,
    )
    cofinancing_approve(application=application, actor=staff)
    application.staff = staff  # handy in tests
    return application


def test_ezk_pays_its_share_of_each_milestone_of_a_cofinanced_call(world):
    application = ezk_cofinances(world.call)  # half of the trajectory's cost
    ezk = application.round.fund
    contract = award(world, amount="20000.00")
    plan, report = milestones(contract)

    accept(world, plan)  # 6,000: EZK's half is 3,000
    ezk_account = Account.objects.get(application=application)
    assert ezk_account.balance == Decimal("2000.00")
    share = Transaction.objects.get(fund=ezk, kind=Transaction.Kind.PAYMENT)
    assert (share.application, share.contract, share.proposal, share.call) == (
        application,
        contract,
        world.proposals[0],
        world.call,
    )
    assert balance(ezk).paid == Decimal("3000.00")

    accept(world, report)  # half of 14,000 is 7,000, but only 2,000 is left of the grant
    assert Account.objects.get(pk=ezk_account.pk).balance == Decimal("0.00")
    assert balance(ezk).paid == Decimal("5000.00")
    assert balance(Fund.objects.get(phase=world.phase)).paid == Decimal("20000.00")


def test_the_ministrys_figures_leave_the_authorities_phase_funds_out(world, verified_client):
    from funding.selectors.budget import use_per_authority, use_per_year

    award(world)
    assert list(use_per_authority()) == []
    assert use_per_year() == []
    staff = person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))
    page = verified_client(staff).get(reverse("funding:dashboard"))
    assert [row["balance"].fund.kind for row in page.context["funds"]] == []


# --- The end of a trajectory: what EZK did not pay goes back ---------------------------------


def decide_all(world, amount="20000.00") -> Contract:
    """Award the first proposal and reject the others: the call is awarded."""
    contract = award(world, 0, amount=amount)
    for proposal in world.proposals[1:]:
        proposal_reject(proposal=proposal, actor=world.officer, motivation="Minder sterk")
    world.call.refresh_from_db()
    assert world.call.status == Call.Status.AWARDED
    return contract


def test_completing_a_cofinanced_call_under_budget_gives_ezk_back_what_it_did_not_pay(world):
    application = ezk_cofinances(world.call, requested="8000.00", cost="16000.00")
    ezk = application.round.fund
    contract = decide_all(world, amount="10000.00")
    plan, _report = milestones(contract)
    accept(world, plan)  # 3,000 paid; EZK pays half: 1,500
    contract_terminate(contract=contract, actor=world.officer, reason="Doel bereikt")

    call_complete(call=world.call, actor=world.officer)

    assert Account.objects.get(application=application).balance == Decimal("0.00")
    figures = balance(ezk)
    assert (figures.committed, figures.paid) == (Decimal("0.00"), Decimal("1500.00"))
    assert figures.available == Decimal("1000000.00") - Decimal("1500.00")
    release = Transaction.objects.get(fund=ezk, kind=Transaction.Kind.RELEASE)
    assert (release.call, release.application, release.created_by) == (
        world.call,
        application,
        world.officer,
    )
    assert release.entries.get(amount__gt=0).amount == Decimal("6500.00")
    assert world.call.title in release.description
    assert sum(entry.amount for entry in release.entries.all()) == 0


def test_a_call_whose_contracts_still_run_cannot_be_completed(world):
    application = ezk_cofinances(world.call)
    decide_all(world)
    transactions = Transaction.objects.count()

    with pytest.raises(DomainError) as refused:
        call_complete(call=world.call, actor=world.officer)

    assert refused.value.code == "contracts_running"
    world.call.refresh_from_db()
    assert world.call.status == Call.Status.AWARDED
    assert Account.objects.get(application=application).balance == Decimal("5000.00")
    assert Transaction.objects.count() == transactions


def test_the_complete_page_says_why_a_call_with_running_contracts_stays_open(
    world, verified_client
):
    decide_all(world)
    client = verified_client(world.officer)

    response = client.post(reverse("calls:officer_complete", args=[world.call.pk]), follow=True)

    assert "1 opdracht van deze oproep loopt nog" in response.content.decode()
    world.call.refresh_from_db()
    assert world.call.status == Call.Status.AWARDED


def test_cancelling_a_cofinanced_call_releases_all_ezk_committed(world, verified_client):
    application = ezk_cofinances(world.call, requested="5000.00")
    client = verified_client(world.officer)

    response = client.post(
        reverse("calls:officer_cancel", args=[world.call.pk]),
        {"reason": "De markt bleek er nog niet klaar voor."},
    )

    assert response.status_code == 302
    world.call.refresh_from_db()
    assert world.call.status == Call.Status.CANCELLED
    ezk = application.round.fund
    assert (balance(ezk).committed, balance(ezk).available) == (
        Decimal("0.00"),
        Decimal("1000000.00"),
    )
    release = Transaction.objects.get(fund=ezk, kind=Transaction.Kind.RELEASE)
    assert "De markt bleek er nog niet klaar voor." in release.description


def test_a_call_with_an_awarded_contract_cannot_be_cancelled_until_it_ends(world):
    application = ezk_cofinances(world.call)
    contract = award(world)  # the other two still wait: the call is under assessment

    with pytest.raises(DomainError) as refused:
        call_cancel(call=world.call, actor=world.officer, reason="Toch niet")

    assert refused.value.code == "contracts_running"
    assert Account.objects.get(application=application).balance == Decimal("5000.00")
    contract_terminate(contract=contract, actor=world.officer, reason="Gestopt")
    call_cancel(call=world.call, actor=world.officer, reason="Toch niet")
    assert Account.objects.get(application=application).balance == Decimal("0.00")


def test_ezk_cannot_approve_co_financing_of_an_ended_trajectory(world):
    staff = person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))
    application = ezk_cofinances(published_call())  # opens the fund and a round
    waiting = CoFinancingApplication.objects.create(
        round=application.round,
        call=world.call,
        authority=world.call.authority,
        trajectory_cost=Decimal("10000.00"),
        requested=Decimal("1000.00"),
        motivation="Past bij de missies.",
        submitted_by=world.officer,
    )
    call_cancel(call=world.call, actor=world.officer, reason="Toch niet")

    with pytest.raises(DomainError) as refused:
        cofinancing_approve(application=waiting, actor=staff)

    assert refused.value.code == "call"
    waiting.refresh_from_db()
    assert waiting.status == CoFinancingApplication.Status.SUBMITTED
    assert not Account.objects.filter(application=waiting).exists()


@pytest.mark.django_db(transaction=True)
def test_an_approval_and_a_cancellation_at_once_never_leave_money_on_a_cancelled_call():
    require_postgresql()
    call = published_call()
    application = ezk_cofinances(published_call())
    waiting = CoFinancingApplication.objects.create(
        round=application.round,
        call=call,
        authority=call.authority,
        trajectory_cost=Decimal("10000.00"),
        requested=Decimal("2000.00"),
        motivation="Past bij de missies.",
        submitted_by=call.officer,
    )
    steps = iter(
        [
            lambda: cofinancing_approve(application=waiting, actor=application.staff),
            lambda: call_cancel(call=call, actor=call.officer, reason="Toch niet"),
        ]
    )
    lock = threading.Lock()

    def one_of_both():
        with lock:
            step = next(steps)
        return step()

    results = run_at_once(one_of_both, 2)

    assert not any(isinstance(r, Exception) and not isinstance(r, DomainError) for r in results)
    call.refresh_from_db()
    assert call.status == Call.Status.CANCELLED
    waiting.refresh_from_db()
    held = Account.objects.filter(application=waiting).values_list("balance", flat=True)
    # Either the approval came first and the cancellation released it, or it was refused.
    assert list(held) in ([Decimal("0.00")], [])
    assert (waiting.status == CoFinancingApplication.Status.APPROVED) == bool(list(held))


# --- The maintained totals per call agree with the entries ------------------------------------


def _call_use() -> set[tuple]:
    """The totals that are not zero (the rebuild leaves zeros out; postings may leave them)."""
    rows = CallUse.objects.exclude(amount=0)
    return set(rows.values_list("fund", "call", "year", "kind", "amount"))


def test_the_totals_per_call_follow_every_kind_of_posting(world):
    application = ezk_cofinances(world.call, requested="8000.00", cost="16000.00")
    contract = decide_all(world, amount="10000.00")
    plan, _report = milestones(contract)
    accept(world, plan)
    payment = Transaction.objects.get(kind=Transaction.Kind.PAYMENT, fund=application.round.fund)
    transaction_reverse(original=payment, actor=application.staff, reason="Dubbel geboekt")
    contract_terminate(contract=contract, actor=world.officer, reason="Doel bereikt")
    call_complete(call=world.call, actor=world.officer)

    ezk = CallUse.objects.filter(fund=application.round.fund)
    # EZK paid 1,500, took it back by reversal, and released the 8,000 at the end.
    assert {use.kind: use.amount for use in ezk} == {
        "committed": Decimal("0.00"),
        "paid": Decimal("0.00"),
    }
    maintained = _call_use()
    call_use_rebuild()

    assert maintained == _call_use()
    # The authority's phase fund: 3,000 paid for the accepted plan, the rest released.
    assert (Fund.objects.get(phase=world.phase).pk, world.call.pk) in {
        (fund, call) for fund, call, _year, _kind, _amount in maintained
    }


@pytest.mark.django_db(transaction=True)
def test_two_postings_for_one_call_at_once_both_count():
    require_postgresql()
    application = ezk_cofinances(published_call())
    fund = application.round.fund
    call = application.call
    targets = iter([Account.objects.create(fund=fund, kind=Account.Kind.COMMITTED) for _ in "ab"])
    lock = threading.Lock()

    def commit_100():
        with lock:
            target = next(targets)
        return transaction_post(
            fund=fund,
            kind=Transaction.Kind.COMMITMENT,
            actor=application.staff,
            description="Tegelijk",
            entries=[(fund_account(fund, Account.Kind.AVAILABLE), -100), (target, 100)],
            call=call,
        )

    results = run_at_once(commit_100, 2)

    assert all(isinstance(result, Transaction) for result in results), results
    use = CallUse.objects.get(fund=fund, call=call, kind=Account.Kind.COMMITTED)
    assert use.amount == Decimal("5200.00")  # the approval's 5,000 and both postings
