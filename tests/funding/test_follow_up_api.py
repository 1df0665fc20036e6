"""Follow-up purchases (phase 3) through the API: the officers who run the call list and record
them, with the rules of the follow-up page; nobody else learns the call exists."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from funding.models import FollowUpPurchase
from portal.models import Role
from proposals.models import Proposal
from tests.calls.factories import officer_of, published_call
from tests.factories import api_key_for, person_with_role
from tests.proposals.factories import submitted_proposals

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


@pytest.fixture
def developed():
    """A call with one company that won a phase (the developer) and one that did not."""
    call = published_call()
    winner, loser = submitted_proposals(call, 2)
    # The award itself is tested with the assessment; here only its outcome matters.
    Proposal.objects.filter(pk=winner.pk).update(status=Proposal.Status.AWARDED)
    return call, winner.company, loser.company


def _valid(supplier, **changes) -> dict:
    data = {
        "supplier": supplier.pk,
        "amount": "125000.00",
        "purchased_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "description": "Veertig slimme sluizen",
    }
    data.update(changes)
    return data


def test_the_officer_records_and_lists_follow_up_purchases(developed):
    call, winner, _ = developed
    url = reverse("api-follow-up-purchase-list", args=[call.pk])
    client = _api(call.officer)
    assert client.get(url).json()["results"] == []
    response = client.post(url, _valid(winner), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["call"], body["supplier"], body["supplier_name"]) == (
        call.pk,
        winner.pk,
        winner.name,
    )
    assert body["amount"] == "125000.00"
    purchase = FollowUpPurchase.objects.get()
    assert purchase.recorded_by == call.officer
    client.post(url, _valid(winner, amount="10.50", description="Onderhoud"), format="json")
    with CaptureQueriesContext(connection) as queries:
        listed = client.get(url)
    assert [p["description"] for p in listed.json()["results"]] == [
        "Veertig slimme sluizen",
        "Onderhoud",
    ]
    for number in range(3):
        client.post(url, _valid(winner, description=f"Sluis {number}"), format="json")
    with CaptureQueriesContext(connection) as more:
        assert len(client.get(url).json()["results"]) == 5
    assert len(more) == len(queries), "one query per list, however many purchases"


def test_a_mandated_officer_records_follow_up_purchases_too(developed):
    from calls.services.mandates import mandate_grant
    from tests.factories import MinistryFactory

    call, winner, _ = developed
    rvo_officer = person_with_role(Role.PROCUREMENT_OFFICER, organisation=MinistryFactory())
    url = reverse("api-follow-up-purchase-list", args=[call.pk])
    assert _api(rvo_officer).get(url).status_code == 404
    mandate_grant(
        actor=call.officer,
        principal=call.authority,
        agent=rvo_officer.memberships.get().organisation,
    )
    assert _api(rvo_officer).post(url, _valid(winner), format="json").status_code == 201


def test_nobody_else_reaches_the_follow_up_purchases(developed):
    call, winner, _ = developed
    url = reverse("api-follow-up-purchase-list", args=[call.pk])
    assert _api(None).get(url).status_code == 401
    assert _api(None).post(url, _valid(winner), format="json").status_code == 401
    for person in (
        officer_of(),
        winner.memberships.first().user,
        person_with_role(Role.MINISTRY_STAFF),
    ):
        assert _api(person).get(url).status_code == 404
        refused = _api(person).post(url, _valid(winner), format="json")
        assert refused.status_code == 404
        assert set(refused.json()) == {"code", "detail"}
    assert not FollowUpPurchase.objects.exists()


def test_bad_follow_up_purchases_are_refused(developed):
    call, winner, loser = developed
    url = reverse("api-follow-up-purchase-list", args=[call.pk])
    client = _api(call.officer)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        ({}, "supplier"),
        (_valid(loser), "supplier"),  # did not develop the solution
        ({**_valid(winner), "supplier": "x"}, "supplier"),
        (_valid(winner, amount="-5"), "code"),
        (_valid(winner, amount="0"), "code"),
        (_valid(winner, amount="veel"), "amount"),
        (_valid(winner, purchased_on=tomorrow), "code"),
        (_valid(winner, purchased_on="31-02-2024"), "purchased_on"),
        (_valid(winner, description="   "), "description"),
        (_valid(winner, description="x" * 501), "description"),
    ]
    for data, key in cases:
        response = client.post(url, data, format="json")
        assert response.status_code == 400, (data, response.json())
        assert key in response.json(), (data, response.json())
    assert not FollowUpPurchase.objects.exists()
    missing = reverse("api-follow-up-purchase-list", args=[999_999])
    assert client.get(missing).status_code == 404
