"""A visitor finds a call, reads it and switches to English, in real Chromium."""

import re

import pytest

from calls.models import Call
from tests.calls.factories import published_call

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def calls():
    return {
        "sbir": published_call(
            title="Slimme dijken",
            title_en="Smart dykes",
            challenge="Wij zoeken sensoren die de sterkte van dijken meten.",
            challenge_en="We are looking for sensors that measure the strength of dykes.",
        ),
        "partnership": published_call(
            instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
            title="Zorgrobots",
            challenge="Robots die helpen in de ouderenzorg.",
        ),
    }


def test_visitor_filters_opens_a_call_and_reads_it_in_english(page, calls):
    page.goto("/calls/")
    cards = page.locator("[data-testid=call-card]")
    assert cards.count() == 2
    assert axe_violations(page) == []

    page.locator("select[name=instrument]").select_option("sbir")
    page.get_by_test_id("filter-submit").click()

    page.wait_for_url(re.compile(r"instrument=sbir"))
    assert cards.count() == 1
    assert page.get_by_role("link", name="Zorgrobots").count() == 0
    # The form keeps the chosen filter.
    assert page.locator("select[name=instrument]").input_value() == "sbir"

    page.get_by_role("link", name="Slimme dijken").click()

    page.wait_for_url(f"**{calls['sbir'].get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "Slimme dijken"
    assert "sensoren" in page.get_by_test_id("challenge").inner_text()
    assert page.get_by_test_id("phases").is_visible()
    assert re.search(r"\b(CET|CEST)\b", page.get_by_test_id("deadline").inner_text())
    assert axe_violations(page) == []

    page.get_by_role("button", name="English").click()

    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("heading", level=1).inner_text() == "Smart dykes"
    assert "sensors" in page.get_by_test_id("challenge").inner_text()
    assert axe_violations(page) == []


def test_list_with_bad_filters_shows_an_accessible_error_summary(page, calls):
    page.goto("/calls/?instrument=spaceship&deadline_after=notadate")

    assert page.get_by_test_id("filter-errors").is_visible()
    assert page.locator("[data-testid=call-card]").count() == 2
    assert axe_violations(page) == []


def test_a_call_in_dutch_without_english_text_passes_axe_in_english(page, live_server, calls):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(calls["partnership"].get_absolute_url())

    assert page.get_by_role("heading", level=1).inner_text() == "Zorgrobots"
    assert page.get_by_role("heading", level=1).get_attribute("lang") == "nl"
    assert axe_violations(page) == []
