"""Contracts: the payment schedule of milestones an award creates, and the funnel it feeds."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone

from calls.models import Phase
from calls.services.lifecycle import call_close
from portal.models import Role
from proposals.models import Contract, Deliverable
from proposals.services.assessment import assessment_open
from proposals.services.decisions import (
    deliverable_deliver,
    deliverable_review,
    milestone_schedule,
    proposal_award,
)
from proposals.services.submission import funnel_problem
from tests.calls.factories import published_call
from tests.factories import person_with_role

from .factories import pdf_upload, signed_advice, submitted_proposals

START, END = date(2026, 1, 15), date(2026, 7, 15)


def schedule(kind: str, amount: str, months: int = 6):
    phase = Phase(kind=kind, duration_months=months)
    return milestone_schedule(phase, Decimal(amount), START, END)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Phase.Kind.FEASIBILITY, [("progress_report", "0.30"), ("feasibility_report", "0.70")]),
        (Phase.Kind.PROTOTYPE, [("progress_report", "0.40"), ("prototype", "0.60")]),
        (Phase.Kind.RD, [("progress_report", "0.50"), ("final_report", "0.50")]),
        (Phase.Kind.SINGLE_ROUND, [("final_report", "1")]),
        (Phase.Kind.PURCHASE, [("final_report", "1")]),
    ],
)
def test_each_kind_of_phase_has_its_payment_schedule(kind, expected):
    rows = schedule(kind, "100000.00")
    assert [(row[0], row[3]) for row in rows] == [
        (k, Decimal("100000.00") * Decimal(share)) for k, share in expected
    ]
    assert rows[-1][2] == END
    assert all(START < row[2] <= END for row in rows)
    assert [row[2] for row in rows] == sorted(row[2] for row in rows)


@pytest.mark.parametrize("amount", ["0.01", "0.05", "33333.33", "10000.01", "49999.99", "7.77"])
@pytest.mark.parametrize("kind", [Phase.Kind.FEASIBILITY, Phase.Kind.PROTOTYPE, Phase.Kind.RD])
def test_the_milestones_add_up_to_the_contract_amount_to_the_cent(kind, amount):
    rows = schedule(kind, amount)
    assert sum((row[3] for row in rows), Decimal("0.00")) == Decimal(amount)
    assert all(row[3] == row[3].quantize(Decimal("0.01")) for row in rows)
    # The remainder of the rounding lands on the last milestone only.
    first = rows[0]
    share = {Phase.Kind.FEASIBILITY: "0.30", Phase.Kind.PROTOTYPE: "0.40", Phase.Kind.RD: "0.50"}
    exact = Decimal(amount) * Decimal(share[kind])
    assert abs(first[3] - exact) <= Decimal("0.005")


def test_a_one_month_phase_has_every_milestone_within_the_contract():
    rows = schedule(Phase.Kind.FEASIBILITY, "1000.00", months=1)
    assert all(START < row[2] <= END for row in rows)


@pytest.mark.django_db
def test_an_award_creates_the_schedule_and_only_the_accepted_report_opens_the_next_phase():
    call = published_call()
    proposal = submitted_proposals(call, 1)[0]
    phase = proposal.phase
    with time_machine.travel(call.deadline + timezone.timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
        assessment_open(phase=phase, actor=call.officer)
        signed_advice(phase)
        contract = proposal_award(
            proposal=proposal, actor=call.officer, motivation="Goed", amount=Decimal("33333.33")
        ).contract
    plan, report = contract.deliverables.order_by("due_date", "pk")
    assert (plan.kind, plan.amount) == (Deliverable.Kind.PROGRESS_REPORT, Decimal("10000.00"))
    assert (report.kind, report.amount) == (
        Deliverable.Kind.FEASIBILITY_REPORT,
        Decimal("23333.33"),
    )
    assert report.due_date == contract.end_date
    assert plan.due_date < report.due_date

    prototype = call.phases.get(order=2)
    company = proposal.company
    person = proposal.person
    deliverable_deliver(deliverable=plan, actor=person, upload=pdf_upload("plan.pdf"))
    deliverable_review(deliverable=plan, actor=call.officer, accept=True)
    assert funnel_problem(phase=prototype, company=company) is not None  # the plan is not enough

    deliverable_deliver(deliverable=report, actor=person, upload=pdf_upload("rapport.pdf"))
    deliverable_review(deliverable=report, actor=call.officer, accept=True)
    assert funnel_problem(phase=prototype, company=company) is None


# --- Ending a contract through the officer's page -------------------------------------------


@pytest.fixture
def awarded():
    call = published_call()
    proposal = submitted_proposals(call, 1)[0]
    with time_machine.travel(call.deadline + timezone.timedelta(minutes=1)):
        call_close(call=call, actor=call.officer)
        assessment_open(phase=proposal.phase, actor=call.officer)
        signed_advice(proposal.phase)
        contract = proposal_award(proposal=proposal, actor=call.officer, motivation="Goed").contract
    contract.person = proposal.person
    contract.officer = call.officer
    return contract


def end_url(contract) -> str:
    return reverse("proposals:officer_contract_end", kwargs={"contract_pk": contract.pk})


@pytest.mark.django_db
def test_who_may_end_a_contract(client, verified_client, awarded):
    url = end_url(awarded)
    data = {"outcome": "terminate", "reason": "Weg ermee"}
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert "login" in client.get(url).url
    client.force_login(awarded.person)  # the company itself
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    other = verified_client(person_with_role(Role.PROCUREMENT_OFFICER))
    assert other.get(url).status_code == 404
    assert other.post(url, data).status_code == 404
    ministry = verified_client(person_with_role(Role.MINISTRY_STAFF))
    assert ministry.get(url).status_code == 404
    assert Contract.objects.get(pk=awarded.pk).status == Contract.Status.ACTIVE

    owner = verified_client(awarded.officer)
    page = owner.get(url)
    assert page.status_code == 200
    assert 'data-testid="end-form"' in page.content.decode()
    listing = owner.get(reverse("proposals:officer_contracts")).content.decode()
    assert url in listing


@pytest.mark.django_db
def test_terminating_on_the_page_needs_a_reason_and_then_ends_the_contract(
    verified_client, awarded
):
    owner = verified_client(awarded.officer)
    url = end_url(awarded)

    response = owner.post(url, {"outcome": "terminate", "reason": " "})
    assert response.status_code == 200
    assert response.context["form"].has_error("reason", "reason")
    response = owner.post(url, {"reason": "Iets"})
    assert response.context["form"].has_error("outcome")
    assert Contract.objects.get(pk=awarded.pk).status == Contract.Status.ACTIVE

    response = owner.post(url, {"outcome": "terminate", "reason": "Bedrijf gestopt"})
    assert response.status_code == 302
    assert Contract.objects.get(pk=awarded.pk).status == Contract.Status.TERMINATED

    again = owner.post(url, {"outcome": "complete", "reason": ""})
    assert again.status_code == 200  # ended already: refused on the form, no 500
    assert again.context["form"].has_error(NON_FIELD_ERRORS, "illegal_transition")
