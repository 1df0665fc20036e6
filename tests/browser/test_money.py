"""The officer's money page of a call, the page that ends a contract and the ministry's budget
dashboard, in a real browser, checked by axe-core."""

from datetime import date

import pytest
from django.urls import reverse

from tests.calls.factories import published_call
from tests.funding.factories import co_financed, ezk_fund
from tests.funding.test_call_money import contracts
from tests.reporting.scenario import ministry_staff

from .conftest import axe_violations
from .test_scoring import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_money_page_and_ending_a_contract_are_accessible(page):
    call = published_call()
    first, _second = contracts(call, 2)
    money = reverse("funding:call_money", kwargs={"call_pk": call.pk})

    log_in(page, call.officer, money)
    assert page.get_by_test_id("phases").is_visible()
    assert page.get_by_test_id(f"contract-{first.pk}").is_visible()
    assert axe_violations(page) == []

    end = reverse("proposals:officer_contract_end", kwargs={"contract_pk": first.pk})
    page.goto(end)
    assert page.get_by_test_id("end-form").is_visible()
    assert axe_violations(page) == []
    page.locator("[data-testid=end-form] input[value=terminate]").check()
    page.locator("[data-testid=end-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#end-reason[aria-invalid=true]").count() == 1
    assert axe_violations(page) == []


def test_the_ministry_dashboard_with_its_trajectories_is_accessible_and_drills_down(page):
    staff = ministry_staff()
    fund = ezk_fund(staff, period_end=date(2027, 12, 31))
    call = co_financed(fund, staff, title="Slimme dijken", requested="300000.00", funnel=(3, 2, 1))
    co_financed(fund, staff, title="Stille bruggen", requested="200000.00")

    log_in(page, staff, reverse("funding:dashboard"))
    group = page.get_by_test_id(f"trajectories-{fund.code}")
    assert group.get_by_role("img", name="Van voorstel tot gunning").is_visible()
    row = page.get_by_test_id(f"trajectory-{call.pk}")
    assert row.get_by_test_id("responses").inner_text() == "3"
    assert axe_violations(page) == []

    row.get_by_role("link", name=f"Boekingen van {call.reference}").click()
    page.wait_for_url(f"**?call={call.pk}")
    rows = page.get_by_test_id("transactions").locator("tbody tr")
    assert rows.count() == 1
    assert "Slimme dijken" in rows.first.inner_text()
    assert axe_violations(page) == []
