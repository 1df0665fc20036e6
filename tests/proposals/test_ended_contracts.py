"""A contract that ends (completed, terminated, or a prize revoked on objection) leaves no
work open: its deliverables not accepted are cancelled, with the reason, so neither side
has a task for them and nobody delivers or reviews them; accepted ones stay as history."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calls.services.lifecycle import call_close
from funding.models import Transaction
from proposals.models import Contract, Decision, DecisionLetter, Deliverable
from proposals.services.assessment import assessment_open
from proposals.services.decisions import deliverable_deliver, deliverable_review, proposal_award
from reporting.ocds.builder import _milestones
from tests.calls.factories import published_call
from tests.conftest import login_verified

from .factories import pdf_upload, signed_advice, submitted_proposals
from .test_my_tasks import kinds
from .test_prizes import _letters, ranked_entries

pytestmark = pytest.mark.django_db


def _company(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _officer(officer) -> Client:
    return login_verified(Client(), officer)


def _deliver(client: Client, deliverable: Deliverable):
    return client.post(
        reverse("proposals:deliver", kwargs={"deliverable_pk": deliverable.pk}),
        {"file": pdf_upload("prijs.pdf")},
    )


def _review(client: Client, deliverable: Deliverable):
    return client.post(
        reverse("proposals:officer_review", kwargs={"deliverable_pk": deliverable.pk}),
        {"outcome": "accept", "remarks": ""},
    )


# --- A prize revoked on objection (art. 7:11 Awb) --------------------------------------------


@pytest.mark.parametrize("delivered_first", [False, True])
def test_a_prize_revoked_on_objection_leaves_no_deliverable_to_deliver_review_or_pay(
    delivered_first,
):
    world = ranked_entries()
    letters = _letters(world)
    winner = world.entries[0]
    DecisionLetter.objects.filter(pk=letters[winner.pk].pk).update(sent_at=timezone.now())
    contract = Contract.objects.get(proposal=winner)
    (prize_money,) = contract.deliverables.all()
    company, officer = _company(winner.person), _officer(world.officer)
    assert "deliverable_due" in kinds(company)
    if delivered_first:
        assert _deliver(company, prize_money).status_code == 302
        assert "review_deliverable" in kinds(officer)

    # The company objects on its page; the officer upholds it on the objection's page.
    response = company.post(
        reverse("proposals:objection_lodge", kwargs={"pk": winner.pk}),
        {"text": "De jury heeft ons criterium verkeerd gelezen."},
    )
    assert response.status_code == 302
    objection = Decision.objects.get(proposal=winner).objections.get()
    response = officer.post(
        reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk}),
        {"outcome": "uphold", "answer": "Criterium 2 is verkeerd gescoord."},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.is_terminated
    prize_money.refresh_from_db()
    assert prize_money.status == Deliverable.Status.CANCELLED
    assert prize_money.cancelled_at is not None
    assert objection.number in prize_money.cancellation_reason

    # No task on either side.
    assert "deliverable_due" not in kinds(company)
    assert "review_deliverable" not in kinds(officer)

    # The company cannot deliver: the page says why and has no form; a post changes nothing.
    address = reverse("proposals:deliver", kwargs={"deliverable_pk": prize_money.pk})
    page = company.get(address).content.decode()
    assert 'data-testid="cancelled"' in page
    assert 'data-testid="deliver"' not in page
    assert _deliver(company, prize_money).status_code == 200
    prize_money.refresh_from_db()
    assert prize_money.status == Deliverable.Status.CANCELLED
    detail = company.get(reverse("proposals:detail", kwargs={"pk": winner.pk})).content.decode()
    assert f'data-testid="deliver-{prize_money.pk}"' not in detail

    # The officer cannot review it, and nothing is paid.
    page = officer.get(
        reverse("proposals:officer_review", kwargs={"deliverable_pk": prize_money.pk})
    ).content.decode()
    assert 'data-testid="review-form"' not in page
    assert 'data-testid="cancelled"' in page
    assert _review(officer, prize_money).status_code == 200
    prize_money.refresh_from_db()
    assert prize_money.status == Deliverable.Status.CANCELLED
    assert not Transaction.objects.filter(kind=Transaction.Kind.PAYMENT, contract=contract).exists()
    # The open data: a milestone that will not be met, and its payment neither.
    assert {m["status"] for m in _milestones(contract, [])} == {"notMet"}


# --- The officer ends a contract on its page -------------------------------------------------


@pytest.fixture
def running():
    """An SBIR contract: the plan of approach accepted (paid), the report still to deliver."""
    call = published_call()
    proposal = submitted_proposals(call, 1)[0]
    with time_machine.travel(call.deadline + timezone.timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
        assessment_open(phase=proposal.phase, actor=call.officer)
        signed_advice(proposal.phase)
        contract = proposal_award(proposal=proposal, actor=call.officer, motivation="Goed").contract
    plan, report = contract.deliverables.order_by("due_date", "pk")
    deliverable_deliver(deliverable=plan, actor=proposal.person, upload=pdf_upload())
    deliverable_review(deliverable=plan, actor=call.officer, accept=True)
    contract.person, contract.officer = proposal.person, call.officer
    return contract, plan, report


@pytest.mark.parametrize(
    ("outcome", "ended"), [("terminate", "terminated"), ("complete", "completed")]
)
def test_ending_a_contract_cancels_what_was_not_accepted_and_keeps_what_was(
    running, outcome, ended
):
    contract, plan, report = running
    company, officer = _company(contract.person), _officer(contract.officer)
    assert "deliverable_due" in kinds(company)
    response = officer.post(
        reverse("proposals:officer_contract_end", kwargs={"contract_pk": contract.pk}),
        {"outcome": outcome, "reason": "Bedrijf gestopt"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ended

    plan.refresh_from_db()
    assert plan.status == Deliverable.Status.ACCEPTED  # history: accepted and paid
    assert plan.cancelled_at is None
    report.refresh_from_db()
    assert report.status == Deliverable.Status.CANCELLED
    assert report.cancellation_reason == "Bedrijf gestopt"

    assert "deliverable_due" not in kinds(company)
    assert _deliver(company, report).status_code == 200
    report.refresh_from_db()
    assert report.status == Deliverable.Status.CANCELLED
    assert not report.file
    # The officer's page of the report shows why, with no review form.
    page = officer.get(
        reverse("proposals:officer_review", kwargs={"deliverable_pk": report.pk})
    ).content.decode()
    assert "Bedrijf gestopt" in page
    assert 'data-testid="review-form"' not in page
    # One payment: the accepted plan's; none for the report.
    assert Transaction.objects.filter(kind=Transaction.Kind.PAYMENT, contract=contract).count() == 1


def test_a_delivered_deliverable_is_still_reviewed_before_the_officer_ends_the_contract(running):
    contract, _plan, report = running
    deliverable_deliver(deliverable=report, actor=contract.person, upload=pdf_upload())
    officer = _officer(contract.officer)
    response = officer.post(
        reverse("proposals:officer_contract_end", kwargs={"contract_pk": contract.pk}),
        {"outcome": "terminate", "reason": "Bedrijf gestopt"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "to_review")
    report.refresh_from_db()
    assert report.status == Deliverable.Status.DELIVERED
    assert Contract.objects.get(pk=contract.pk).is_active
