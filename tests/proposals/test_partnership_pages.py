"""The pages of an innovation partnership's negotiation and phases: who reaches them, the
sealed rounds, and the forms through which the officer and the partners act."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import Role
from proposals.models import NegotiationRound, PhasePlan, TenderVersion
from tests.calls.factories import officer_of
from tests.conftest import login_verified
from tests.factories import person_with_role

from .factories import applicant, partnership_partners, partnership_tenders, pdf_upload

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    return login_verified(Client(), user) if user is not None else Client()


@pytest.fixture
def tenders():
    return partnership_tenders(2)


def test_the_officer_sends_a_round_and_the_tenderers_answer_sealed(tenders):
    call, proposals = tenders
    phase = call.phases.get(order=1)
    officer = client_of(call.officer)
    url = reverse("proposals:officer_negotiation", kwargs={"phase_pk": phase.pk})
    page = officer.get(url).content.decode()
    assert 'data-testid="round-form"' in page
    assert "40 passagiers" in page  # the minimum requirements, shown as not negotiable
    deadline = timezone.localtime() + timedelta(days=3)
    response = officer.post(
        url, {"points": "Licht de laadtijd toe.", "deadline": deadline.strftime("%Y-%m-%dT%H:%M")}
    )
    round_ = NegotiationRound.objects.get(phase=phase)
    assert response.status_code == 302
    # The tenderer sees the same text and submits a revised tender through its page.
    company = client_of(proposals[0].person)
    tender_url = reverse("proposals:tender_negotiation", kwargs={"pk": proposals[0].pk})
    assert "Licht de laadtijd toe." in company.get(tender_url).content.decode()
    response = company.post(
        tender_url,
        {"changes": "Snellader.", "price": "240000.00", "document": pdf_upload("herzien.pdf")},
    )
    assert response.status_code == 302
    version = TenderVersion.objects.get(proposal=proposals[0])
    # Sealed: the officer's page shows neither the price nor the company's text yet.
    round_url = reverse("proposals:officer_round", kwargs={"round_pk": round_.pk})
    sealed = officer.get(round_url).content.decode()
    assert 'data-testid="sealed"' in sealed
    assert "Snellader." not in sealed
    document_url = reverse("proposals:version_document", kwargs={"version_pk": version.pk})
    assert officer.get(document_url).status_code == 404
    assert company.get(document_url).status_code == 200
    # Another tenderer neither reads it nor reaches the first one's page.
    other = client_of(proposals[1].person)
    assert other.get(document_url).status_code == 404
    assert other.get(tender_url).status_code == 404
    with time_machine.travel(round_.deadline + timedelta(minutes=1)):
        opened = client_of(call.officer).get(round_url).content.decode()
        assert "Snellader." in opened
        assert client_of(call.officer).get(document_url).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("other_company", 404), ("other_officer", 404), ("ministry", 404)],
)
def test_strangers_do_not_reach_the_negotiation(tenders, who, status):
    call, proposals = tenders
    person = {
        "anonymous": None,
        "other_company": applicant(),
        "other_officer": officer_of(),
        "ministry": person_with_role(Role.MINISTRY_STAFF),
    }[who]
    client = client_of(person)
    phase = call.phases.get(order=1)
    for url in (
        reverse("proposals:officer_negotiation", kwargs={"phase_pk": phase.pk}),
        reverse("proposals:tender_negotiation", kwargs={"pk": proposals[0].pk}),
    ):
        assert client.get(url).status_code == status


def test_the_partner_reports_and_the_officer_decides_through_the_pages():
    call, proposals = partnership_partners()
    partner = proposals[0]
    plan = PhasePlan.objects.get(contract__proposal=partner, phase__order=1)
    company = client_of(partner.person)
    assert (
        "Vaarbereik"
        in company.get(reverse("proposals:partnership", kwargs={"pk": partner.pk})).content.decode()
    )
    report_url = reverse("proposals:plan_report", kwargs={"plan_pk": plan.pk})
    data = {}
    for target in plan.targets.all():
        data[f"result_{target.pk}"] = "Gehaald"
        data[f"evidence_{target.pk}"] = pdf_upload("bewijs.pdf")
    assert company.post(report_url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.awaits_decision
    officer = client_of(call.officer)
    overview = reverse("proposals:officer_partnership", kwargs={"contract_pk": partner.contract.pk})
    page = officer.get(overview).content.decode()
    assert 'data-testid="decide-1"' in page
    report = plan.targets.first().report
    evidence = reverse("proposals:target_evidence", kwargs={"report_pk": report.pk})
    assert officer.get(evidence).status_code == 200
    assert client_of(proposals[1].person).get(evidence).status_code == 404
    decide = reverse("proposals:officer_plan_decide", kwargs={"plan_pk": plan.pk})
    refused = officer.post(decide, {"outcome": "go", "reason": ""})
    assert refused.status_code == 200
    assert 'data-testid="error-summary"' in refused.content.decode()
    assert officer.post(decide, {"outcome": "go", "reason": "Gehaald."}).status_code == 302
    plan.refresh_from_db()
    assert plan.is_go
    # The partner cannot decide, nor reach the officer's pages.
    assert company.get(decide).status_code == 404
    assert company.get(overview).status_code == 404
