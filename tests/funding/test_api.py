"""The funding API: funds and their transactions, co-financing applications and decisions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from funding.models import Account, CoFinancingApplication, Fund, FundingRound
from funding.services.cofinancing import cofinancing_apply, cofinancing_approve, commitment_pay
from funding.services.ledger import fund_open
from portal.models import Role
from tests.calls.factories import draft_call, officer_of
from tests.factories import CompanyFactory, MinistryFactory, api_key_for, person_with_role
from tests.funding.factories import co_financed

pytestmark = pytest.mark.django_db

FUNDS = "/api/v1/funds/"
APPLICATIONS = "/api/v1/cofinancing-applications/"


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


@pytest.fixture
def staff():
    return person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))


def _fund(owner, actor, code="ezk-2021", amount="1000000.00"):
    return fund_open(
        code=code,
        name=f"Fonds {code}",
        kind=Fund.Kind.EZK,
        owner=owner,
        period_start=date(2021, 1, 1),
        period_end=date(2021, 12, 31),
        amount=amount,
        actor=actor,
    )


@pytest.fixture
def fund(staff):
    return _fund(staff.memberships.get().organisation, staff)


@pytest.fixture
def funding_round(fund):
    now = timezone.now()
    return FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        mission_required=False,
        fund=fund,
        name="Ronde 2021",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
    )


def _apply(funding_round, call=None, requested="400000.00"):
    call = call or draft_call()
    return cofinancing_apply(
        funding_round=funding_round,
        call=call,
        actor=call.officer,
        trajectory_cost="1000000.00",
        requested=requested,
        motivation="Past bij de missie energietransitie.",
    )


def _payload(funding_round, call, **overrides):
    return {
        "round": funding_round.pk,
        "call": call.pk,
        "trajectory_cost": "1000000.00",
        "requested": "400000.00",
        "motivation": "Past bij de missie.",
        **overrides,
    }


# --- Funds --------------------------------------------------------------------------------------


def test_funds_with_balances_per_role(staff, fund, funding_round):
    application = _apply(funding_round)
    cofinancing_approve(application=application, actor=staff)
    commitment_pay(
        account=Account.objects.get(application=application),
        amount="100000.00",
        actor=staff,
        description="Mijlpaal 1",
    )
    officer = application.call.officer
    own = _fund(application.call.authority, officer, code="eigen", amount="250000.00")

    assert client_for(None).get(FUNDS).status_code == 401
    applicant = person_with_role(Role.APPLICANT, organisation=CompanyFactory())
    assert client_for(applicant).get(FUNDS).status_code == 403

    rows = {row["code"]: row for row in client_for(staff).get(FUNDS).json()["results"]}
    assert set(rows) == {"ezk-2021", "eigen"}
    assert rows["ezk-2021"]["appropriated"] == "1000000.00"
    assert rows["ezk-2021"]["available"] == "600000.00"
    assert rows["ezk-2021"]["committed"] == "300000.00"
    assert rows["ezk-2021"]["paid"] == "100000.00"

    rows = client_for(officer).get(FUNDS).json()["results"]
    assert [row["code"] for row in rows] == [own.code]
    assert client_for(officer_of()).get(FUNDS).json()["results"] == []


def test_transactions_newest_first_with_entries_and_only_for_who_may_see_the_fund(
    staff, fund, funding_round
):
    application = _apply(funding_round)
    cofinancing_approve(application=application, actor=staff)
    url = f"{FUNDS}{fund.code}/transactions/"

    response = client_for(staff).get(url)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["kind"] for row in body["results"]] == ["commitment", "appropriation"]
    for row in body["results"]:
        assert sum(Decimal(entry["amount"]) for entry in row["entries"]) == Decimal("0")
    assert client_for(application.call.officer).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401
    assert client_for(staff).get(f"{FUNDS}nope/transactions/").status_code == 404


def test_lists_run_a_constant_number_of_queries(staff, fund, funding_round):
    client = client_for(staff)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    cofinancing_approve(application=_apply(funding_round, requested="100000.00"), actor=staff)
    transactions = f"{FUNDS}{fund.code}/transactions/"
    few = (count(FUNDS), count(transactions), count(APPLICATIONS))
    for index in range(4):
        _fund(fund.owner, staff, code=f"extra-{index}")
        application = _apply(funding_round, requested="100000.00")
        cofinancing_approve(application=application, actor=staff)
    assert (count(FUNDS), count(transactions), count(APPLICATIONS)) == few


# --- Trajectories ---------------------------------------------------------------------------------

TRAJECTORIES = "/api/v1/trajectories/"


def test_trajectories_with_their_money_and_funnel_per_role(staff, fund):
    ours = co_financed(fund, staff, title="Slimme dijken", requested="300000.00", funnel=(4, 2, 1))
    theirs = co_financed(fund, staff, title="Stille bruggen", requested="200000.00")
    commitment_pay(
        account=Account.objects.get(application__call=ours),
        amount="60000.00",
        actor=staff,
        description="Mijlpaal 1",
        call=ours,
    )

    rows = {row["title"]: row for row in client_for(staff).get(TRAJECTORIES).json()["results"]}

    assert set(rows) == {"Slimme dijken", "Stille bruggen"}
    row = rows["Slimme dijken"]
    assert (row["reference"], row["authority"]) == (ours.reference, ours.authority.name)
    assert (row["granted"], row["paid"]) == ("300000.00", "60000.00")
    assert row["funds"] == [{"fund": fund.code, "granted": "300000.00", "paid": "60000.00"}]
    assert (row["responses"], row["feasibility"], row["prototype"]) == (4, 2, 1)
    assert row["missions"] == ["energy"]
    # An authority sees only its own trajectories; others see none or may not ask.
    own = client_for(ours.officer).get(TRAJECTORIES).json()["results"]
    assert [row["title"] for row in own] == ["Slimme dijken"]
    assert theirs.authority != ours.authority
    assert client_for(officer_of()).get(TRAJECTORIES).json()["results"] == []
    applicant = person_with_role(Role.APPLICANT, organisation=CompanyFactory())
    assert client_for(applicant).get(TRAJECTORIES).status_code == 403
    assert client_for(None).get(TRAJECTORIES).status_code == 401


def test_trajectories_cost_the_same_queries_for_2_or_8(staff, fund):
    client = client_for(staff)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(TRAJECTORIES).status_code == 200
        return len(queries.captured_queries)

    for number in range(2):
        co_financed(fund, staff, title=f"Traject {number}", requested="1000.00", funnel=(2, 1, 1))
    few = count()
    for number in range(2, 8):
        co_financed(fund, staff, title=f"Traject {number}", requested="1000.00", funnel=(2, 1, 1))
    assert count() == few


def test_trajectories_come_a_page_at_a_time(staff, fund, monkeypatch):
    from rest_framework.pagination import PageNumberPagination

    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for number in range(3):
        co_financed(fund, staff, title=f"Traject {number}", requested="1000.00")
    client = client_for(staff)
    first = client.get(TRAJECTORIES).json()
    assert first["count"] == 3
    assert [row["title"] for row in first["results"]] == ["Traject 0", "Traject 1"]
    second = client.get(first["next"]).json()
    assert [row["title"] for row in second["results"]] == ["Traject 2"]
    assert second["next"] is None


def test_a_funds_transactions_of_one_call(staff, fund):
    first = co_financed(fund, staff, title="Eerste", requested="1000.00")
    co_financed(fund, staff, title="Tweede", requested="2000.00")
    url = f"{FUNDS}{fund.code}/transactions/"

    body = client_for(staff).get(url, {"call": first.pk}).json()

    assert [row["call"] for row in body["results"]] == [first.pk]
    assert client_for(staff).get(url, {"call": "abc"}).status_code == 400
    assert client_for(staff).get(url, {"call": 0}).status_code == 400


# --- Applications -------------------------------------------------------------------------------


def test_officer_applies_and_sees_only_their_authoritys_applications(staff, funding_round):
    call = draft_call()
    client = client_for(call.officer)

    response = client.post(APPLICATIONS, _payload(funding_round, call), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["requested"] == "400000.00"
    assert response.json()["status"] == "submitted"
    theirs = _apply(funding_round)
    ids = [row["id"] for row in client.get(APPLICATIONS).json()["results"]]
    assert ids == [response.json()["id"]]
    staff_ids = [row["id"] for row in client_for(staff).get(APPLICATIONS).json()["results"]]
    assert staff_ids == [response.json()["id"], theirs.pk]


def test_who_may_apply(staff, funding_round):
    call = draft_call()
    payload = _payload(funding_round, call)

    assert client_for(None).post(APPLICATIONS, payload, format="json").status_code == 401
    applicant = person_with_role(Role.APPLICANT, organisation=CompanyFactory())
    assert client_for(applicant).post(APPLICATIONS, payload, format="json").status_code == 403
    assert client_for(applicant).get(APPLICATIONS).status_code == 403
    assert client_for(staff).post(APPLICATIONS, payload, format="json").status_code == 403
    # Another authority's call, published or draft, does not exist for this officer.
    outsider = client_for(officer_of())
    response = outsider.post(APPLICATIONS, payload, format="json")
    assert response.status_code == 400
    assert "call" in response.json()
    draft = draft_call()
    response = outsider.post(APPLICATIONS, _payload(funding_round, draft), format="json")
    assert response.status_code == 400
    assert not CoFinancingApplication.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"requested": "veel"},
        {"trajectory_cost": None},
        {"motivation": ""},
        {"round": 999999},
        {"requested": "600000.00"},
        {"requested": "-5.00"},
    ],
)
def test_bad_payloads_are_400(funding_round, overrides):
    call = draft_call()
    response = client_for(call.officer).post(
        APPLICATIONS, _payload(funding_round, call, **overrides), format="json"
    )
    assert response.status_code == 400
    assert not CoFinancingApplication.objects.exists()


def test_a_closed_round_is_refused(funding_round):
    FundingRound.objects.filter(pk=funding_round.pk).update(
        closes_at=timezone.now() - timedelta(hours=1)
    )
    call = draft_call()
    response = client_for(call.officer).post(
        APPLICATIONS, _payload(funding_round, call), format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "window"


# --- Decisions ----------------------------------------------------------------------------------


def test_staff_approve_and_reject(staff, funding_round):
    first = _apply(funding_round)
    second = _apply(funding_round)
    client = client_for(staff)

    response = client.post(f"{APPLICATIONS}{second.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "order"

    response = client.post(f"{APPLICATIONS}{first.pk}/approve/", {"motivation": "Goed"})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert Account.objects.get(application=first).balance == Decimal("400000.00")
    assert client.post(f"{APPLICATIONS}{first.pk}/approve/").json()["code"] == "decided"

    assert client.post(f"{APPLICATIONS}{second.pk}/reject/", {}).status_code == 400
    response = client.post(f"{APPLICATIONS}{second.pk}/reject/", {"motivation": "Te duur"})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["decision_motivation"] == "Te duur"
    assert client.post(f"{APPLICATIONS}999999/approve/").status_code == 404


def test_only_staff_decide(funding_round):
    application = _apply(funding_round)
    officer = application.call.officer
    for user, expected in [
        (None, 401),
        (person_with_role(Role.APPLICANT, organisation=CompanyFactory()), 403),
        (officer, 403),
        (officer_of(), 403),
    ]:
        client = client_for(user)
        assert client.post(f"{APPLICATIONS}{application.pk}/approve/").status_code == expected
        response = client.post(f"{APPLICATIONS}{application.pk}/reject/", {"motivation": "x"})
        assert response.status_code == expected
    application.refresh_from_db()
    assert application.status == CoFinancingApplication.Status.SUBMITTED


def test_the_schema_documents_the_funding_endpoints(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert paths["/api/v1/funds/"]["get"]["tags"] == ["funding"]
    assert "get" in paths["/api/v1/funds/{code}/transactions/"]
    assert {"get", "post"} <= set(paths["/api/v1/cofinancing-applications/"])
    assert "post" in paths["/api/v1/cofinancing-applications/{id}/approve/"]
    assert "post" in paths["/api/v1/cofinancing-applications/{id}/reject/"]
    assert paths["/api/v1/trajectories/"]["get"]["tags"] == ["funding"]
    parameters = paths["/api/v1/funds/{code}/transactions/"]["get"]["parameters"]
    assert "call" in {parameter["name"] for parameter in parameters}
    follow_up = paths["/api/v1/calls/{call_pk}/follow-up-purchases/"]
    assert {"get", "post"} <= set(follow_up)
    assert follow_up["post"]["requestBody"]["content"]["application/json"]["schema"][
        "$ref"
    ].endswith("PurchaseCreateRequest")
    assert {"201", "400", "404"} <= set(follow_up["post"]["responses"])
