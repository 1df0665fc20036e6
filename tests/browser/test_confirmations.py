"""The confirmation page before what cannot be undone, in a real browser: publishing a call
and a nota van inlichtingen, signing the advice and deciding (submitting scores is in
test_scoring.py). Each page passes axe, and its button does what it says."""

import pytest
from django.urls import reverse

from calls.models import Call, ClarificationRelease
from calls.services.clarifications import clarification_answer, clarification_ask
from portal.models import Role
from proposals.models import Advice, Proposal
from proposals.services.assessment import assignment_add, consensus_record
from tests.calls.factories import draft_call, published_call
from tests.factories import person_with_role
from tests.proposals.test_assessment_pages import build_committee, cleared, scored
from tests.proposals.test_officer_pages import (  # noqa: F401  (the fixtures)
    advised,
    assessing,
    submitted,
)

from .conftest import axe_violations
from .test_scoring import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def publish_call(request):
    call = draft_call()
    address = reverse("calls:officer_publish", kwargs={"pk": call.pk})

    def done() -> bool:
        return Call.objects.get(pk=call.pk).status == Call.Status.PUBLISHED

    return call.officer, address, None, done


def publish_answers(request):
    call = published_call()
    question = clarification_ask(
        call=call, actor=person_with_role(Role.APPLICANT), text="Mag het ook van hout?"
    )
    clarification_answer(
        question=question, actor=call.officer, answer="Ja.", public_text="Mag het van hout?"
    )
    address = reverse("calls:officer_publish_answers", kwargs={"pk": call.pk})
    return call.officer, address, None, ClarificationRelease.objects.filter(call=call).exists


def sign_advice(request):
    setting = build_committee(2, members=1)
    chair, seat = setting["chair"], setting["members"][0]
    first, second = setting["proposals"]
    cleared(chair, [first, second])
    cleared(seat, [first, second])
    for proposal in (first, second):
        for member in (seat, chair):
            assignment = assignment_add(member=member, proposal=proposal, actor=setting["officer"])
            scored(setting, assignment, (7, 7, 7))
        for criterion in setting["criteria"]:
            consensus_record(
                proposal=proposal,
                actor=chair.user,
                criterion_id=criterion.pk,
                score=7,
                motivation="Besproken",
            )
    address = reverse("proposals:advice", kwargs={"seat_pk": chair.pk})

    def fill(page):
        page.locator("[data-testid=advice-form] button[type=submit]").click()

    return chair.user, address, fill, Advice.objects.exists


def decide(request):
    world = request.getfixturevalue("advised")
    proposal = world.proposals[0]
    address = reverse("proposals:officer_decide", kwargs={"pk": proposal.pk})

    def fill(page):
        page.locator("#decision-decision_0").check()
        page.fill("#decision-motivation", "Sterk en haalbaar.")
        page.locator("[data-testid=decision-form] button[type=submit]").click()

    def done() -> bool:
        return Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.AWARDED

    return world.officer, address, fill, done


@pytest.mark.parametrize("action", [publish_call, publish_answers, sign_advice, decide])
def test_the_confirmation_page_is_accessible_and_its_button_acts(page, request, action):
    user, address, fill, done = action(request)
    log_in(page, user, address)
    if fill is not None:
        assert not done()
        fill(page)
        page.wait_for_load_state()

    assert page.get_by_test_id("confirm-summary").is_visible()
    assert page.get_by_test_id("confirm-final").is_visible()
    assert axe_violations(page) == []
    assert not done()

    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()

    assert done()
