"""Phases and criteria in English: entered by the officer, shown on English pages and in the
API, with the Dutch text (marked lang="nl") where no English text was given."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from calls.models import Call, Criterion, Phase
from tests.conftest import login_verified

from .factories import draft_call, published_call
from .test_officer_pages import formset_data, page_formsets

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_a_new_call_names_its_standard_phases_and_criteria_in_both_languages():
    call = draft_call()
    phase = call.phases.get(order=1)
    criterion = phase.criteria.get(order=1)
    assert phase.name_en == "Phase 1: feasibility study"
    assert criterion.name_en == "Impact"
    assert criterion.description_en.startswith("Contribution to solving")
    assert phase.name != phase.name_en  # the Dutch name is in Dutch


def test_the_officer_enters_english_names_on_the_criteria_and_phases_pages():
    call = draft_call()
    phase = call.phases.get(order=1)
    client = login_verified(Client(), call.officer)
    address = reverse("calls:officer_criteria", args=[call.pk, phase.pk])
    criteria, documents = page_formsets(client, address)
    data = {**formset_data(criteria), **formset_data(documents)}
    data.update({"criteria-0-name_en": "Social impact", "criteria-0-description_en": "Why."})
    assert client.post(address, data).status_code == 302
    criterion = phase.criteria.get(order=1)
    assert (criterion.name_en, criterion.description_en) == ("Social impact", "Why.")

    address = reverse("calls:officer_phases", args=[call.pk])
    (phases,) = page_formsets(client, address)
    data = formset_data(phases)
    data["phases-0-name_en"] = "Feasibility"
    assert client.post(address, data).status_code == 302
    assert call.phases.get(order=1).name_en == "Feasibility"


def test_english_pages_show_the_english_names_and_fall_back_to_dutch():
    call = published_call()
    first, second = call.phases.order_by("order")
    Phase.objects.filter(pk=first.pk).update(name_en="Feasibility study (EN)")
    Phase.objects.filter(pk=second.pk).update(name_en="")
    criterion = first.criteria.get(order=1)
    Criterion.objects.filter(pk=criterion.pk).update(
        name_en="Impact (EN)", description_en="What it solves (EN)"
    )
    Criterion.objects.filter(phase=second).update(name_en="", description_en="")

    html = english(Client()).get(call.get_absolute_url()).content.decode()
    assert "Feasibility study (EN)" in html
    assert "Impact (EN)" in html
    assert "What it solves (EN)" in html
    assert f'lang="nl" data-testid="phase-name">{escape(second.name)}<' in html
    dutch_criterion = second.criteria.get(order=1).name
    assert f'lang="nl" data-testid="criterion-name">{escape(dutch_criterion)}<' in html

    dutch = Client().get(call.get_absolute_url()).content.decode()
    assert "Feasibility study (EN)" not in dutch
    assert "Impact (EN)" not in dutch
    assert escape(first.name) in dutch


def test_the_api_gives_both_names():
    call = published_call()
    Criterion.objects.filter(phase__call=call).update(name_en="Impact (EN)")
    data = APIClient().get(reverse("api-call-detail", args=[call.pk])).json()
    phase = data["phases"][0]
    assert phase["name_en"] == call.phases.get(order=1).name_en
    assert {c["name_en"] for c in phase["criteria"]} == {"Impact (EN)"}
    assert "description_en" in phase["criteria"][0]
    assert Call.objects.count() == 1
