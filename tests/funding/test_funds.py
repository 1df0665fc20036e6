"""Ministry staff create funds and book appropriations and corrections: pages, API, rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from funding.models import Account, Fund, Transaction
from funding.selectors.budget import fund_balances
from funding.selectors.funds import budget_years
from funding.services.cofinancing import commitment_pay
from funding.services.funds import appropriation_book, fund_create
from funding.services.ledger import fund_account, transaction_post
from portal.exceptions import DomainError, NotAllowed
from portal.models import Role
from tests.calls.factories import officer_of
from tests.factories import MinistryFactory, api_key_for, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))


def _ministry(staff):
    return staff.memberships.get().organisation


def _fund(staff, amount="1000000.00", code="ezk-2022"):
    return fund_create(
        actor=staff,
        code=code,
        name="EZK 2022",
        owner=_ministry(staff),
        period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31),
        amount=amount,
    )


def _balance(fund):
    return fund_balances([fund])[0]


def _commit(fund, staff, amount):
    committed = Account.objects.create(fund=fund, kind=Account.Kind.COMMITTED)
    transaction_post(
        fund=fund,
        kind=Transaction.Kind.COMMITMENT,
        actor=staff,
        description="Toezegging",
        entries=[
            (fund_account(fund, Account.Kind.AVAILABLE), -Decimal(amount)),
            (committed, Decimal(amount)),
        ],
    )
    return committed


# --- Pages ---------------------------------------------------------------------------------------


def test_staff_create_a_fund_on_the_page(verified_client, staff):
    client = verified_client(staff)
    url = reverse("funding:funds")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "ezk-2023",
            "name": "EZK 2023 eenmalig",
            "owner": _ministry(staff).pk,
            "period_start": "2023-01-01",
            "period_end": "2023-12-31",
            "amount": "1500000.00",
            "description": "Kamerbrief 33009-98",
        },
    )
    assert response.status_code == 302
    fund = Fund.objects.get(code="ezk-2023")
    assert fund.kind == Fund.Kind.EZK
    assert _balance(fund).available == Decimal("1500000.00")
    record = fund.transactions.get()
    assert record.kind == Transaction.Kind.APPROPRIATION
    assert record.description == "Kamerbrief 33009-98"
    page = client.get(url).content.decode()
    assert "EZK 2023 eenmalig" in page
    assert "1.500.000,00" in page


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"period_end": "2022-12-31"}, "period_end", "period_end"),
        ({"amount": "0"}, "amount", "amount"),
        ({"code": "ezk-2022"}, "code", "code"),
        ({"amount": "abc"}, "amount", "invalid"),
    ],
)
def test_a_fund_that_does_not_hold_is_refused_and_nothing_is_lost(
    verified_client, staff, changes, field, code
):
    _fund(staff)
    client = verified_client(staff)
    data = {
        "code": "ezk-2023",
        "name": "EZK 2023",
        "owner": _ministry(staff).pk,
        "period_start": "2023-01-01",
        "period_end": "2023-12-31",
        "amount": "100.00",
        **changes,
    }
    response = client.post(reverse("funding:funds"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field, code)
    assert Fund.objects.count() == 1
    assert f'value="{data["name"]}"' in response.content.decode()


def test_another_ministry_cannot_be_the_owner(verified_client, staff):
    other = MinistryFactory(name="VWS")
    response = verified_client(staff).post(
        reverse("funding:funds"),
        {
            "code": "vws",
            "name": "VWS",
            "owner": other.pk,
            "period_start": "2023-01-01",
            "period_end": "2023-12-31",
            "amount": "100.00",
        },
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Fund.objects.filter(code="vws").exists()


def test_book_appropriation_and_correction_on_the_page(verified_client, staff):
    fund = _fund(staff)
    _commit(fund, staff, "600000.00")
    client = verified_client(staff)
    url = reverse("funding:appropriate", args=[fund.code])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"kind": "appropriation", "amount": "250000.00", "description": "Voorjaarsnota"}
    )
    assert response.status_code == 302
    assert _balance(fund).appropriated == Decimal("1250000.00")
    response = client.post(
        url, {"kind": "correction", "amount": "100000.00", "description": "Najaarsnota"}
    )
    assert response.status_code == 302
    balance = _balance(fund)
    assert balance.appropriated == Decimal("1150000.00")
    assert balance.available == Decimal("550000.00")
    assert balance.committed == Decimal("600000.00")
    # A correction cannot take back what is committed: only 550,000 is still available.
    response = client.post(
        url, {"kind": "correction", "amount": "550000.01", "description": "Te veel"}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "insufficient")
    assert _balance(fund).available == Decimal("550000.00")
    kinds = list(fund.transactions.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["appropriation", "commitment", "appropriation", "correction"]
    for record in fund.transactions.all():
        assert sum(record.entries.values_list("amount", flat=True)) == 0


@pytest.mark.parametrize("role", [Role.PROCUREMENT_OFFICER, Role.APPLICANT, Role.ASSESSOR])
def test_others_may_not_manage_funds(verified_client, staff, role):
    fund = _fund(staff)
    client = verified_client(person_with_role(role))
    assert client.get(reverse("funding:funds")).status_code == 403
    url = reverse("funding:appropriate", args=[fund.code])
    assert (
        client.post(url, {"kind": "appropriation", "amount": "1", "description": "x"}).status_code
        == 403
    )
    assert client.get(reverse("funding:budget_years", args=[fund.code])).status_code == 403
    assert _balance(fund).appropriated == Decimal("1000000.00")


def test_services_refuse_others_and_phase_funds(staff):
    officer = officer_of()
    with pytest.raises(NotAllowed):
        fund_create(
            actor=officer,
            code="x",
            name="x",
            owner=_ministry(staff),
            period_start=date(2022, 1, 1),
            period_end=date(2022, 12, 31),
            amount="1",
        )
    fund = _fund(staff)
    with pytest.raises(NotAllowed):
        appropriation_book(fund=fund, actor=officer, amount="1", description="x")
    own = Fund.objects.create(
        code="own",
        name="own",
        kind=Fund.Kind.AUTHORITY,
        owner=officer.memberships.get().organisation,
        period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31),
    )
    with pytest.raises(DomainError):
        appropriation_book(fund=own, actor=staff, amount="1", description="x")
    with pytest.raises(DomainError) as error:
        appropriation_book(fund=fund, actor=staff, amount="1", description=" ")
    assert error.value.code == "why"


# --- API -----------------------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def test_api_creates_a_fund_and_books_on_it(staff):
    client = _api(staff)
    response = client.post(
        "/api/v1/funds/",
        {
            "code": "ezk-2024",
            "name": "EZK 2024",
            "owner": _ministry(staff).pk,
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "amount": "2000000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["available"] == "2000000.00"
    url = "/api/v1/funds/ezk-2024/appropriations/"
    response = client.post(
        url, {"kind": "correction", "amount": "500000.00", "description": "Korting"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "correction"
    response = client.post(
        url, {"kind": "correction", "amount": "1500000.01", "description": "Te veel"}, format="json"
    )
    assert response.status_code == 400
    assert "insufficient" in str(response.json())
    response = client.post(url, {"kind": "gift", "amount": "1", "description": "x"}, format="json")
    assert response.status_code == 400
    response = client.post(
        "/api/v1/funds/",
        {
            "code": "ezk-2024",
            "name": "x",
            "owner": _ministry(staff).pk,
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "amount": "1",
        },
        format="json",
    )
    assert response.status_code == 400
    assert _balance(Fund.objects.get(code="ezk-2024")).available == Decimal("1500000.00")


def test_api_refuses_officers_and_unknown_funds(staff):
    _fund(staff)
    officer = _api(officer_of())
    assert officer.post("/api/v1/funds/", {}, format="json").status_code == 403
    body = {"kind": "appropriation", "amount": "1", "description": "x"}
    assert (
        officer.post("/api/v1/funds/ezk-2022/appropriations/", body, format="json").status_code
        == 403
    )
    assert (
        _api(staff).post("/api/v1/funds/nope/appropriations/", body, format="json").status_code
        == 404
    )


# --- Budget years --------------------------------------------------------------------------------


def test_budget_years_warn_when_money_stays_committed_after_the_period(
    verified_client, staff, time_machine
):
    time_machine.move_to("2022-03-01 12:00")
    fund = _fund(staff)
    committed = _commit(fund, staff, "400000.00")
    time_machine.move_to("2022-11-01 12:00")
    commitment_pay(account=committed, amount="100000.00", actor=staff, description="Mijlpaal 1")
    time_machine.move_to("2023-02-01 12:00")
    commitment_pay(account=committed, amount="50000.00", actor=staff, description="Mijlpaal 2")
    view = budget_years(fund, today=date(2023, 6, 1))
    rows = {row.year: row for row in view.years}
    assert rows[2022].committed == Decimal("400000.00")
    assert rows[2022].paid == Decimal("100000.00")
    assert rows[2022].committed_at_end == Decimal("300000.00")
    assert rows[2023].committed == Decimal("0.00")
    assert rows[2023].paid == Decimal("50000.00")
    assert rows[2023].committed_at_end == Decimal("250000.00")
    assert rows[2023].after_period
    assert view.warning
    page = verified_client(staff).get(reverse("funding:budget_years", args=[fund.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="still-committed-warning"' in html
    assert "250.000,00" in html
    assert not budget_years(fund, today=date(2022, 6, 1)).warning
