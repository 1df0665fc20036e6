"""A draft is changed through services that take data: the page's form, its formsets and the
API all call call_update_draft / call_update_draft_rows, with one list of the call's fields."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from calls.api.serializers import CallDraftSerializer
from calls.forms.calls import CallEditForm, PhaseFormSet
from calls.models import Call, Criterion, Phase
from calls.services.lifecycle import (
    CALL_FIELDS,
    DraftRows,
    call_update_draft,
    call_update_draft_rows,
)
from portal.exceptions import DomainError, NotAllowed
from tests.calls.factories import draft_call, officer_of, published_call

pytestmark = pytest.mark.django_db


def test_the_form_and_the_serializer_offer_the_same_fields_of_a_call():
    assert list(CallEditForm._meta.fields) == list(CALL_FIELDS)
    assert list(CallDraftSerializer.Meta.fields) == list(CALL_FIELDS)


def test_updating_a_draft_returns_what_changed_and_audits_it_with_the_actor():
    call = draft_call()

    changed = call_update_draft(
        call=call,
        actor=call.officer,
        data={"title": "Circulaire bruggen", "contact_name": call.contact_name},
    )

    assert changed == ["title"]
    assert call.title == "Circulaire bruggen"  # the caller's object shows what was saved
    entry = LogEntry.objects.get_for_object(call).latest("timestamp")
    assert entry.actor == call.officer
    assert entry.changes_dict["title"] == ["Circulaire viaducten", "Circulaire bruggen"]


def test_a_draft_writes_only_the_calls_fields():
    call = draft_call()

    call_update_draft(
        call=call, actor=call.officer, data={"status": Call.Status.PUBLISHED, "title": "Ander"}
    )

    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT
    assert call.title == "Ander"


def test_a_published_call_or_another_authoritys_officer_is_refused():
    call = published_call()
    with pytest.raises(DomainError) as frozen:
        call_update_draft(call=call, actor=call.officer, data={"title": "Ander"})
    assert frozen.value.code == "frozen"

    draft = draft_call()
    with pytest.raises(NotAllowed):
        call_update_draft(call=draft, actor=officer_of(), data={"title": "Ander"})
    draft.refresh_from_db()
    assert draft.title == "Circulaire viaducten"


def test_rows_are_updated_created_deleted_and_renumbered():
    call = draft_call()
    first, second = call.phases.order_by("order")[:2]

    call_update_draft_rows(
        call=call,
        actor=call.officer,
        changes=[
            DraftRows(
                parent=call,
                model=Phase,
                fields=[
                    "name",
                    "kind",
                    "budget",
                    "max_per_award",
                    "planned_awards",
                    "duration_months",
                ],
                update={second.pk: {"name": "Tweede fase, nieuw"}},
                create=[
                    {
                        "name": "Nieuwe fase",
                        "kind": Phase.Kind.RD,
                        "budget": Decimal("1000.00"),
                        "max_per_award": Decimal("500.00"),
                        "planned_awards": 2,
                        "duration_months": 6,
                    }
                ],
                delete=[first.pk],
            )
        ],
    )

    phases = list(call.phases.order_by("order").values_list("order", "name"))
    assert phases[0] == (1, "Tweede fase, nieuw")
    assert phases[-1] == (len(phases), "Nieuwe fase")
    assert not Phase.objects.filter(pk=first.pk).exists()


def test_rows_of_another_calls_phase_are_refused():
    call, other = draft_call(), draft_call()
    phase = other.phases.first()

    with pytest.raises(NotAllowed):
        call_update_draft_rows(
            call=call,
            actor=call.officer,
            changes=[DraftRows(parent=phase, model=Criterion, fields=["name"], delete=[1])],
        )


def test_the_phases_formset_hands_its_changes_as_data():
    call = draft_call()
    formset = PhaseFormSet(instance=call, prefix="phases")
    data = {
        "phases-TOTAL_FORMS": str(formset.total_form_count()),
        "phases-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is not None and name != "DELETE":
                data[f"{form.prefix}-{name}"] = getattr(value, "pk", value)
    first = formset.forms[0]
    data[f"{first.prefix}-name"] = "Haalbaarheid, herzien"
    data[f"{first.prefix}-deadline"] = ""
    for form in formset.forms[1:-1]:
        data[f"{form.prefix}-deadline"] = ""

    bound = PhaseFormSet(data, instance=call, prefix="phases")

    assert bound.is_valid(), bound.errors
    rows = bound.changes()
    assert list(rows.update) == [first.instance.pk]
    assert rows.update[first.instance.pk]["name"] == "Haalbaarheid, herzien"
    assert rows.create == []
    assert rows.delete == []


def test_the_api_edits_a_draft_through_the_same_service(client):
    from tests.calls.test_api import client_for

    call = draft_call()

    response = client_for(call.officer).patch(
        reverse("api-call-detail", args=[call.pk]), {"title": "Via de API"}, format="json"
    )

    assert response.status_code == 200, response.content
    entry = LogEntry.objects.get_for_object(call).latest("timestamp")
    assert entry.changes_dict["title"] == ["Circulaire viaducten", "Via de API"]
    assert entry.actor == call.officer  # a token has no session: the service names the actor
