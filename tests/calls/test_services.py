"""The call's state machine and publication rules, through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from calls.models import Call
from calls.services.lifecycle import (
    call_cancel,
    call_close,
    call_complete,
    call_mark_awarded,
    call_publication_problems,
    call_publish,
    call_start_assessment,
    calls_close_expired,
)
from calls.tasks import close_expired_calls
from portal.exceptions import DomainError, IllegalTransition, NotAllowed
from portal.models import Role
from tests.factories import person_with_role

from .factories import draft_call, officer_of, published_call

pytestmark = pytest.mark.django_db


def test_sbir_draft_starts_with_rvo_criteria_weighting_economics_more_in_phase_two():
    call = draft_call(complete=False)
    feasibility, prototype = call.phases.all()
    assert len(feasibility.criteria.all()) == 3
    economic = {p.kind: p.criteria.get(order=3).weight for p in (feasibility, prototype)}
    assert economic["prototype"] > economic["feasibility"]
    assert sum(c.weight for c in feasibility.criteria.all()) == 100
    assert feasibility.required_documents.count() == 2
    assert prototype.required_documents.count() == 2


def test_legal_lifecycle_from_draft_to_completed():
    call = published_call()
    officer = call.officer
    assert call.status == Call.Status.PUBLISHED
    assert call.publication_date is not None

    with time_machine.travel(call.deadline + timedelta(seconds=1)):
        call = call_close(call=call, actor=officer)
        call = call_start_assessment(call=call, actor=officer)
        call = call_mark_awarded(call=call, actor=officer)
        call = call_complete(call=call, actor=officer)

    assert call.status == Call.Status.COMPLETED


@pytest.mark.parametrize(
    ("moves", "refused"),
    [
        ([], call_start_assessment),  # draft -> under assessment
        ([], call_complete),  # draft -> completed
        ([call_publish], call_mark_awarded),  # published -> awarded
        ([call_publish], call_publish),  # published -> published
    ],
)
def test_illegal_transitions_are_refused_and_name_both_states(moves, refused):
    call = draft_call()
    officer = call.officer
    for move in moves:
        call = move(call=call, actor=officer)

    with pytest.raises(IllegalTransition) as error:
        refused(call=call, actor=officer)

    assert error.value.from_state == Call.Status(call.status).label
    call.refresh_from_db()
    assert call.status in (Call.Status.DRAFT, Call.Status.PUBLISHED)


def test_cancel_needs_a_reason_and_is_final():
    call = published_call()
    officer = call.officer
    with pytest.raises(DomainError):
        call_cancel(call=call, actor=officer, reason="   ")

    call = call_cancel(call=call, actor=officer, reason="Budget ingetrokken")

    assert call.status == Call.Status.CANCELLED
    with pytest.raises(IllegalTransition):
        call_publish(call=call, actor=officer)


def test_cannot_cancel_after_award():
    call = published_call()
    officer = call.officer
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call = call_close(call=call, actor=officer)
    call = call_start_assessment(call=call, actor=officer)
    call = call_mark_awarded(call=call, actor=officer)
    with pytest.raises(IllegalTransition):
        call_cancel(call=call, actor=officer, reason="te laat")


def test_closing_by_hand_before_the_deadline_is_refused():
    call = published_call()
    with pytest.raises(DomainError, match=r"cancel|[Aa]nnuleer"):
        call_close(call=call, actor=call.officer)


def complete_problems(call):
    return call_publication_problems(call)


def test_a_complete_draft_has_no_publication_problems():
    assert complete_problems(draft_call()) == []


def test_publish_refuses_phase_budgets_over_the_call_budget():
    call = draft_call()
    phase = call.phases.first()
    phase.budget = call.total_budget
    phase.save()
    with pytest.raises(DomainError):
        call_publish(call=call, actor=call.officer)
    assert Call.objects.get(pk=call.pk).status == Call.Status.DRAFT


def test_publish_refuses_weights_not_adding_up_to_100():
    call = draft_call()
    call.phases.first().criteria.filter(order=1).update(weight=10)
    assert any("100" in problem for problem in complete_problems(call))


def test_publish_refuses_a_deadline_in_the_past():
    call = draft_call()
    with time_machine.travel(call.deadline + timedelta(days=1)):
        assert complete_problems(call)
        with pytest.raises(DomainError):
            call_publish(call=call, actor=call.officer)


def test_publish_refuses_a_call_without_phases():
    call = draft_call()
    call.phases.all().delete()
    problems = complete_problems(call)
    assert len(problems) == 1


def test_publish_refuses_a_phase_without_criteria():
    call = draft_call()
    call.phases.last().criteria.all().delete()
    assert len(complete_problems(call)) == 1


def test_innovation_partnership_needs_30_days_for_requests_to_participate():
    call = draft_call(
        instrument=Call.Instrument.INNOVATION_PARTNERSHIP,
        participation_deadline=timezone.now() + timedelta(days=29),
    )
    assert len(complete_problems(call)) == 1
    call.participation_deadline = timezone.now() + timedelta(days=30, hours=1)
    call.save()
    assert complete_problems(call) == []


def test_innovation_partnership_must_reserve_the_right_to_stop():
    call = draft_call(instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
    assert call.phases.count() == 3
    call.reserves_right_to_stop = False
    call.save()
    assert len(complete_problems(call)) == 1


@pytest.mark.parametrize(
    "instrument", [Call.Instrument.PRIZE_COMPETITION, Call.Instrument.HACKATHON]
)
def test_contests_have_one_round_with_prizes(instrument):
    call = draft_call(instrument=instrument)
    assert call.phases.count() == 1
    assert complete_problems(call) == []
    call.phases.get().prizes.all().delete()
    assert len(complete_problems(call)) == 1


def test_only_officers_of_the_owning_authority_may_publish():
    call = draft_call()
    for outsider in (
        officer_of(),
        person_with_role(Role.APPLICANT),
        person_with_role(Role.MINISTRY_STAFF),
    ):
        with pytest.raises(NotAllowed):
            call_publish(call=call, actor=outsider)
    assert Call.objects.get(pk=call.pk).status == Call.Status.DRAFT


def test_calls_close_by_themselves_at_the_deadline():
    due = published_call()
    later = published_call(deadline=timezone.now() + timedelta(days=90))

    with time_machine.travel(due.deadline + timedelta(seconds=1)):
        assert close_expired_calls.delay().get() == 1

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Call.Status.CLOSED
    assert due.closed_at is not None
    assert later.status == Call.Status.PUBLISHED


def test_automatic_closing_leaves_a_call_open_one_second_before():
    call = published_call()
    with time_machine.travel(call.deadline - timedelta(seconds=1)):
        assert calls_close_expired() == 0
    with time_machine.travel(call.deadline):
        assert calls_close_expired() == 1


def test_money_stays_decimal():
    call = published_call(total_budget=Decimal("1500000.00"))
    call.refresh_from_db()
    assert isinstance(call.total_budget, Decimal)
    assert sum(p.budget for p in call.phases.all()) <= call.total_budget
