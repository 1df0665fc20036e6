"""Dates read one way per language: Dutch "6 december 2026", English "6 December 2026"
(portal/formats), on pages, in letters and messages; machine formats stay ISO 8601."""

import re
from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.calls.factories import published_call

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 6)
MOMENT = timezone.make_aware(datetime(2026, 12, 6, 14, 30))


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("nl", "6 december 2026", "6 december 2026 14:30"),
        ("en", "6 December 2026", "6 December 2026 14:30"),
    ],
)
def test_one_format_per_language_for_templates_and_python(language, day, moment):
    template = Template(
        '{% load portal %}{{ day|date }}|{{ day|date:"DATE_FORMAT" }}|{{ day }}|'
        '{{ moment|date:"DATETIME_FORMAT" }}|{{ moment|moment }}|{{ day|date:"c" }}'
    )
    with translation.override(language):
        text = template.render(Context({"day": DAY, "moment": MOMENT}))
        assert date_format(DAY) == day
        assert date_format(MOMENT, "DATETIME_FORMAT") == moment
    plain, named, localized, stamp, with_zone, iso = text.split("|")
    assert plain == named == localized == day
    assert stamp == moment
    assert with_zone == f"{moment} CET"
    assert iso == "2026-12-06"  # machine formats stay ISO


def test_the_english_call_page_writes_dates_as_day_month_year(client):
    call = published_call()
    client.cookies["django_language"] = "en"
    content = client.get(call.get_absolute_url()).content.decode()
    deadline = timezone.localtime(call.deadline)
    assert f"{deadline.day} {deadline:%B} {deadline.year} {deadline:%H:%M}" in content
    # Not Django's American "Dec. 6, 2026" nor "2:30 p.m.".
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\. \d", content)
    assert not re.search(r"\d (a|p)\.m\.", content)
    assert f'datetime="{deadline.isoformat()}"' in content
