"""An amendment reads in the language of whoever reads it, not of whoever made it: the old and
new values are stored as values (a moment in ISO 8601) and rendered per page, with the zone and
a capitalised label; a long text shows its old and new version as separate blocks, on the
public page, the officer's history and the officer's confirmation page. Amendments stored
before as rendered text are read back by migration 0019 where they can be."""

from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone, translation
from django.utils.formats import date_format

from calls.models import Amendment
from calls.services.lifecycle import call_amend

from .factories import published_call
from .test_officer_pages import form_data, local, officer_client, url

pytestmark = pytest.mark.django_db

# A winter day: the deadlines fall in December and January (CET), whose names differ in Dutch
# and English ("januari" and "January").
TODAY = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def moment_in(language: str, value: datetime) -> str:
    local_time = timezone.localtime(value)
    with translation.override(language):
        return f"{date_format(local_time, 'DATETIME_FORMAT')} {local_time.tzname()}"


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_an_amendment_reads_in_the_language_of_the_page_whoever_made_it(client):
    call = published_call()
    old_deadline, old_questions = call.deadline, call.questions_deadline
    new_deadline = old_deadline + timedelta(days=7)
    new_questions = old_questions + timedelta(days=2)
    with translation.override("en"):  # an officer on the English pages
        call_amend(
            call=call, actor=call.officer, reason="More time.", changes={"deadline": new_deadline}
        )
    with translation.override("nl"):
        call_amend(
            call=call,
            actor=call.officer,
            reason="Meer tijd voor vragen.",
            changes={"questions_deadline": new_questions},
        )

    # Stored as values, not as text in someone's language.
    first, second = Amendment.objects.filter(call=call).order_by("number")
    assert first.changes["deadline"] == [
        timezone.localtime(old_deadline).isoformat(),
        timezone.localtime(new_deadline).isoformat(),
    ]
    assert second.changes["questions_deadline"][1] == timezone.localtime(new_questions).isoformat()

    dutch = client.get(call.get_absolute_url()).text
    in_english = english(client).get(call.get_absolute_url()).text
    for language, page in (("nl", dutch), ("en", in_english)):
        for old, new in ((old_deadline, new_deadline), (old_questions, new_questions)):
            assert moment_in(language, old) in page, language
            assert moment_in(language, new) in page, language
    assert moment_in("en", new_deadline) not in dutch
    assert moment_in("nl", new_questions) not in in_english
    assert "CET" in moment_in("nl", new_deadline)
    # The labels are capitalised as everywhere else.
    assert f"Deadline voor vragen: was “{moment_in('nl', old_questions)}”" in dutch
    assert f"Deadline for questions: was “{moment_in('en', old_questions)}”" in in_english
    assert "deadline voor vragen:" not in dutch

    # The officer's history of the amendments says the same, in the officer's language.
    history = officer_client(call.officer, english=True).get(url("officer_amend", call)).text
    assert moment_in("en", new_deadline) in history
    assert moment_in("en", new_questions) in history
    assert moment_in("nl", new_questions) not in history


def test_a_long_text_shows_its_old_and_new_version_as_separate_blocks(client):
    call = published_call(challenge="Viaducten die opnieuw gebruikt worden.")
    call_amend(
        call=call,
        actor=call.officer,
        reason="Scherper geformuleerd.",
        changes={"challenge": "Viaducten die na hun eerste leven opnieuw gebruikt worden."},
    )

    for page in (
        client.get(call.get_absolute_url()).text,
        officer_client(call.officer).get(url("officer_amend", call)).text,
    ):
        block = page.split('data-testid="amendment-change-long"', 1)[1].split("</li>", 1)[0]
        assert "<dt>Was</dt><dd><p>Viaducten die opnieuw gebruikt worden.</p></dd>" in " ".join(
            block.split()
        ).replace("> <", "><")
        assert "<dt>Nu</dt><dd><p>Viaducten die na hun eerste leven" in " ".join(
            block.split()
        ).replace("> <", "><")
        assert "was “Viaducten" not in page


def test_the_confirmation_shows_times_with_their_zone_and_a_long_text_as_two_blocks():
    call = published_call(challenge="Viaducten die opnieuw gebruikt worden.")
    client = officer_client(call.officer)
    data = form_data(client.get(url("officer_amend", call)).context["form"])
    new_deadline = call.deadline.replace(second=0, microsecond=0) + timedelta(days=7)
    data.update(
        reason="Meer tijd.",
        deadline=local(new_deadline),
        challenge="Viaducten die na hun eerste leven opnieuw gebruikt worden.",
    )

    asked = client.post(url("officer_amend", call), data)

    assert asked.status_code == 200
    page = " ".join(asked.text.split()).replace("> <", "><")
    old = call.deadline.replace(second=0, microsecond=0)
    assert f"{moment_in('nl', old)}, wordt {moment_in('nl', new_deadline)}" in page
    assert moment_in("nl", new_deadline).endswith(" CET")
    replacement = page.split('data-testid="confirm-replacement"', 1)[1]
    assert replacement.startswith(
        '><dl class="portal-amendment-change"><dt>Nu</dt><dd lang="nl"><p>Viaducten die opnieuw'
        ' gebruikt worden.</p></dd><dt>Wordt</dt><dd lang="nl"><p>Viaducten die na hun eerste'
    )
    assert "worden., wordt" not in page
    assert not Amendment.objects.exists()


def test_amendments_stored_as_rendered_text_are_read_back_as_values(client):
    """Migration 0019: a moment rendered in either language becomes ISO 8601 again (the
    deadline from the exact moments kept beside it); text it cannot read stays as it was."""
    call = published_call()
    old, new = call.deadline, call.deadline + timedelta(days=7)
    old_questions = call.questions_deadline
    legacy = Amendment.objects.create(
        call=call,
        number=1,
        reason="Oud.",
        changes={
            "deadline": [moment_in("en", old), moment_in("en", new)],
            "questions_deadline": [moment_in("nl", old_questions), "kort na de infosessie"],
            "contact_name": ["Sanne de Vries", "Piet Jansen"],
        },
        previous_deadline=old,
        new_deadline=new,
        created_by=call.officer,
    )

    migration = import_module("calls.migrations.0019_amendment_changes_as_values")
    migration.rendered_to_values(apps, None)

    legacy.refresh_from_db()
    assert legacy.changes == {
        "deadline": [timezone.localtime(old).isoformat(), timezone.localtime(new).isoformat()],
        "questions_deadline": [
            timezone.localtime(old_questions).replace(second=0, microsecond=0).isoformat(),
            "kort na de infosessie",
        ],
        "contact_name": ["Sanne de Vries", "Piet Jansen"],
    }
    dutch = client.get(call.get_absolute_url()).text
    assert f"Deadline: was “{moment_in('nl', old)}”, nu “{moment_in('nl', new)}”" in dutch
    assert "nu “kort na de infosessie”" in dutch
    assert moment_in("en", new) not in dutch
    # A rendered moment of either language, with or without its zone.
    assert migration.read_rendered("6 januari 2027 17:00 CET") == "2027-01-06T17:00:00+01:00"
    assert migration.read_rendered("27 July 2027 09:30") == "2027-07-27T09:30:00+02:00"
    assert migration.read_rendered("27 July 2027 09:30 CET") is None  # no such moment
    assert migration.read_rendered("31 februari 2027 17:00 CET") is None

    # A moment set for the first time was stored as "None" before: nothing, shown as "–".
    first = Amendment.objects.create(
        call=call,
        number=2,
        reason="Nieuw.",
        changes={"questions_deadline": ["None", moment_in("nl", old_questions)]},
        created_by=call.officer,
    )
    migration.rendered_to_values(apps, None)
    first.refresh_from_db()
    assert first.changes["questions_deadline"][0] == ""
    assert "None" not in client.get(call.get_absolute_url()).text
