"""An upheld objection: the officer chooses what follows — a new decision of their own, or a
reassessment by the committee (the affected assessments reopen with the reason, the committee
advises again, the officer decides again: new letters, a new standstill period)."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from portal.exceptions import DomainError
from proposals.models import (
    Advice,
    Assessment,
    Assignment,
    Decision,
    DecisionLetter,
    Objection,
    Reassessment,
)
from proposals.services.assessment import (
    advice_sign,
    assignments_balance,
    consensus_record,
)
from proposals.services.decisions import proposal_award, proposal_reject
from proposals.services.objections import objection_lodge, objection_uphold
from proposals.tasks import render_advice_pdf
from tests.proposals.test_api import client_for
from tests.proposals.test_assessment import declare_all, score_all, setting  # noqa: F401
from tests.proposals.test_officer_pages import officer_client, url

pytestmark = pytest.mark.django_db


def consensus_and_sign(world, selected):
    chair = world["chair"].user
    for proposal in world["proposals"]:
        for criterion in world["phase"].criteria.all():
            consensus_record(
                proposal=proposal,
                actor=chair,
                criterion_id=criterion.pk,
                score=8 if proposal in selected else 6,
                motivation="Afgewogen",
            )
    return advice_sign(committee=world["committee"], actor=chair, selected=selected)


@pytest.fixture
def objected(setting, django_capture_on_commit_callbacks):  # noqa: F811
    """A scored and advised phase, decided with a standstill of 20 days (letters sent), and
    the second company's open objection."""
    Call.objects.filter(pk=setting["call"].pk).update(standstill_days=20, standstill_reason="")
    declare_all(setting)
    assignments_balance(committee=setting["committee"], actor=setting["officer"])
    for assignment in Assignment.objects.filter(member__committee=setting["committee"]):
        score_all(assignment, 7)
    first, *others = setting["proposals"]
    setting["advice"] = consensus_and_sign(setting, [first])
    render_advice_pdf(setting["advice"].pk)
    setting["advice"].refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_award(proposal=first, actor=setting["officer"], motivation="Sterkste plan")
        for proposal in others:
            proposal_reject(proposal=proposal, actor=setting["officer"], motivation="Minder")
    assert DecisionLetter.objects.count() == 4
    objector = setting["proposals"][1]
    decision = Decision.objects.get(proposal=objector)
    setting["objection"] = objection_lodge(
        decision=decision, actor=objector.created_by, text="Criterium 2 is verkeerd gelezen."
    )
    mail.outbox.clear()
    return setting


def test_the_committee_reassesses_then_the_officer_decides_again_with_new_letters(
    objected, django_capture_on_commit_callbacks
):
    world = objected
    officer, objector = world["officer"], world["proposals"][1]
    old_ranking = world["advice"].ranking
    with django_capture_on_commit_callbacks(execute=True):
        objection = objection_uphold(
            objection=world["objection"],
            actor=officer,
            answer="Criterium 2 is niet volgens de schaal beoordeeld.",
            follow_up=Objection.FollowUp.REASSESSMENT,
        )
    assert objection.is_upheld
    assert objection.leads_to_reassessment
    assert not Decision.objects.exclude(status=Decision.Status.WITHDRAWN).exists()

    # The committee's advice is set aside and kept on the reassessment, with the reason.
    reassessment = Reassessment.objects.get()
    assert reassessment.is_open
    assert reassessment.objection == objection
    assert list(reassessment.proposals.all()) == [objector]
    assert "niet volgens de schaal" in reassessment.reason
    assert reassessment.previous_ranking == old_ranking
    assert reassessment.previous_selected == [world["proposals"][0].pk]
    # The signed advice's PDF is kept with the reassessment, not removed with the advice row.
    assert reassessment.previous_pdf.name == world["advice"].pdf.name
    assert reassessment.previous_pdf.storage.exists(reassessment.previous_pdf.name)
    assert not Advice.objects.exists()
    # Only the objector's assessments reopen, with the reason; the others stay submitted.
    reopened = Assessment.objects.filter(assignment__proposal=objector)
    assert reopened.exists()
    assert all(a.is_draft and "niet volgens de schaal" in a.reopened_reason for a in reopened)
    assert not Assessment.objects.exclude(assignment__proposal=objector).filter(
        status=Assessment.Status.DRAFT
    )
    # Audited, with the officer as the actor.
    for model in (Assessment, Reassessment, Advice):
        entry = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).latest("timestamp")
        assert entry.actor == officer

    # The objecting company gets one e-mail (the answer); the others one (the withdrawal).
    by_address: dict[str, list] = {}
    for message in mail.outbox:
        for address in message.to:
            by_address.setdefault(address, []).append(message)
    assert len(by_address.pop(objector.created_by.email)) == 1
    assert world["call"].contact_email not in by_address
    others = [p.created_by.email for p in world["proposals"] if p != objector]
    assert sorted(by_address) == sorted(others)
    assert all(len(messages) == 1 for messages in by_address.values())

    # The officer cannot decide before the new advice.
    with pytest.raises(DomainError) as waiting:
        proposal_award(proposal=objector, actor=officer, motivation="Herzien")
    assert waiting.value.code == "reassessment"

    # The committee reads the reason: the members on their home page, the chair on the advice.
    member = reopened.first().assignment.member
    home = officer_client(member.user).get(url("committee_home"))
    assert b'data-testid="reassessment"' in home.content
    assert "niet volgens de schaal" in home.content.decode()
    advice_page = officer_client(world["chair"].user).get(url("advice", seat_pk=world["chair"].pk))
    assert "niet volgens de schaal" in advice_page.content.decode()

    # The assessors score again, the chair signs a new advice: the reassessment is done.
    for assessment in reopened:
        score_all(assessment.assignment, 9)
    advice_sign(committee=world["committee"], actor=world["chair"].user, selected=[objector])
    reassessment.refresh_from_db()
    assert not reassessment.is_open
    assert reassessment.advised_at is not None

    # The officer decides again, days later: new letters and a new standstill period.
    with (
        time_machine.travel(timezone.now() + timedelta(days=5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        mail.outbox.clear()
        award = proposal_award(proposal=objector, actor=officer, motivation="Na herbeoordeling")
        for proposal in world["proposals"]:
            if proposal != objector:
                proposal_reject(proposal=proposal, actor=officer, motivation="Na herbeoordeling")
        today = timezone.localdate()
    assert DecisionLetter.objects.count() == 8
    letter = DecisionLetter.objects.get(decision=award)
    assert letter.standstill_ends_on == today + timedelta(days=20)
    assert len(mail.outbox) == 4  # one letter e-mail per company


def test_a_new_decision_by_the_officer_needs_no_new_advice(objected):
    objection = objection_uphold(
        objection=objected["objection"], actor=objected["officer"], answer="Terecht."
    )
    assert objection.follow_up == Objection.FollowUp.NEW_DECISION
    assert not Reassessment.objects.exists()
    assert Advice.objects.exists()
    assert not Assessment.objects.filter(status=Assessment.Status.DRAFT).exists()
    assert proposal_award(
        proposal=objected["proposals"][1], actor=objected["officer"], motivation="Herzien"
    ).is_intended


def test_the_officer_chooses_on_the_page_and_the_api_refuses_a_foreign_proposal(objected):
    objection = objected["objection"]
    officer = objected["officer"]
    api = client_for(officer)
    refused = api.post(
        reverse("api-objection-answer", kwargs={"pk": objection.pk}),
        {"outcome": "uphold", "answer": "x", "follow_up": "reassessment", "reassess": [999999]},
        format="json",
    )
    assert refused.status_code == 400, refused.content
    assert "reassess" in refused.json()
    objection.refresh_from_db()
    assert objection.is_open

    page = officer_client(officer).get(url("officer_objection", objection_pk=objection.pk))
    assert b'value="reassess"' in page.content
    third = objected["proposals"][2]
    response = officer_client(officer).post(
        url("officer_objection", objection_pk=objection.pk),
        {
            "outcome": "reassess",
            "answer": "Beide voorstellen opnieuw beoordelen.",
            "reassess": [objection.decision.proposal_id, third.pk],
        },
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.leads_to_reassessment
    assert set(Reassessment.objects.get().proposals.values_list("pk", flat=True)) == {
        objection.decision.proposal_id,
        third.pk,
    }
    shown = officer_client(officer).get(url("officer_objection", objection_pk=objection.pk))
    assert b'data-testid="objection-follow-up"' in shown.content


def test_without_a_proposal_awaiting_a_decision_the_page_offers_no_reassessment(objected):
    objection = objected["objection"]
    officer = objected["officer"]
    phase = objected["phase"]
    # The decisions are final: no proposal of the phase is under assessment any more.
    phase.proposals.update(status="awarded")
    page = officer_client(officer).get(url("officer_objection", objection_pk=objection.pk))
    content = page.content.decode()
    assert 'value="dismiss"' in content
    assert 'value="uphold"' in content
    assert 'value="reassess"' not in content
    assert 'name="reassess"' not in content
    refused = officer_client(officer).post(
        url("officer_objection", objection_pk=objection.pk),
        {"outcome": "reassess", "answer": "Opnieuw beoordelen."},
    )
    assert refused.status_code == 200
    objection.refresh_from_db()
    assert objection.is_open
