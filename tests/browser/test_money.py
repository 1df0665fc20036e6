"""The officer's money page of a call and the page that ends a contract, in a real browser,
checked by axe-core."""

import pytest
from django.urls import reverse

from tests.calls.factories import published_call
from tests.funding.test_call_money import contracts

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
