"""The officer checks and sends a call's eForms notice in a real browser; axe-core checks the
page with its problems in words, the publication details form and the send button."""

import pytest

from calls.services.lifecycle import call_publish
from portal.models import Role
from reporting.models import Notice
from tests.calls.factories import draft_call, ensure_missions
from tests.reporting.notices import complete_authority

from .conftest import axe_violations
from .test_officer import log_in_as_officer

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_officer_notice_page_shows_problems_in_words_and_is_accessible(page):
    ensure_missions()
    officer = log_in_as_officer(page)
    membership = officer.memberships.get(role=Role.PROCUREMENT_OFFICER)
    authority = complete_authority()
    membership.organisation = authority
    membership.save(update_fields=["organisation"])
    call = draft_call(officer=officer, place_of_performance_nuts="NL350", tender_validity=3)
    call_publish(call=call, actor=officer)
    notice = Notice.objects.get(call=call)
    assert notice.is_draft  # no CPV code yet

    page.goto(f"/officer/calls/{call.pk}/notices/")
    problems = page.get_by_test_id("notice-problems")
    assert problems.is_visible()
    assert "CPV" in problems.inner_text()
    assert page.get_by_role("button", name="Verzenden naar TenderNed").count() == 0
    assert axe_violations(page) == []

    # An invalid code: the error summary says so.
    page.fill("#id_cpv_code", "73")
    page.locator("[data-testid=details-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    assert axe_violations(page) == []

    page.fill("#id_cpv_code", "73100000")
    page.locator("[data-testid=details-form] button[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Opnieuw opstellen uit de huidige gegevens").click()
    page.wait_for_load_state()
    assert (
        page.get_by_test_id("notice-status").inner_text() == "gecontroleerd, klaar om te verzenden"
    )
    assert page.get_by_role("button", name="Verzenden naar TenderNed").is_visible()
    assert axe_violations(page) == []
