"""Contracts: the payment schedule of milestones an award creates, and the funnel it feeds."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from calls.models import Phase
from calls.services import call_close
from proposals.assessment import assessment_open
from proposals.decisions import (
    deliverable_deliver,
    deliverable_review,
    milestone_schedule,
    proposal_award,
)
from proposals.models import Deliverable
from proposals.services import funnel_problem
from tests.calls.factories import published_call

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
        )
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
