"""The money page of a call: per phase budget, committed, paid, remaining; per contract its
milestones. Only for the officers of the call's authority and ministry staff."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from funding.services.contracts import contract_commit, milestone_pay
from portal.models import Organisation, Role
from proposals.models import Contract, Deliverable, Proposal
from proposals.services.decisions import contract_terminate
from tests.calls.factories import officer_of, published_call
from tests.conftest import login_verified
from tests.factories import MinistryFactory, person_with_role
from tests.proposals.factories import applicant

pytestmark = pytest.mark.django_db


def money_url(call: Call) -> str:
    return reverse("funding:call_money", kwargs={"call_pk": call.pk})


def contracts(call: Call, count: int, start: int = 0) -> list[Contract]:
    """Awarded proposals with contracts, milestones and their commitment in the ledger."""
    phase = call.phases.get(order=1)
    person = applicant()
    companies = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bedrijf {start + i} B.V.",
            kind=Organisation.Kind.COMPANY,
            kvk_number=f"{70000000 + start + i:08d}",
        )
        for i in range(count)
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            call=call,
            phase=phase,
            company=company,
            created_by=person,
            title=f"Voorstel {start + i}",
            status=Proposal.Status.AWARDED,
            submission_number=f"{call.reference}-M{start + i:05d}",
            submitted_at=timezone.now(),
            requested_amount=Decimal("10000.00"),
        )
        for i, company in enumerate(companies)
    )
    today = timezone.localdate()
    made = Contract.objects.bulk_create(
        Contract(
            proposal=proposal,
            amount=Decimal("10000.00"),
            start_date=today,
            end_date=today + timedelta(days=120),
        )
        for proposal in proposals
    )
    Deliverable.objects.bulk_create(
        Deliverable(contract=contract, kind=kind, name=name, due_date=today, amount=amount)
        for contract in made
        for kind, name, amount in (
            (Deliverable.Kind.PROGRESS_REPORT, "Plan van aanpak", Decimal("3000.00")),
            (Deliverable.Kind.FEASIBILITY_REPORT, "Haalbaarheidsrapport", Decimal("7000.00")),
        )
    )
    for contract in made:
        contract_commit(contract=contract, actor=call.officer)
    return made


def verified(user) -> Client:
    return login_verified(Client(), user)


def test_the_owner_sees_per_phase_and_per_contract_what_is_committed_paid_and_left():
    call = published_call()
    first, _second, third = contracts(call, 3)
    plan = first.deliverables.get(kind=Deliverable.Kind.PROGRESS_REPORT)
    Deliverable.objects.filter(pk=plan.pk).update(status=Deliverable.Status.ACCEPTED)
    milestone_pay(deliverable=plan, actor=call.officer)  # 3,000 paid
    contract_terminate(contract=third, actor=call.officer, reason="Gestopt")  # 10,000 back

    response = verified(call.officer).get(money_url(call))

    assert response.status_code == 200
    phase = call.phases.get(order=1)
    row = next(r for r in response.context["phases"] if r.phase == phase)
    assert (row.budget, row.committed, row.paid) == (
        phase.budget,
        Decimal("17000.00"),
        Decimal("3000.00"),
    )
    assert row.remaining == phase.budget - Decimal("20000.00")
    html = response.content.decode()
    assert "17.000,00" in html  # the euro filter in Dutch notation
    by_pk = {c.pk: c for c in response.context["page_obj"]}
    assert (by_pk[first.pk].paid, by_pk[first.pk].held) == (Decimal("3000.00"), Decimal("7000.00"))
    assert (by_pk[third.pk].paid, by_pk[third.pk].held) == (Decimal("0.00"), Decimal("0.00"))
    assert f'data-testid="milestone-{plan.pk}" data-state="accepted"' in html
    other_phase = next(r for r in response.context["phases"] if r.phase != phase)
    assert (other_phase.committed, other_phase.paid) == (Decimal("0.00"), Decimal("0.00"))


def test_the_call_management_page_links_to_the_money_page():
    call = published_call()
    page = verified(call.officer).get(reverse("calls:officer_manage", args=[call.pk]))
    assert money_url(call) in page.content.decode()


def test_who_may_see_a_calls_money(client):
    call = published_call()
    contracts(call, 1)
    url = money_url(call)

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert reverse("login") in anonymous.url

    company = Client()
    company.force_login(applicant())
    assert company.get(url).status_code == 404
    assert verified(officer_of()).get(url).status_code == 404  # another authority
    assert verified(person_with_role(Role.ASSESSOR, organisation=call.authority)).get(
        url
    ).status_code in (403, 404)
    assert verified(call.officer).get(url).status_code == 200
    colleague = person_with_role(Role.PROCUREMENT_OFFICER, organisation=call.authority)
    assert verified(colleague).get(url).status_code == 200
    staff = person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))
    ministry = verified(staff).get(url)
    assert ministry.status_code == 200
    assert reverse("funding:dashboard") in ministry.content.decode()


def test_an_unknown_call_is_a_404():
    officer = officer_of()
    assert verified(officer).get(reverse("funding:call_money", args=[999999])).status_code == 404


def test_the_money_page_costs_the_same_queries_for_2_or_20_contracts(django_assert_num_queries):
    call = published_call()
    client = verified(call.officer)
    contracts(call, 2)
    client.get(money_url(call))
    with CaptureQueriesContext(connection) as few:
        response = client.get(money_url(call))
    assert response.context["page_obj"].paginator.count == 2

    contracts(call, 18, start=2)
    with django_assert_num_queries(len(few)):
        response = client.get(money_url(call))
    assert response.context["page_obj"].paginator.count == 20
