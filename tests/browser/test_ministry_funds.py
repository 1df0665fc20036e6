"""The pages of issue 17 in a real browser, checked by axe-core: funds, booking on a fund,
budget years, co-financing rounds, mandates and follow-up purchases (also with errors)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from funding.services.cofinancing import cofinancing_apply
from funding.services.rounds import round_create, round_open
from portal.models import Role
from tests.calls.factories import draft_call, mission
from tests.factories import MinistryFactory, person_with_role
from tests.funding.factories import co_financed, ezk_fund
from tests.reporting.scenario import ministry_staff

from .conftest import axe_violations
from .test_scoring import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_funds_rounds_and_budget_years_are_accessible(page):
    staff = ministry_staff()
    fund = ezk_fund(staff, period_end=date(2027, 12, 31))
    now = timezone.now()
    funding_round = round_open(
        funding_round=round_create(
            actor=staff,
            fund=fund,
            name="Ronde open",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=10),
            max_share=Decimal("0.5"),
            max_amount=Decimal("500000.00"),
            instruments=[Call.Instrument.SBIR],
        ),
        actor=staff,
    )
    call = draft_call()
    call.missions.set([mission("energy")])
    cofinancing_apply(
        funding_round=funding_round,
        call=call,
        actor=call.officer,
        trajectory_cost="600000.00",
        requested="300000.00",
        motivation="Energie.",
        plan="Publicatie in het najaar.",
    )

    log_in(page, staff, reverse("funding:funds"))
    assert page.get_by_test_id(f"fund-{fund.code}").is_visible()
    assert axe_violations(page) == []
    page.locator("form.utrecht-form button[type=submit]").last.click()  # empty: errors
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert axe_violations(page) == []

    page.goto(reverse("funding:appropriate", args=[fund.code]))
    assert axe_violations(page) == []
    page.goto(reverse("funding:budget_years", args=[fund.code]))
    assert page.get_by_test_id("budget-years").is_visible()
    assert axe_violations(page) == []

    page.goto(reverse("cofinancing:rounds"))
    assert page.get_by_test_id(f"round-{funding_round.pk}").is_visible()
    assert axe_violations(page) == []
    page.goto(reverse("dashboard"))
    assert "Ronde open" in page.content()


def test_mandates_and_follow_up_purchases_are_accessible(page):
    staff = ministry_staff()
    fund = ezk_fund(staff, period_end=date(2027, 12, 31))
    call = co_financed(fund, staff, title="Slimme dijken", requested="300000.00", funnel=(3, 2, 1))
    person_with_role(Role.PROCUREMENT_OFFICER, organisation=MinistryFactory(name="RVO"))

    log_in(page, call.officer, reverse("calls:mandates"))
    assert axe_violations(page) == []
    page.goto(reverse("funding:follow_up", args=[call.pk]))
    assert page.get_by_test_id("purchases").is_visible()
    assert axe_violations(page) == []
    page.locator("form.utrecht-form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert axe_violations(page) == []


def test_typed_choices_with_suggestions_are_accessible(page):
    """Text fields with the server's suggestions instead of selects of thousands: the report's
    highlighted trajectories, the mandated organisation, and the public calls' authority."""
    staff = ministry_staff()
    fund = ezk_fund(staff, period_end=date(2027, 12, 31))
    call = co_financed(fund, staff, title="Slimme dijken", requested="300000.00")

    log_in(page, staff, reverse("reporting:reports"))
    assert page.locator("input[name=highlighted]").count() == 5
    assert axe_violations(page) == []
    page.locator("input[name=highlighted]").first.fill("Onbekend traject")
    page.locator("form.utrecht-form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert axe_violations(page) == []

    page.goto(reverse("calls:list") + "?authority=Nergens")
    assert axe_violations(page) == []

    page.context.clear_cookies()
    log_in(page, call.officer, reverse("calls:mandates"))
    page.locator("#id_agent").fill("Onbekende dienst")
    page.locator("form.utrecht-form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert axe_violations(page) == []
