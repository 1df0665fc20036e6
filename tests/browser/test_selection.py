"""Innovation partnership, stage 1, in real Chromium: the self-declaration, the officer's
selection set-up, the assessment per criterion and the outcome page pass axe-core."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from calls.models import Call
from calls.services.participation import (
    participation_invitations_send,
    participation_request_decide,
)
from portal.models import Role
from tests.calls.factories import (
    assessment_for,
    declaration_for,
    draft_call,
    ensure_missions,
    published_call,
)
from tests.calls.test_participation import ask
from tests.conftest import login_verified
from tests.factories import person_with_role

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

IP = Call.Instrument.INNOVATION_PARTNERSHIP


def act_as(page, live_server, user, language: str = "nl") -> None:
    """The browser carries the session of ``user`` (second factor passed)."""
    client = login_verified(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_selection_pages_pass_axe(page, live_server, language):
    ensure_missions()
    call = published_call(instrument=IP)
    officer = call.officer

    # The company's self-declaration, empty and refused: the error summary is accessible too.
    member = person_with_role(Role.APPLICANT)
    act_as(page, live_server, member, language)
    page.goto(f"/calls/{call.pk}/participate/")
    assert page.get_by_test_id("declaration-grounds").is_visible()
    assert axe_violations(page) == []
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("form-error-summary").is_visible()
    assert axe_violations(page) == []

    # The officer sets up the selection of a draft.
    draft = draft_call(instrument=IP, officer=officer)
    act_as(page, live_server, officer, language)
    page.goto(f"/officer/calls/{draft.pk}/selection/")
    assert page.get_by_test_id("criterion-form").is_visible()
    assert axe_violations(page) == []

    # Four requests, one answers "yes" on a ground; the deadline for requests passes.
    requests = [ask(call) for _ in range(3)]
    excluded = ask(call, **declaration_for(call, yes=("fraud",)))
    Call.objects.filter(pk=call.pk).update(
        participation_deadline=timezone.now() - timedelta(minutes=1)
    )
    page.goto(f"/officer/calls/{call.pk}/participation/{excluded.pk}/")
    assert page.get_by_test_id("decide-grounds").is_visible()
    assert page.get_by_test_id("decide-criteria").is_visible()
    assert axe_violations(page) == []

    for participation in requests:
        participation_request_decide(
            request=participation,
            actor=officer,
            selected=True,
            motivation="Geschikt.",
            **assessment_for(participation),
        )
    participation_request_decide(
        request=excluded,
        actor=officer,
        selected=False,
        motivation="Uitgesloten.",
        **assessment_for(excluded, exclude=True),
    )
    page.goto(f"/officer/calls/{call.pk}/participation/")
    assert page.get_by_test_id("qualifying").is_visible()
    assert axe_violations(page) == []
    participation_invitations_send(call=call, actor=officer)

    # The excluded company reads the outcome with the reasons.
    act_as(page, live_server, excluded.member, language)
    page.goto(f"/calls/participation/{excluded.pk}/")
    assert page.get_by_test_id("outcome-grounds").is_visible()
    assert axe_violations(page) == []

    # Its letter with the standstill, and the objection page (empty first: the error summary).
    assert page.get_by_test_id("selection-letters").is_visible()
    page.get_by_test_id("selection-object").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("objection-form").is_visible()
    assert axe_violations(page) == []
    page.get_by_test_id("lodge").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("form-error-summary").is_visible()
    assert axe_violations(page) == []
    page.locator("#id_text").fill("De boete is betaald.")
    page.get_by_test_id("lodge").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("selection-letters").is_visible()
    assert axe_violations(page) == []

    # The officer: the letters and the objection on the call's page, then the answer page.
    from proposals.models import Objection

    objection = Objection.objects.get(participation_request=excluded)
    act_as(page, live_server, officer, language)
    page.goto(f"/officer/calls/{call.pk}/")
    assert page.get_by_test_id("selection-letters").is_visible()
    assert axe_violations(page) == []
    page.goto(f"/officer/selection-objections/{objection.pk}/")
    page.get_by_test_id("answer").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("form-error-summary").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_committees_final_tender_passes_axe(page, live_server, language):
    from tests.proposals.test_negotiation_visibility import negotiated

    ensure_missions()
    _call, proposals, seat, _early, _last, after = negotiated(history=True)
    try:
        act_as(page, live_server, seat.user, language)
        page.goto(f"/assessment/{seat.pk}/proposals/{proposals[0].pk}/")
        assert page.get_by_test_id("final-tender").is_visible()
        assert page.get_by_test_id("tender-history").is_visible()
        assert axe_violations(page) == []
    finally:
        after.stop()
