"""The home page's open calls: what a company can respond to right now, soonest closing first."""

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from calls.models import Call
from calls.services.lifecycle import call_cancel, call_close

from .factories import draft_call, published_call

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)
HOME = reverse("home")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def open_call_ids(response) -> list[int]:
    """The open calls on the home page, in the order shown."""
    section = re.search(
        r'data-testid="open-calls".*?</section>', response.content.decode(), re.DOTALL
    )
    assert section, "the home page has no open calls section"
    return [int(pk) for pk in re.findall(r'data-call="(\d+)"', section.group(0))]


def closing_in(days: int, hours: int = 0, **fields) -> Call:
    deadline = NOW + timedelta(days=days, hours=hours)
    return published_call(deadline=deadline, questions_deadline=deadline, **fields)


def test_only_calls_open_for_proposals_now_are_shown(client, frozen):
    shown = closing_in(40, title="Slimme sluizen")
    draft = draft_call(title="Nog een concept")
    cancelled = closing_in(40)
    call_cancel(call=cancelled, actor=cancelled.officer, reason="Geen budget meer.")
    not_yet_published = closing_in(40)
    Call.objects.filter(pk=not_yet_published.pk).update(publication_date=NOW + timedelta(days=30))
    closed = closing_in(3)
    deadline_passed = closing_in(3)  # the scheduler has not closed it yet
    frozen.move_to(NOW + timedelta(days=4))
    call_close(call=closed, actor=closed.officer)

    response = client.get(HOME)

    assert open_call_ids(response) == [shown.pk]
    html = response.content.decode()
    assert f'href="{shown.get_absolute_url()}"' in html
    for hidden in (draft, cancelled, not_yet_published, closed, deadline_passed):
        assert f'href="{hidden.get_absolute_url()}"' not in html


def test_at_most_six_calls_the_soonest_to_close_first(client):
    calls = [closing_in(days) for days in (50, 3, 20, 8, 35, 1, 13, 5)]

    response = client.get(HOME)

    soonest = sorted(calls, key=lambda call: call.deadline)[:6]
    assert open_call_ids(response) == [call.pk for call in soonest]
    assert f'href="{reverse("calls:list")}"' in response.content.decode()


def test_no_open_call_says_so_and_still_links_to_all_calls(client):
    draft_call()

    html = client.get(HOME).content.decode()

    assert 'data-testid="open-call"' not in html
    with translation.override("nl"):
        empty = translation.gettext(
            "No call is open for proposals at the moment. "
            "New calls appear here as soon as they are published."
        )
    assert empty in html
    assert "Alle oproepen" in html
    assert f'href="{reverse("calls:list")}"' in html


def test_the_same_number_of_queries_for_2_or_10_open_calls(client, django_assert_num_queries):
    for days in range(1, 3):
        closing_in(days)
    with CaptureQueriesContext(connection) as few:
        assert len(open_call_ids(client.get(HOME))) == 2

    for days in range(3, 11):
        closing_in(days)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(open_call_ids(client.get(HOME))) == 6


def days_text(days: int, language: str) -> str:
    with translation.override(language):
        return ngettext("Closes in %(days)s day", "Closes in %(days)s days", days) % {"days": days}


def test_dutch_by_default(client):
    call = closing_in(
        44, hours=7, title="Slimme sluizen", total_budget=Decimal("1234567.89")
    )  # 15 April, 17:00 summer time

    html = client.get(HOME).content.decode()

    assert '<html lang="nl"' in html
    assert "Slimme sluizen" in html
    assert call.authority.name in html
    assert "Aanbestedende dienst" in html
    assert "Totaal budget" in html
    assert "€\u00a01.234.567,89" in html
    assert "15 april 2026 17:00 CEST" in html
    assert days_text(44, "nl") in html
    assert "Alle oproepen" in html


def test_english(client):
    call = closing_in(
        44,
        hours=7,
        title="Slimme sluizen",
        title_en="Smart locks",
        total_budget=Decimal("1234567.89"),
    )
    client.cookies["django_language"] = "en"

    html = client.get(HOME).content.decode()

    assert '<html lang="en"' in html
    assert "Open calls" in html
    assert f'href="{call.get_absolute_url()}">Smart locks</a>' in html
    assert "Contracting authority" in html
    assert "€\u00a01,234,567.89" in html
    assert "Closes in 44 days" in html
    assert "All calls" in html


def test_singular_and_today(client):
    tomorrow = closing_in(0, hours=23)  # tomorrow at 09:00: one calendar day away
    today = closing_in(0, hours=7)  # today at 17:00
    client.cookies["django_language"] = "en"

    html = client.get(HOME).content.decode()

    assert open_call_ids(client.get(HOME)) == [today.pk, tomorrow.pk]
    assert "Closes in 1 day" in html
    assert "Closes in 1 days" not in html
    assert "Closes today" in html


def test_a_partnership_is_shown_until_its_requests_to_participate_close(client, frozen):
    """After that only the invited companies tender: for anyone else it is no longer open."""
    partnership = closing_in(
        60,
        instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
        participation_deadline=NOW + timedelta(days=31),
    )
    sbir = closing_in(40)

    response = client.get(HOME)

    # Sorted by the moment that counts: the requests close before the SBIR call's deadline.
    assert open_call_ids(response) == [partnership.pk, sbir.pk]
    card = response.content.decode().split(f'data-call="{partnership.pk}"')[1].split("</li>")[0]
    assert "Deadline voor verzoeken tot deelneming" in card
    assert "Sluit over 31 dagen" in card

    frozen.move_to(NOW + timedelta(days=32))
    assert open_call_ids(client.get(HOME)) == [sbir.pk]
