"""Open data with its history: every change to a call that OCDS covers is a stored release;
records compile them; yearly bulk files; all validated against OCDS 1.1.5.
"""

import gzip
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from calls.services.lifecycle import call_amend, call_publish
from reporting.models import OcdsRelease
from reporting.ocds.validation import validate_package, validate_record_package
from tests.calls.factories import draft_call, officer_of

pytestmark = pytest.mark.django_db

HISTORY = "/open-data/history/releases.json"
RECORDS = "/open-data/history/records.json"


def record_url(ocid: str) -> str:
    return f"/open-data/history/records/{ocid}.json"


def served(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def package_from(response) -> dict:
    assert response.status_code == 200, served(response)[:300]
    return json.loads(served(response))


@pytest.fixture
def amended_twice(django_capture_on_commit_callbacks):
    """A call published, then amended twice, each step committed (its outbox task run)."""
    officer = officer_of()
    with django_capture_on_commit_callbacks(execute=True):
        call = call_publish(call=draft_call(officer=officer), actor=officer)
    first = call.deadline + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        call_amend(call=call, actor=officer, reason="Meer tijd", changes={"deadline": first})
    call.refresh_from_db()
    second = first + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        call_amend(
            call=call,
            actor=officer,
            reason="Nog meer tijd en een scherpere vraag",
            changes={"deadline": second, "challenge": "Een scherpere vraag."},
        )
    call.refresh_from_db()
    return call


def test_a_call_amended_twice_has_three_releases_in_its_record(client, amended_twice):
    call = amended_twice
    ocid = OcdsRelease.objects.filter(call=call).values_list("ocid", flat=True).first()
    assert ocid.endswith("-phase-1")
    package = package_from(client.get(record_url(ocid)))
    assert validate_record_package(package) == []
    (record,) = package["records"]
    assert [item["tag"] for item in record["releases"]] == [
        ["tender"],
        ["tenderAmendment"],
        ["tenderAmendment"],
    ]
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["tender"]["description"] == "Een scherpere vraag."
    assert [a["rationale"] for a in compiled["tender"]["amendments"]] == [
        "Meer tijd",
        "Nog meer tijd en een scherpere vraag",
    ]
    versioned = record["versionedRelease"]
    end_dates = versioned["tender"]["tenderPeriod"]["endDate"]
    assert len(end_dates) == 3
    assert compiled["tender"]["tenderPeriod"]["endDate"] == end_dates[-1]["value"]
    assert [v["releaseTag"] for v in end_dates] == [["tender"], ["tenderAmendment"]] * 1 + [
        ["tenderAmendment"]
    ]


def test_smoke_history_and_records_validate(client, amended_twice):
    package = package_from(client.get(HISTORY))
    assert validate_package(package) == []
    assert package_from(client.get(RECORDS))["records"]
    assert validate_record_package(package_from(client.get(RECORDS))) == []
