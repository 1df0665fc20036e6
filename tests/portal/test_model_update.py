"""model_update: the helper behind every edit service (sets, validates, saves only changes)."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calls.models import Call
from portal.services.updates import model_update
from tests.calls.factories import draft_call, mission

pytestmark = pytest.mark.django_db


def test_only_allowed_fields_that_changed_are_set_saved_and_named():
    call = draft_call()
    call.contact_name = "In memory only"  # not the helper's to save

    changed = model_update(
        call,
        data={"title": "Circulaire bruggen", "total_budget": call.total_budget, "status": "x"},
        fields=["title", "total_budget"],
    )

    assert changed == ["title"]
    call.refresh_from_db()
    assert call.title == "Circulaire bruggen"
    assert call.contact_name == "Sanne de Vries"
    assert call.status == Call.Status.DRAFT  # outside the allowed fields: ignored


def test_nothing_changed_writes_nothing():
    call = draft_call()

    with CaptureQueriesContext(connection) as queries:
        changed = model_update(call, data={"title": call.title}, fields=["title"])

    assert changed == []
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_many_to_many_fields_are_set_after_the_row():
    call = draft_call(missions=[mission("energy")])

    changed = model_update(call, data={"missions": [mission("health-care")]}, fields=["missions"])
    again = model_update(call, data={"missions": [mission("health-care")]}, fields=["missions"])

    assert changed == ["missions"]
    assert again == []
    assert list(call.missions.values_list("code", flat=True)) == ["health-care"]


def test_an_invalid_value_is_refused_before_anything_is_written():
    call = draft_call()

    with pytest.raises(ValidationError) as refused:
        model_update(
            call,
            data={"title": "x" * 1000, "total_budget": Decimal("1.00")},
            fields=["title", "total_budget"],
        )

    assert "title" in refused.value.message_dict
    call.refresh_from_db()
    assert call.total_budget == Decimal("3000000.00")


def test_the_change_is_in_the_audit_trail_with_old_and_new_values():
    call = draft_call()

    model_update(call, data={"title": "Circulaire bruggen"}, fields=["title"])

    entry = LogEntry.objects.get_for_object(call).latest("timestamp")
    assert entry.changes_dict["title"] == ["Circulaire viaducten", "Circulaire bruggen"]
