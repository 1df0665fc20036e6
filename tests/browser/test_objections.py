"""A company objects to an intended decision and the officer answers, in a real browser;
axe-core checks both objection pages."""

import pytest
from django.urls import reverse

from calls.models import Call
from proposals.models import Objection
from proposals.services.decisions import proposal_award, proposal_reject
from proposals.services.objections import objection_lodge
from tests.proposals.test_officer_pages import (  # noqa: F401  (fixtures)
    advised,
    assessing,
    submitted,
)

from .conftest import axe_violations
from .test_proposal_flow import log_in_as_applicant
from .test_scoring import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def intended(advised):  # noqa: F811
    Call.objects.filter(pk=advised.call.pk).update(standstill_days=20, standstill_reason="")
    for proposal in advised.proposals:
        proposal.call.standstill_days = 20
    proposal_award(proposal=advised.proposals[0], actor=advised.officer, motivation="Sterkst")
    advised.rejection = proposal_reject(
        proposal=advised.proposals[1], actor=advised.officer, motivation="Minder sterk"
    )
    return advised


def test_the_company_lodges_an_objection_through_an_accessible_form(page, intended):
    loser = intended.proposals[1]
    log_in_as_applicant(page, loser.person.email)
    page.goto(reverse("proposals:detail", kwargs={"pk": loser.pk}))
    assert page.get_by_test_id("standstill").is_visible()
    page.get_by_test_id("object").click()
    page.wait_for_url("**/objection/")
    assert axe_violations(page) == []

    page.get_by_test_id("lodge").click()  # empty: the error summary
    page.wait_for_load_state()
    assert page.get_by_test_id("error-summary").is_visible()
    assert axe_violations(page) == []

    page.fill("#id_text", "Criterium 2 is niet volgens de gepubliceerde schaal beoordeeld.")
    page.get_by_test_id("lodge").click()
    objection = Objection.objects.get()
    page.wait_for_url(f"**/proposals/objections/{objection.pk}/")
    assert page.get_by_test_id("objection-status").is_visible()
    assert axe_violations(page) == []


def test_the_officer_answers_an_objection_through_an_accessible_form(page, intended):
    objection = objection_lodge(
        decision=intended.rejection, actor=intended.proposals[1].person, text="Niet eerlijk"
    )
    address = reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk})
    log_in(page, intended.officer, address)
    assert page.get_by_test_id("answer-form").is_visible()
    assert axe_violations(page) == []

    page.get_by_test_id("answer").click()  # nothing chosen: the error summary
    page.wait_for_load_state()
    assert page.get_by_test_id("error-summary").is_visible()
    assert axe_violations(page) == []

    page.check("#id_outcome_0")
    page.fill("#id_answer", "De score is volgens de schaal gegeven.")
    page.get_by_test_id("answer").click()
    page.wait_for_load_state()
    objection.refresh_from_db()
    assert objection.is_dismissed
    assert page.get_by_test_id("objection-answer").is_visible()
    assert axe_violations(page) == []
