"""The company's proposal page with its decision letter, and the public call page with the
results, in a real browser: axe-core finds no violations."""

from datetime import timedelta

import pytest
import time_machine

from proposals.models import DecisionLetter
from proposals.services.decisions import decisions_finalise_due
from tests.proposals.letters import decided_phase

from .conftest import axe_violations
from .test_proposal_flow import log_in_as_applicant

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_letter_on_the_proposal_page_and_the_results_on_the_call_page(page):
    world = decided_phase()
    letter = DecisionLetter.objects.get(proposal=world.runner_up)
    decision = world.winner.decisions.get()
    decisions_finalise_due(today=decision.standstill_ends_on + timedelta(days=1))

    log_in_as_applicant(page, world.runner_up.person.email)
    page.goto(f"/proposals/{world.runner_up.pk}/")
    letters = page.get_by_test_id("letters")
    assert letter.number in letters.inner_text()
    assert axe_violations(page) == []

    with time_machine.travel(world.call.deadline + timedelta(hours=1), tick=True):
        page.goto(world.call.get_absolute_url())
        results = page.get_by_test_id("results")
        assert world.winner.company.name in results.inner_text()
        assert world.runner_up.company.name not in results.inner_text()
        assert axe_violations(page) == []
