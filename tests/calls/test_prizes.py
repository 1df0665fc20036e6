"""The prizes of a prize competition or hackathon as the officer sets them: ranks 1, 2, 3 …
once each, amounts more than € 0 and not rising with the rank, every prize times its number
within the phase's budget; the phase's planned awards follow from them. A hackathon may
limit its teams; no other call can."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from calls.models import Call, Prize
from calls.services.lifecycle import (
    DraftRows,
    call_publication_problems,
    call_update_draft_rows,
    prizes_problem,
)
from portal.exceptions import DomainError

from .factories import draft_call, published_call
from .test_officer_pages import formset_data, officer_client, page_formsets, url

pytestmark = pytest.mark.django_db

BUDGET = Decimal("100000.00")


def prize_page(**fields):
    call = draft_call(instrument=Call.Instrument.PRIZE_COMPETITION, total_budget=BUDGET, **fields)
    phase = call.phases.get()
    client = officer_client(call.officer, english=True)
    address = url("officer_prizes", call, phase_pk=phase.pk)
    data = formset_data(page_formsets(client, address)[0])
    return call, phase, client, address, data


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ({"prizes-1-rank": "1", "prizes-1-amount": "10000.00"}, "duplicate"),
        ({"prizes-1-rank": "3", "prizes-1-amount": "10000.00"}, "without gaps"),
        ({"prizes-1-rank": "2", "prizes-1-amount": "0.00"}, "more than € 0"),
        ({"prizes-1-rank": "2", "prizes-1-amount": "60000.00"}, "better rank"),
        (
            {"prizes-1-rank": "2", "prizes-1-amount": "20000.00", "prizes-1-count": "3"},
            "budget",
        ),
    ],
    ids=["double-rank", "gap", "zero", "rising", "count-over-budget"],
)
def test_the_prize_form_refuses_prizes_that_break_a_rule(second, message):
    _call, phase, client, address, data = prize_page()
    data.update({"prizes-0-amount": "50000.00", "prizes-1-count": "1", **second})
    refused = client.post(address, data)
    assert refused.status_code == 200
    errors = " ".join(
        str(error)
        for formset in refused.context["formsets"]
        for error in [*formset.non_form_errors(), *(e for f in formset.errors for e in f.values())]
    )
    assert message in errors
    assert list(phase.prizes.values_list("rank", flat=True)) == [1]


def test_saved_prizes_set_the_phases_number_of_awards_and_highest_amount():
    _call, phase, client, address, data = prize_page()
    data.update(
        {
            "prizes-0-amount": "40000.00",
            "prizes-1-rank": "2",
            "prizes-1-amount": "20000.00",
            "prizes-1-count": "2",
            "prizes-1-description": "Twee tweede prijzen",
        }
    )
    assert client.post(address, data).status_code == 302
    assert list(phase.prizes.values_list("rank", "amount", "count")) == [
        (1, Decimal("40000.00"), 1),
        (2, Decimal("20000.00"), 2),
    ]
    phase.refresh_from_db()
    assert phase.planned_awards == 3
    assert phase.max_per_award == Decimal("40000.00")


def test_the_service_refuses_prizes_that_break_a_rule_whatever_the_form():
    call = draft_call(instrument=Call.Instrument.HACKATHON, total_budget=BUDGET)
    phase = call.phases.get()
    with pytest.raises(DomainError) as refused:
        call_update_draft_rows(
            call=call,
            actor=call.officer,
            changes=[
                DraftRows(
                    parent=phase,
                    model=Prize,
                    fields=("rank", "amount", "count"),
                    create=[{"rank": 3, "amount": Decimal("1000.00"), "count": 1}],
                    ordered=False,
                )
            ],
        )
    assert refused.value.code == "prizes"
    assert phase.prizes.count() == 1


def test_prizes_problem_names_each_rule():
    ok = [(1, Decimal("50000"), 1), (2, Decimal("30000"), 1), (3, Decimal("20000"), 1)]
    assert prizes_problem(ok, budget=BUDGET) is None
    assert prizes_problem(ok, budget=Decimal("99999.99"))
    assert prizes_problem([(1, Decimal("1"), 1), (1, Decimal("1"), 1)], budget=BUDGET)
    assert prizes_problem([(2, Decimal("1"), 1)], budget=BUDGET)
    assert prizes_problem([(1, Decimal("0"), 1)], budget=BUDGET)


def test_a_contest_phase_has_no_planned_number_of_contracts_on_its_pages(client):
    call, _phase, officer, _address, _data = prize_page()
    page = officer.get(url("officer_phases", call))
    assert 'name="phases-0-planned_awards"' not in page.content.decode()
    assert 'name="phases-0-max_per_award"' not in page.content.decode()
    sbir = draft_call()
    page = officer_client(sbir.officer).get(url("officer_phases", sbir))
    assert 'name="phases-0-planned_awards"' in page.content.decode()
    public = published_call(instrument=Call.Instrument.PRIZE_COMPETITION)
    content = client.get(public.get_absolute_url()).content.decode()
    assert "Geplande gunningen" not in content
    assert 'data-testid="prizes"' in content


def test_the_publication_needs_valid_prizes():
    call = draft_call(instrument=Call.Instrument.PRIZE_COMPETITION, total_budget=BUDGET)
    phase = call.phases.get()
    Prize.objects.create(phase=phase, rank=3, amount=Decimal("1000.00"))
    with translation.override("en"):
        problems = call_publication_problems(call)
    assert any("without gaps" in problem for problem in problems)


def test_only_a_hackathon_limits_its_teams(client):
    hackathon = draft_call(instrument=Call.Instrument.HACKATHON)
    page = officer_client(hackathon.officer).get(url("officer_edit", hackathon))
    assert 'name="max_registrations"' in page.content.decode()
    sbir = draft_call()
    page = officer_client(sbir.officer).get(url("officer_edit", sbir))
    assert 'name="max_registrations"' not in page.content.decode()
    # A contest has no standstill period to set: its prizes are no procurement.
    assert (
        'name="standstill_days"'
        not in officer_client(hackathon.officer)
        .get(url("officer_edit", hackathon))
        .content.decode()
    )
    published = published_call(instrument=Call.Instrument.HACKATHON, max_registrations=12)
    content = client.get(published.get_absolute_url()).content.decode()
    assert 'data-testid="registration-limit"' in content


def test_the_api_gives_each_prize_its_number_and_total():
    call = published_call(instrument=Call.Instrument.PRIZE_COMPETITION)
    phase = call.phases.get()
    Prize.objects.filter(phase=phase).update(amount=Decimal("1000.00"), count=3)
    detail = APIClient().get(reverse("api-call-detail", kwargs={"pk": call.pk})).json()
    prize = detail["phases"][0]["prizes"][0]
    assert (prize["rank"], prize["amount"], prize["count"], prize["total"]) == (
        1,
        "1000.00",
        3,
        "3000.00",
    )
