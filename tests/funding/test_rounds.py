"""Co-financing rounds: ministry staff prepare, open and close them; authorities apply with a
draft call; approval commits; the commitment lapses when the call is not published in time."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import Call
from calls.services.lifecycle import call_publish
from funding.models import Account, CoFinancingApplication, FundingRound
from funding.selectors.budget import fund_balances
from funding.services.cofinancing import cofinancing_apply, cofinancing_approve
from funding.services.rounds import round_close, round_create, round_open
from funding.tasks import lapse_unpublished_cofinancing
from portal.exceptions import DomainError, IllegalTransition, NotAllowed
from portal.hooks import tasks_for
from portal.models import Role
from tests.calls.factories import draft_call, mission, officer_of, published_call
from tests.factories import MinistryFactory, api_key_for, person_with_role
from tests.funding.factories import ezk_fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))


@pytest.fixture
def fund(staff):
    return ezk_fund(staff, amount="1000000.00")


def _round(staff, fund, **changes):
    now = timezone.now()
    values = {
        "fund": fund,
        "name": "Ronde 2021",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=14),
        "max_share": Decimal("0.5"),
        "max_amount": Decimal("500000.00"),
        "instruments": [Call.Instrument.SBIR, Call.Instrument.INNOVATION_PARTNERSHIP],
        **changes,
    }
    return round_open(funding_round=round_create(actor=staff, **values), actor=staff)


def _call(**fields):
    call = draft_call(**fields)
    call.missions.set([mission("energy")])
    return call


def _apply(funding_round, call=None, requested="400000.00"):
    call = call or _call()
    return cofinancing_apply(
        funding_round=funding_round,
        call=call,
        actor=call.officer,
        trajectory_cost="1000000.00",
        requested=requested,
        motivation="Energietransitie.",
        plan="Publicatie in september.",
    )


# --- The round's lifecycle, on its page --------------------------------------------------------


def test_staff_prepare_open_and_close_a_round_on_the_page(verified_client, staff, fund):
    client = verified_client(staff)
    url = reverse("cofinancing:rounds")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "fund": fund.pk,
            "name": "Ronde 2021",
            "opens_at": "2031-05-17T10:00",
            "closes_at": "2031-05-31T16:00",
            "max_share": "50",
            "max_amount": "500000.00",
            "instruments": ["sbir", "innovation_partnership"],
            "mission_required": "on",
            "allocation": "first_come",
            "publish_by": "2031-12-31",
        },
    )
    assert response.status_code == 302
    funding_round = FundingRound.objects.get()
    assert funding_round.status == FundingRound.Status.DRAFT
    assert funding_round.max_share == Decimal("0.500")
    assert timezone.localtime(funding_round.opens_at).hour == 10
    assert funding_round.instruments == ["sbir", "innovation_partnership"]
    page = client.get(url).content.decode()
    assert "50%" in page
    assert (
        client.post(reverse("cofinancing:open_round", args=[funding_round.pk])).status_code == 302
    )
    funding_round.refresh_from_db()
    assert funding_round.status == FundingRound.Status.OPEN
    client.post(reverse("cofinancing:close_round", args=[funding_round.pk]))
    funding_round.refresh_from_db()
    assert funding_round.status == FundingRound.Status.CLOSED
    # Closed is final: opening again is refused with a message, nothing changes.
    client.post(reverse("cofinancing:open_round", args=[funding_round.pk]))
    funding_round.refresh_from_db()
    assert funding_round.status == FundingRound.Status.CLOSED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"closes_at": "2031-05-01T10:00"}, "closes_at"),
        ({"max_share": "0"}, "max_share"),
        ({"max_share": "150"}, "max_share"),
        ({"instruments": []}, "instruments"),
        ({"publish_by": "2031-01-01"}, "publish_by"),
    ],
)
def test_a_round_that_does_not_hold_is_refused(verified_client, staff, fund, changes, field):
    data = {
        "fund": fund.pk,
        "name": "Ronde",
        "opens_at": "2031-05-17T10:00",
        "closes_at": "2031-05-31T16:00",
        "max_share": "50",
        "max_amount": "500000.00",
        "instruments": ["sbir"],
        "allocation": "first_come",
        **changes,
    }
    response = verified_client(staff).post(reverse("cofinancing:rounds"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not FundingRound.objects.exists()


@pytest.mark.parametrize("role", [Role.PROCUREMENT_OFFICER, Role.APPLICANT])
def test_only_ministry_staff_manage_rounds(verified_client, staff, fund, role):
    funding_round = _round(staff, fund)
    client = verified_client(person_with_role(role))
    assert client.get(reverse("cofinancing:rounds")).status_code == 403
    assert (
        client.post(reverse("cofinancing:close_round", args=[funding_round.pk])).status_code == 403
    )
    with pytest.raises(NotAllowed):
        round_close(funding_round=funding_round, actor=officer_of())
    funding_round.refresh_from_db()
    assert funding_round.status == FundingRound.Status.OPEN


# --- Applying with a draft call ----------------------------------------------------------------


def test_an_authority_applies_with_its_draft_call_and_the_commitment_follows_it(staff, fund):
    funding_round = _round(staff, fund)
    call = _call()
    application = _apply(funding_round, call=call)
    assert application.plan == "Publicatie in september."
    cofinancing_approve(application=application, actor=staff)
    account = Account.objects.get(application=application)
    assert account.call_id == call.pk
    assert account.balance == Decimal("400000.00")
    call_publish(call=call, actor=call.officer)
    assert Account.objects.get(pk=account.pk).balance == Decimal("400000.00")
    # A published call is no longer a proposed competition: it cannot apply any more.
    with pytest.raises(DomainError) as error:
        _apply(_round(staff, fund, name="Ronde 2"), call=call)
    assert error.value.code == "call"


def test_what_a_round_does_not_cover_is_refused(staff, fund):
    funding_round = _round(staff, fund, instruments=[Call.Instrument.SBIR])
    partnership = _call(instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
    with pytest.raises(DomainError) as error:
        _apply(funding_round, call=partnership)
    assert error.value.code == "call"
    no_mission = draft_call()
    with pytest.raises(DomainError) as error:
        _apply(funding_round, call=no_mission)
    assert error.value.code == "call"
    prepared = round_create(
        actor=staff,
        fund=fund,
        name="Nog dicht",
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=1),
        max_share=Decimal("0.5"),
        max_amount="500000.00",
        instruments=["sbir"],
    )
    with pytest.raises(DomainError) as error:
        _apply(prepared)
    assert error.value.code == "window"
    with pytest.raises(DomainError) as error:
        _apply(funding_round, requested="500000.01")
    assert error.value.code == "limit"
    assert not CoFinancingApplication.objects.exists()


def test_a_ranked_round_is_decided_after_it_closes_in_any_order(staff, fund):
    funding_round = _round(staff, fund, allocation=FundingRound.Allocation.RANKED)
    first = _apply(funding_round, requested="300000.00")
    second = _apply(funding_round, requested="200000.00")
    with pytest.raises(DomainError) as error:
        cofinancing_approve(application=second, actor=staff)
    assert error.value.code == "order"
    round_close(funding_round=funding_round, actor=staff)
    cofinancing_approve(application=second, actor=staff)  # ranked higher: first
    cofinancing_approve(application=first, actor=staff)
    assert fund_balances([fund])[0].committed == Decimal("500000.00")


def test_first_come_first_served_keeps_the_order(staff, fund):
    funding_round = _round(staff, fund)
    _apply(funding_round)
    later = _apply(funding_round)
    with pytest.raises(DomainError) as error:
        cofinancing_approve(application=later, actor=staff)
    assert error.value.code == "order"


def test_an_unpublished_call_lapses_after_the_rounds_date_and_the_money_returns(
    staff, fund, time_machine
):
    time_machine.move_to(timezone.now())
    funding_round = _round(staff, fund, publish_by=timezone.localdate() + timedelta(days=30))
    lazy = _apply(funding_round, requested="300000.00")
    cofinancing_approve(application=lazy, actor=staff)
    punctual_call = _call()
    punctual = _apply(funding_round, call=punctual_call, requested="200000.00")
    cofinancing_approve(application=punctual, actor=staff)
    call_publish(call=punctual_call, actor=punctual_call.officer)
    assert lapse_unpublished_cofinancing() == 0  # not yet past the date
    time_machine.shift(timedelta(days=32))
    assert lapse_unpublished_cofinancing.delay().get() == 1
    lazy.refresh_from_db()
    punctual.refresh_from_db()
    assert lazy.status == CoFinancingApplication.Status.LAPSED
    assert punctual.status == CoFinancingApplication.Status.APPROVED
    balance = fund_balances([fund])[0]
    assert balance.committed == Decimal("200000.00")
    assert balance.available == Decimal("800000.00")
    assert lapse_unpublished_cofinancing() == 0  # once only
    with pytest.raises(DomainError):
        cofinancing_approve(application=lazy, actor=staff)


def test_round_transitions_are_explicit(staff, fund):
    funding_round = _round(staff, fund)
    with pytest.raises(IllegalTransition):
        round_open(funding_round=funding_round, actor=staff)


# --- My tasks -------------------------------------------------------------------------------


def test_pending_applications_are_on_ministry_staffs_tasks(
    staff, fund, django_assert_max_num_queries
):
    funding_round = _round(staff, fund)
    for _n in range(3):
        _apply(funding_round, requested="100000.00")
    other = _round(staff, fund, name="Ronde 2")
    _apply(other, requested="100000.00")
    tasks = [task for task in tasks_for(staff) if task["kind"] == "cofinancing_decide"]
    assert len(tasks) == 2
    assert any("3" in task["title"] for task in tasks)
    assert not [t for t in tasks_for(officer_of()) if t["kind"] == "cofinancing_decide"]


# --- API ----------------------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def test_api_prepares_opens_and_closes_a_round(staff, fund):
    client = _api(staff)
    response = client.post(
        "/api/v1/funding-rounds/",
        {
            "fund": fund.code,
            "name": "Ronde API",
            "opens_at": "2031-05-17T10:00:00+02:00",
            "closes_at": "2031-05-31T16:00:00+02:00",
            "max_share": "0.5",
            "max_amount": "500000.00",
            "instruments": ["sbir"],
            "allocation": "ranked",
            "publish_by": str(date(2031, 12, 31)),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert client.post(f"/api/v1/funding-rounds/{pk}/open/").json()["status"] == "open"
    assert client.post(f"/api/v1/funding-rounds/{pk}/open/").status_code == 409
    assert client.post(f"/api/v1/funding-rounds/{pk}/close/").json()["status"] == "closed"
    bad = client.post(
        "/api/v1/funding-rounds/", {"fund": fund.code, "instruments": ["x"]}, format="json"
    )
    assert bad.status_code == 400
    officer = _api(officer_of())
    assert officer.get("/api/v1/funding-rounds/").status_code == 200
    assert officer.post(f"/api/v1/funding-rounds/{pk}/close/").status_code == 403
    assert officer.post("/api/v1/funding-rounds/", {}, format="json").status_code == 403


def test_api_apply_with_a_draft_call_and_not_with_a_published_one(staff, fund):
    funding_round = _round(staff, fund)
    call = _call()
    client = _api(call.officer)
    body = {
        "round": funding_round.pk,
        "call": call.pk,
        "trajectory_cost": "1000000.00",
        "requested": "500000.00",
        "motivation": "Energie.",
        "plan": "Publicatie in juni.",
    }
    response = client.post("/api/v1/cofinancing-applications/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["plan"] == "Publicatie in juni."
    published = published_call(officer=call.officer)
    body["call"] = published.pk
    response = client.post("/api/v1/cofinancing-applications/", body, format="json")
    assert response.status_code == 400
