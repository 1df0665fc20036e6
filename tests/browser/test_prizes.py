"""A prize competition's pages in a real browser: the officer's decision page with the
prize choice, the phase's prizes page (also with its error summary), the company's entry
form without an amount, and the public call page with the winners per prize. axe-core finds
no violations on any of them."""

import pytest

from calls.models import Call
from proposals.services.decisions import proposal_award
from tests.proposals.factories import complete_draft
from tests.proposals.test_prizes import ranked_entries

from .conftest import axe_violations
from .test_partnership import log_in_applicant, log_in_officer

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_prize_pages_are_accessible(page):
    world = ranked_entries()
    decide = f"/officer/proposals/{world.entries[1].pk}/decide/"
    log_in_officer(page, world.officer, decide)
    assert page.locator("[name=prize]").is_visible()
    assert axe_violations(page) == []

    proposal_award(
        proposal=world.entries[0], actor=world.officer, motivation="Jury.", prize=world.prizes[1]
    )
    prizes = f"/officer/proposals/phases/{world.phase.pk}/prizes/"
    page.goto(prizes)
    assert world.entries[0].company.name in page.get_by_test_id("prize-1").inner_text()
    assert axe_violations(page) == []
    # Without a reason: the error summary, and the form keeps its place.
    page.get_by_test_id("withhold-3").get_by_role("button").click()
    assert page.get_by_test_id("error-summary").is_visible()
    assert axe_violations(page) == []

    page.goto(world.call.get_absolute_url())
    assert world.entries[0].company.name in page.get_by_test_id("prize-results-1").inner_text()
    assert axe_violations(page) == []


def test_the_entry_form_of_a_prize_competition_is_accessible(page):
    from tests.proposals.test_prizes import contest_call

    draft = complete_draft(call=contest_call(instrument=Call.Instrument.HACKATHON))
    log_in_applicant(page, draft.person.email)
    page.goto(f"/proposals/{draft.pk}/edit/")
    assert page.locator('[name="requested_amount"]').count() == 0
    assert axe_violations(page) == []
