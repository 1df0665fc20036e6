"""The API of the negotiation and the partnership's phases: the same rules as the pages."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from proposals.models import NegotiationRound, PhasePlan

from .factories import partnership_partners, partnership_tenders, pdf_upload

pytestmark = pytest.mark.django_db


def api_of(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_rounds_and_revised_tenders_through_the_api():
    call, proposals = partnership_tenders(2)
    phase = call.phases.get(order=1)
    officer = api_of(call.officer)
    deadline = timezone.now() + timedelta(days=2)
    # A tenderer cannot open a round.
    refused = api_of(proposals[0].person).post(
        "/api/v1/negotiation-rounds/",
        {"phase": phase.pk, "points": "x", "deadline": deadline.isoformat()},
        format="json",
    )
    assert refused.status_code == 404
    response = officer.post(
        "/api/v1/negotiation-rounds/",
        {"phase": phase.pk, "points": "Licht de accu toe.", "deadline": deadline.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]
    assert response.json()["tenderers"] == 2
    # Both tenderers read the same round.
    for proposal in proposals:
        got = api_of(proposal.person).get(f"/api/v1/negotiation-rounds/{round_id}/")
        assert got.json()["points"] == "Licht de accu toe."
    url = f"/api/v1/negotiation-rounds/{round_id}/tenders/"
    company = api_of(proposals[0].person)
    posted = company.post(
        url,
        {
            "proposal": proposals[0].pk,
            "changes": "Grotere accu.",
            "price": "230000.00",
            "document": pdf_upload("herzien.pdf"),
        },
        format="multipart",
    )
    assert posted.status_code == 201, posted.content
    # The other tenderer cannot post for it; the officer sees nothing before the deadline.
    other = api_of(proposals[1].person).post(
        url, {"proposal": proposals[0].pk, "changes": "x", "price": "1.00"}, format="json"
    )
    assert other.status_code == 404
    assert officer.get(url).json() == []
    assert len(company.get(url).json()) == 1
    assert api_of(proposals[1].person).get(url).json() == []
    with time_machine.travel(deadline + timedelta(minutes=1)):
        opened = api_of(call.officer).get(url).json()
        assert [v["price"] for v in opened] == ["230000.00"]
        late = company.post(
            url,
            {"proposal": proposals[0].pk, "changes": "Te laat.", "price": "1.00"},
            format="json",
        )
        assert late.status_code == 400


def test_targets_reports_and_go_no_go_through_the_api():
    call, proposals = partnership_partners()
    partner, other = proposals[0], proposals[1]
    plan = PhasePlan.objects.get(contract__proposal=partner, phase__order=1)
    company = api_of(partner.person)
    listed = company.get("/api/v1/partnership-phases/").json()
    assert {row["contract"] for row in listed["results"]} == {partner.contract.pk}
    detail = company.get(f"/api/v1/partnership-phases/{plan.pk}/").json()
    assert len(detail["targets"]) == 2
    assert api_of(other.person).get(f"/api/v1/partnership-phases/{plan.pk}/").status_code == 404
    data = {}
    for target in detail["targets"]:
        data[f"result_{target['id']}"] = "Gehaald"
        data[f"evidence_{target['id']}"] = pdf_upload("bewijs.pdf")
    reported = company.post(
        f"/api/v1/partnership-phases/{plan.pk}/report/", data, format="multipart"
    )
    assert reported.status_code == 200, reported.content
    assert reported.json()["status"] == "reported"
    decision = f"/api/v1/partnership-phases/{plan.pk}/decision/"
    assert (
        company.post(decision, {"decision": "go", "reason": "x"}, format="json").status_code == 403
    )
    officer = api_of(call.officer)
    done = officer.post(decision, {"decision": "no_go", "reason": "Te traag."}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "no_go"
    again = officer.post(decision, {"decision": "go", "reason": "Toch."}, format="json")
    assert again.status_code == 409


def test_the_api_lists_cost_the_same_queries_for_more_rows(django_assert_max_num_queries):
    call, proposals = partnership_partners()
    officer = api_of(call.officer)
    with django_assert_max_num_queries(12):
        rows = officer.get("/api/v1/partnership-phases/").json()["results"]
    assert len(rows) == 9  # three partners, three phases each
    phase = call.phases.get(order=1)
    for number in (1, 2):
        NegotiationRound.objects.create(
            phase=phase,
            number=number,
            kind=NegotiationRound.Kind.NEGOTIATION,
            points="Vraag.",
            deadline=call.deadline,
            sent_at=call.deadline,
            sent_by=call.officer,
        ).recipients.set(proposals)
    with django_assert_max_num_queries(10):
        rounds = officer.get("/api/v1/negotiation-rounds/").json()["results"]
    assert [r["tenderers"] for r in rounds] == [3, 3]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/negotiation-rounds/null,null/",
        "/api/v1/negotiation-rounds/x/tenders/",
        "/api/v1/partnership-phases/null,null/",
        "/api/v1/partnership-phases/x/report/",
    ],
)
def test_an_id_that_is_not_a_number_is_not_found(path):
    """Found by schemathesis: these were database errors (500)."""
    call, _proposals = partnership_tenders(3)
    response = api_of(call.officer).get(path)
    assert response.status_code == 404
