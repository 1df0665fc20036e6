"""The public call page's results: the number of proposals received after the deadline, the
companies awarded (amount, date) only once the decisions are final, and the open data link."""

from datetime import timedelta

import pytest
import time_machine

from proposals.selectors.results import call_results
from proposals.services.decisions import decisions_finalise_due
from tests.calls.factories import published_call

from .factories import submitted_proposals
from .letters import decided_phase

pytestmark = pytest.mark.django_db


def page(client, call, *, after_deadline: bool = True) -> str:
    moment = call.deadline + timedelta(hours=1 if after_deadline else -1)
    with time_machine.travel(moment):
        response = client.get(call.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_before_the_deadline_nothing_is_said_about_proposals(client):
    call = published_call()
    submitted_proposals(call, 2)
    content = page(client, call, after_deadline=False)
    assert 'data-testid="results"' not in content


def test_during_the_standstill_only_the_number_received(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
    content = page(client, world.call)
    assert 'data-testid="results"' in content
    assert "3 voorstellen ontvangen" in content or "3 proposals received" in content
    assert 'data-testid="awards-1"' not in content
    assert world.winner.company.name not in content
    assert 'data-testid="standstill"' in content


def test_after_the_standstill_the_awarded_companies_with_amount_and_date(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
        decision = world.winner.decisions.get()
        decisions_finalise_due(today=decision.standstill_ends_on + timedelta(days=1))
    content = page(client, world.call)
    awards = content.split('data-testid="awards-1"')[1].split("</table>")[0]
    assert world.winner.company.name in awards
    assert "20.000" in awards
    assert world.runner_up.company.name not in content
    assert world.not_eligible.company.name not in content
    assert 'data-testid="results-open-data"' in content
    assert f"/open-data/calls/{world.call.pk}/releases.json" in content


def test_the_results_cost_two_queries_whatever_the_number_of_phases_and_awards(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
        decision = world.winner.decisions.get()
        decisions_finalise_due(today=decision.standstill_ends_on + timedelta(days=1))
    phases = list(world.call.phases.all())
    with (
        time_machine.travel(world.call.deadline + timedelta(hours=1)),
        django_assert_num_queries(2),
    ):
        results = call_results(world.call, phases)
    assert results[0].received == 3
    assert [award.company for award in results[0].awards] == [world.winner.company.name]


def test_a_prize_taken_back_on_objection_is_no_longer_a_result(client, django_assert_num_queries):
    from proposals.services.objections import objection_uphold

    from .test_prizes import _letters, _objection_to, ranked_entries

    world = ranked_entries()
    letters = _letters(world)
    first, second, third, _fourth = world.entries
    assert third.company.name in client.get(world.call.get_absolute_url()).content.decode()
    objection = _objection_to(world, letters, third)

    objection_uphold(objection=objection, actor=world.officer, answer="Toch niet van niveau.")

    content = client.get(world.call.get_absolute_url()).content.decode()
    assert third.company.name not in content
    for entry, rank in ((first, 1), (second, 2)):
        start = content.index(f'data-testid="prize-result-{rank}"')
        assert entry.company.name in content[start : content.index("</tr>", start)]
    phases = list(world.call.phases.all())
    with django_assert_num_queries(4):  # received, awards; a contest's ranks and prizes
        (result,) = call_results(world.call, phases)
    assert [award.company for award in result.awards] == [
        entry.company.name for entry in sorted((first, second), key=lambda e: e.company.name)
    ]
