"""The committee's pages, through the doors members and chairs use: code of conduct,
declarations, scoring, and the chair's ranking, consensus, reopening and advice."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from calls.services.lifecycle import call_close
from portal.models import Role
from proposals.models import (
    Advice,
    Assessment,
    Assignment,
    CommitteeMember,
    ConflictDeclaration,
    ConsensusScore,
    CriterionScore,
    Proposal,
)
from proposals.services.assessment import (
    assessment_open,
    assessment_save,
    assignment_add,
    code_of_conduct_accept,
    committee_create,
    committee_member_add,
    conflict_declare,
    consensus_record,
)
from tests.calls.factories import officer_of, published_call
from tests.factories import UserFactory, person_with_role

from .factories import applicant, submitted_proposals

pytestmark = pytest.mark.django_db

CONTENT = "Een viaduct van herbruikbare elementen."  # the summary of every test proposal
TEAM = "Twee constructeurs en een materiaalkundige."


def build_committee(n: int = 4, *, members: int = 3, **call_fields) -> dict:
    """A closed call with n proposals under assessment and a committee (code not accepted)."""
    call = published_call(**call_fields)
    officer = call.officer
    proposals = submitted_proposals(call, n)
    phase = call.phases.get(order=1)
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=officer)
        assessment_open(phase=phase, actor=officer)
    committee = committee_create(
        phase=phase, actor=officer, code_of_conduct="Vertrouwelijk, en onafhankelijk."
    )
    chair = committee_member_add(
        committee=committee,
        actor=officer,
        user=person_with_role(Role.COMMITTEE_CHAIR, organisation=call.authority),
        role=CommitteeMember.Role.CHAIR,
    )
    seats = [
        committee_member_add(
            committee=committee,
            actor=officer,
            user=person_with_role(Role.ASSESSOR, organisation=call.authority),
            role=CommitteeMember.Role.MEMBER,
        )
        for _ in range(members)
    ]
    return {
        "call": call,
        "officer": officer,
        "phase": phase,
        "committee": committee,
        "chair": chair,
        "members": seats,
        "proposals": [Proposal.objects.get(pk=p.pk) for p in proposals],
        "criteria": list(phase.criteria.order_by("order")),
    }


@pytest.fixture
def setting():
    return build_committee()


def cleared(seat, proposals, *, conflicts=()):
    """Code accepted and declared (no conflict unless listed) for these proposals."""
    code_of_conduct_accept(member=seat, actor=seat.user)
    for proposal in proposals:
        conflict = proposal in conflicts
        conflict_declare(
            member=seat,
            proposal=proposal,
            actor=seat.user,
            has_conflict=conflict,
            explanation="Oud-collega" if conflict else "",
        )


def assign(setting, seat, proposal) -> Assignment:
    return assignment_add(member=seat, proposal=proposal, actor=setting["officer"])


def scored(setting, assignment, values, *, submit=True, motivation="Motivering"):
    return assessment_save(
        assignment=assignment,
        actor=assignment.member.user,
        scores={
            c.pk: (v, f"{motivation} {c.name}")
            for c, v in zip(setting["criteria"], values, strict=True)
        },
        submit=submit,
    )


def score_post(criteria, values, motivations=None, *, action="submit", confirmed=True) -> dict:
    data = {action: "1"}
    if action == "submit" and confirmed:
        data["confirmed"] = "1"  # the second step, after the confirmation page
    for index, criterion in enumerate(criteria):
        value = values[index]
        data[f"score_{criterion.pk}"] = "" if value is None else str(value)
        data[f"motivation_{criterion.pk}"] = (
            motivations[index] if motivations else f"Goed onderbouwd: {criterion.name}"
        )
    return data


def url(name, **kwargs) -> str:
    return reverse(f"proposals:{name}", kwargs=kwargs)


# --- The member's journey ---------------------------------------------------------------------


def test_member_accepts_code_declares_scores_and_only_then_sees_the_others(
    setting, verified_client
):
    seat, colleague = setting["members"][:2]
    proposal = setting["proposals"][0]
    criteria = setting["criteria"]
    assignment = assign(setting, seat, proposal)
    # A colleague scored first, with a motivation that must not sway our member.
    cleared(colleague, [proposal])
    scored(setting, assign(setting, colleague, proposal), (9, 9, 9), motivation="Collega vindt")
    client = verified_client(seat.user)

    home = client.get(url("committee_home"))
    assert home.status_code == 200
    assert setting["call"].reference in home.text
    assert f'data-testid="seat-{seat.pk}"' in home.text

    # Declarations wait for the code of conduct.
    response = client.get(url("declarations", seat_pk=seat.pk))
    assert response.status_code == 302
    assert response["Location"] == url("code_of_conduct", seat_pk=seat.pk)
    early = client.post(
        url("declare", seat_pk=seat.pk, proposal_pk=proposal.pk),
        {f"p{proposal.pk}-decision": "none"},
    )
    assert early["Location"] == url("code_of_conduct", seat_pk=seat.pk)
    assert not ConflictDeclaration.objects.filter(member=seat).exists()
    page = client.get(url("code_of_conduct", seat_pk=seat.pk))
    assert "Vertrouwelijk, en onafhankelijk." in page.text
    refused = client.post(url("code_of_conduct", seat_pk=seat.pk), {})
    assert refused.status_code == 200
    assert "utrecht-alert--error" in refused.text
    seat.refresh_from_db()
    assert seat.code_accepted_at is None
    accepted = client.post(url("code_of_conduct", seat_pk=seat.pk), {"accept": "on"})
    assert accepted["Location"] == url("declarations", seat_pk=seat.pk)
    seat.refresh_from_db()
    assert seat.code_accepted_at is not None

    # Declaring shows title, number and company only, never the content.
    listing = client.get(url("declarations", seat_pk=seat.pk))
    assert listing.status_code == 200
    for other in setting["proposals"]:
        assert other.submission_number in listing.text
        assert other.company.name in listing.text
    assert CONTENT not in listing.text
    assert client.get(url("assess", seat_pk=seat.pk, proposal_pk=proposal.pk)).status_code == 404

    # A conflict needs an explanation; nothing is recorded without one.
    prefix = f"p{proposal.pk}"
    missing = client.post(
        url("declare", seat_pk=seat.pk, proposal_pk=proposal.pk),
        {f"{prefix}-decision": "conflict", f"{prefix}-explanation": "  "},
    )
    assert missing.status_code == 200
    assert f'id="id_{prefix}-explanation_error"' in missing.text
    assert not ConflictDeclaration.objects.filter(member=seat).exists()

    declared = client.post(
        url("declare", seat_pk=seat.pk, proposal_pk=proposal.pk), {f"{prefix}-decision": "none"}
    )
    assert declared.status_code == 302
    assert ConflictDeclaration.objects.get(member=seat, proposal=proposal).has_conflict is False
    # Declared is final: a second post changes nothing and the form is gone.
    client.post(
        url("declare", seat_pk=seat.pk, proposal_pk=proposal.pk),
        {f"{prefix}-decision": "conflict", f"{prefix}-explanation": "toch wel"},
    )
    assert ConflictDeclaration.objects.get(member=seat, proposal=proposal).has_conflict is False
    listing = client.get(url("declarations", seat_pk=seat.pk))
    assert f'data-testid="declare-{proposal.pk}"' not in listing.text
    assert 'data-testid="declared-none"' in listing.text

    # The content opens; the colleague's scores stay hidden until ours are in.
    assess_url = url("assess", seat_pk=seat.pk, proposal_pk=proposal.pk)
    page = client.get(assess_url)
    assert page.status_code == 200
    assert CONTENT in page.text
    assert 'data-testid="others-hidden"' in page.text
    assert "Collega vindt" not in page.text
    assert colleague.user.full_name not in page.text

    # Save a draft of one criterion.
    draft = {
        "save": "1",
        f"score_{criteria[0].pk}": "6",
        f"motivation_{criteria[0].pk}": "Redelijk",
    }
    assert client.post(assess_url, draft).status_code == 302
    assessment = Assessment.objects.get(assignment=assignment)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.scores.get().score == 6
    page = client.get(assess_url)
    assert "Redelijk" in page.text
    assert "Collega vindt" not in page.text

    # Submitting incomplete is refused with errors; what was typed stays.
    incomplete = client.post(
        assess_url, score_post(criteria, (7, None, 5), ["Sterk idee", "Zonder cijfer", ""])
    )
    assert incomplete.status_code == 200
    assert f'id="id_score_{criteria[1].pk}_error"' in incomplete.text
    assert f'id="id_motivation_{criteria[2].pk}_error"' in incomplete.text
    assert "Sterk idee" in incomplete.text
    assert "Zonder cijfer" in incomplete.text
    assert "Collega vindt" not in incomplete.text
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT

    # Submitting complete asks first: the scores once more, what cannot change; nothing locks.
    asked = client.get(assess_url)
    assert 'data-testid="scoring-form"' in asked.text  # the page itself is the form
    asked = client.post(assess_url, score_post(criteria, (7, 8, 5), confirmed=False))
    assert asked.status_code == 200
    assert 'data-testid="confirm-summary"' in asked.text
    assert f"Goed onderbouwd: {criteria[1].name}" in asked.text
    assert 'name="confirmed" value="1"' in asked.text
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert "Collega vindt" not in asked.text

    # Confirmed, the scores lock and only now the colleague's show.
    done = client.post(assess_url, score_post(criteria, (7, 8, 5)))
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    page = client.get(assess_url)
    assert 'data-testid="locked"' in page.text
    assert 'data-testid="scoring-form"' not in page.text
    assert "Collega vindt" in page.text
    assert colleague.user.full_name in page.text

    # Posting again changes nothing: a message says the scores are locked.
    again = client.post(assess_url, score_post(criteria, (1, 1, 1)), follow=True)
    assert 'role="alert"' in again.text
    assert sorted(assessment.scores.values_list("score", flat=True)) == [5, 7, 8]


def test_scores_outside_the_scale_or_without_motivation_are_refused_and_kept(
    setting, verified_client
):
    seat = setting["members"][0]
    proposal = setting["proposals"][0]
    criteria = setting["criteria"]
    assign(setting, seat, proposal)
    cleared(seat, [proposal])
    client = verified_client(seat.user)
    client.cookies["django_language"] = "en"
    assess_url = url("assess", seat_pk=seat.pk, proposal_pk=proposal.pk)

    for action in ("save", "submit"):
        response = client.post(
            assess_url,
            score_post(criteria, (11, 0, 5), ["Te hoog", "Te laag", "Prima"], action=action),
        )
        assert response.status_code == 200
        assert "Give a whole number from 1 to 10." in response.text
        assert f'id="id_score_{criteria[0].pk}_error"' in response.text
        assert f'id="id_score_{criteria[1].pk}_error"' in response.text
        assert 'value="11"' in response.text
        assert "Te hoog" in response.text
        assert "Prima" in response.text

    # A motivation with no score cannot be stored as a draft: refused, not dropped.
    response = client.post(
        assess_url,
        {
            "save": "1",
            f"score_{criteria[0].pk}": "",
            f"motivation_{criteria[0].pk}": "Lang verhaal",
        },
    )
    assert response.status_code == 200
    assert f'id="id_score_{criteria[0].pk}_error"' in response.text
    assert "Lang verhaal" in response.text

    # Scores without motivations cannot be submitted.
    response = client.post(assess_url, score_post(criteria, (5, 5, 5), ["", "", ""]))
    assert response.status_code == 200
    assert f'id="id_motivation_{criteria[0].pk}_error"' in response.text
    assert not CriterionScore.objects.exists()


def test_chair_reopens_with_a_reason_and_the_member_edits_again(setting, verified_client):
    seat = setting["members"][0]
    chair = setting["chair"]
    proposal = setting["proposals"][0]
    assignment = assign(setting, seat, proposal)
    cleared(seat, [proposal])
    cleared(chair, [proposal])
    assessment = scored(setting, assignment, (4, 4, 4))
    client = verified_client(chair.user)

    page = client.get(url("consensus", seat_pk=chair.pk, proposal_pk=proposal.pk))
    assert page.status_code == 200
    assert f'data-testid="assessment-{assessment.pk}"' in page.text
    assert seat.user.full_name in page.text
    reopen_url = url("reopen", seat_pk=chair.pk, assessment_pk=assessment.pk)
    assert client.get(reopen_url).status_code == 405

    refused = client.post(reopen_url, {f"reopen{assessment.pk}-reason": "  "})
    assert refused.status_code == 200
    assert f'id="id_reopen{assessment.pk}-reason_error"' in refused.text
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED

    reason = {f"reopen{assessment.pk}-reason": "Typefout bij haalbaarheid"}
    reopened = client.post(reopen_url, reason)
    assert reopened["Location"] == url("consensus", seat_pk=chair.pk, proposal_pk=proposal.pk)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.reopened_reason == "Typefout bij haalbaarheid"

    member = verified_client(seat.user)
    assess_url = url("assess", seat_pk=seat.pk, proposal_pk=proposal.pk)
    page = member.get(assess_url)
    assert 'data-testid="reopened"' in page.text
    assert "Typefout bij haalbaarheid" in page.text
    assert 'value="4"' in page.text  # the earlier scores are there to correct
    assert member.post(assess_url, score_post(setting["criteria"], (4, 6, 4))).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert sorted(assessment.scores.values_list("score", flat=True)) == [4, 4, 6]


def test_only_the_chair_can_reopen(setting, verified_client):
    seat, other = setting["members"][:2]
    proposal = setting["proposals"][0]
    cleared(seat, [proposal])
    assessment = scored(setting, assign(setting, seat, proposal), (4, 4, 4))
    cleared(other, [proposal])
    client = verified_client(other.user)
    response = client.post(
        url("reopen", seat_pk=other.pk, assessment_pk=assessment.pk),
        {f"reopen{assessment.pk}-reason": "Wil ik"},
    )
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


# --- Who sees a proposal ----------------------------------------------------------------------


def test_a_conflicted_member_gets_404_on_the_proposal_and_its_documents(setting, verified_client):
    seat = setting["members"][0]
    proposal = setting["proposals"][0]
    assign(setting, seat, proposal)
    attachment = proposal.attachments.first()
    client = verified_client(seat.user)
    client.post(url("code_of_conduct", seat_pk=seat.pk), {"accept": "on"})
    client.post(
        url("declare", seat_pk=seat.pk, proposal_pk=proposal.pk),
        {f"p{proposal.pk}-decision": "conflict", f"p{proposal.pk}-explanation": "Mijn broer"},
    )
    assert ConflictDeclaration.objects.get(member=seat, proposal=proposal).has_conflict

    assert client.get(url("assess", seat_pk=seat.pk, proposal_pk=proposal.pk)).status_code == 404
    document = url(
        "assessment_attachment",
        seat_pk=seat.pk,
        proposal_pk=proposal.pk,
        attachment_pk=attachment.pk,
    )
    assert client.get(document).status_code == 404
    listing = client.get(url("declarations", seat_pk=seat.pk))
    assert 'data-testid="declared-conflict"' in listing.text


def test_an_undeclared_or_unassigned_member_gets_404(setting, verified_client):
    seat = setting["members"][0]
    first, second = setting["proposals"][:2]
    assign(setting, seat, first)
    code_of_conduct_accept(member=seat, actor=seat.user)
    client = verified_client(seat.user)
    # Assigned, code accepted, but not declared yet.
    assert client.get(url("assess", seat_pk=seat.pk, proposal_pk=first.pk)).status_code == 404
    # Declared no conflict, but not assigned (and not the chair).
    conflict_declare(member=seat, proposal=second, actor=seat.user, has_conflict=False)
    assert client.get(url("assess", seat_pk=seat.pk, proposal_pk=second.pk)).status_code == 404
    # The chair reads every proposal once declared, without being assigned.
    chair = setting["chair"]
    cleared(chair, [second])
    chair_client = verified_client(chair.user)
    page = chair_client.get(url("assess", seat_pk=chair.pk, proposal_pk=second.pk))
    assert page.status_code == 200
    assert 'data-testid="not-assigned"' in page.text


def test_the_document_is_served_to_a_cleared_member(setting, verified_client):
    seat = setting["members"][0]
    proposal = setting["proposals"][0]
    assign(setting, seat, proposal)
    cleared(seat, [proposal])
    attachment = proposal.attachments.first()
    client = verified_client(seat.user)
    response = client.get(
        url(
            "assessment_attachment",
            seat_pk=seat.pk,
            proposal_pk=proposal.pk,
            attachment_pk=attachment.pk,
        )
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    # Another proposal's document through this proposal's address: not found.
    foreign = setting["proposals"][1].attachments.first()
    response = client.get(
        url(
            "assessment_attachment",
            seat_pk=seat.pk,
            proposal_pk=proposal.pk,
            attachment_pk=foreign.pk,
        )
    )
    assert response.status_code == 404


def test_a_member_of_another_committee_gets_404_everywhere(setting, verified_client):
    elsewhere = build_committee(1, members=1)
    outsider = elsewhere["chair"]  # a chair, cleared for everything in their own committee
    cleared(outsider, elsewhere["proposals"])
    seat, chair = setting["members"][0], setting["chair"]
    proposal = setting["proposals"][0]
    assignment = assign(setting, seat, proposal)
    cleared(seat, [proposal])
    assessment = scored(setting, assignment, (5, 5, 5))
    attachment = proposal.attachments.first()
    client = verified_client(outsider.user)

    foreign_seat_urls = [
        url("code_of_conduct", seat_pk=seat.pk),
        url("declarations", seat_pk=seat.pk),
        url("declare", seat_pk=seat.pk, proposal_pk=proposal.pk),
        url("assess", seat_pk=seat.pk, proposal_pk=proposal.pk),
        url(
            "assessment_attachment",
            seat_pk=seat.pk,
            proposal_pk=proposal.pk,
            attachment_pk=attachment.pk,
        ),
        url("ranking", seat_pk=chair.pk),
        url("consensus", seat_pk=chair.pk, proposal_pk=proposal.pk),
        url("advice", seat_pk=chair.pk),
        url("advice_pdf", seat_pk=chair.pk),
    ]
    # And this committee's objects through the outsider's own (chair) seat.
    own_seat_urls = [
        url("declare", seat_pk=outsider.pk, proposal_pk=proposal.pk),
        url("assess", seat_pk=outsider.pk, proposal_pk=proposal.pk),
        url(
            "assessment_attachment",
            seat_pk=outsider.pk,
            proposal_pk=proposal.pk,
            attachment_pk=attachment.pk,
        ),
        url("consensus", seat_pk=outsider.pk, proposal_pk=proposal.pk),
    ]
    for address in foreign_seat_urls + own_seat_urls:
        assert client.get(address).status_code == 404, address
    for address in (
        url("reopen", seat_pk=chair.pk, assessment_pk=assessment.pk),
        url("reopen", seat_pk=outsider.pk, assessment_pk=assessment.pk),
    ):
        assert client.post(address, {f"reopen{assessment.pk}-reason": "x"}).status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert not ConflictDeclaration.objects.filter(member=outsider, proposal=proposal).exists()


def test_blind_assessment_hides_the_company_and_the_team(verified_client):
    setting = build_committee(2, blind_assessment=True)
    seat, chair = setting["members"][0], setting["chair"]
    proposal = setting["proposals"][0]
    proposal.consortium_partners = "Partner Bouw B.V. (KvK 12345678)"
    proposal.save()
    assign(setting, seat, proposal)
    cleared(seat, [proposal])
    cleared(chair, [proposal])
    company = proposal.company

    page = verified_client(seat.user).get(url("assess", seat_pk=seat.pk, proposal_pk=proposal.pk))
    assert page.status_code == 200
    assert CONTENT in page.text
    assert 'data-testid="blind"' in page.text
    assert company.name not in page.text
    assert company.kvk_number not in page.text
    assert TEAM not in page.text
    assert "Partner Bouw" not in page.text
    assert proposal.created_by.full_name not in page.text

    chair_client = verified_client(chair.user)
    for address in (
        url("ranking", seat_pk=chair.pk),
        url("consensus", seat_pk=chair.pk, proposal_pk=proposal.pk),
        url("advice", seat_pk=chair.pk),
    ):
        response = chair_client.get(address)
        assert response.status_code == 200
        assert company.name not in response.text, address

    # Without blind assessment the same page names the company and the team.
    open_setting = build_committee(1)
    seat = open_setting["members"][0]
    proposal = open_setting["proposals"][0]
    assign(open_setting, seat, proposal)
    cleared(seat, [proposal])
    page = verified_client(seat.user).get(url("assess", seat_pk=seat.pk, proposal_pk=proposal.pk))
    assert proposal.company.name in page.text
    assert TEAM in page.text


def test_the_answers_to_the_calls_questions_are_shown_from_their_snapshots(
    setting, verified_client
):
    seat = setting["members"][0]
    proposal = setting["proposals"][0]
    Proposal.objects.filter(pk=proposal.pk).update(
        answers=[
            {
                "question": {"id": 1, "text": "Hoeveel FTE?", "kind": "number", "choices": []},
                "answer": "3.5",
            },
            {
                "question": {"id": 2, "text": "Bent u een mkb?", "kind": "yes_no", "choices": []},
                "answer": True,
            },
            {
                "question": {"id": 3, "text": "Toelichting?", "kind": "text", "choices": []},
                "answer": "",
            },
        ]
    )
    assign(setting, seat, proposal)
    cleared(seat, [proposal])
    client = verified_client(seat.user)
    client.cookies["django_language"] = "en"
    page = client.get(url("assess", seat_pk=seat.pk, proposal_pk=proposal.pk))
    answers = page.text[page.text.index('data-testid="answers"') :]
    assert "Hoeveel FTE?</dt><dd>3.5</dd>" in answers
    assert "Bent u een mkb?</dt><dd>Yes</dd>" in answers
    assert "Toelichting?</dt><dd>–</dd>" in answers


# --- The chair's pages ------------------------------------------------------------------------


def test_ranking_shows_weighted_scores_thresholds_consensus_and_a_flagged_spread(
    setting, verified_client
):
    chair = setting["chair"]
    low, high = setting["members"][:2]
    impact, feasibility, economy = setting["criteria"]
    feasibility.threshold = 5
    feasibility.save()
    a, b, c, _d = setting["proposals"]
    for seat in (chair, low, high):
        cleared(seat, setting["proposals"])
    # a: two assessors far apart on every criterion -> mean 5.50 and a flagged spread.
    scored(setting, assign(setting, low, a), (2, 2, 2))
    scored(setting, assign(setting, high, a), (9, 9, 9))
    # b: consensus 8/8/8; c: below the minimum on feasibility; d: not scored at all.
    for proposal, values in ((b, (8, 8, 8)), (c, (9, 4, 9))):
        for criterion, value in zip(setting["criteria"], values, strict=True):
            consensus_record(
                proposal=proposal,
                actor=chair.user,
                criterion_id=criterion.pk,
                score=value,
                motivation="Besproken",
            )

    client = verified_client(chair.user)
    page = client.get(url("ranking", seat_pk=chair.pk))
    html = page.text
    assert page.status_code == 200
    assert f'data-testid="spread-{a.pk}-{impact.pk}"' in html
    assert f'data-testid="spread-{b.pk}-{impact.pk}"' not in html
    assert f'data-testid="consensus-{b.pk}-{economy.pk}"' in html
    assert f'data-testid="consensus-{a.pk}-{economy.pk}"' not in html
    # Ranks: b first, a second; c and d are not eligible.
    assert html.index(f'data-testid="row-{b.pk}"') < html.index(f'data-testid="row-{a.pk}"')
    assert html.index(f'data-testid="row-{a.pk}"') < html.index(f'data-testid="row-{c.pk}"')
    client.cookies["django_language"] = "en"
    html = client.get(url("ranking", seat_pk=chair.pk)).text
    assert f'<td class="utrecht-table__cell" data-testid="weighted-{b.pk}">8.00</td>' in html
    assert f'data-testid="weighted-{a.pk}">5.50<' in html
    assert f'data-testid="rank-{b.pk}">1<' in html
    assert f'data-testid="rank-{a.pk}">2<' in html
    assert f'data-testid="rank-{c.pk}">–<' in html
    assert "Below the minimum of 5" in html
    assert "Not yet scored on every criterion." in html
    assert "Minimum on" in html


def _queries(client, address) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries.captured_queries)


def _scored_committee(n: int) -> dict:
    setting = build_committee(n, members=2)
    chair, first, second = setting["chair"], *setting["members"]
    for seat in (chair, first, second):
        cleared(seat, setting["proposals"])
    for index, proposal in enumerate(setting["proposals"]):
        scored(setting, assign(setting, first, proposal), (3, 5, 7))
        scored(setting, assign(setting, second, proposal), (9, 6, 7))
        if index % 2:
            consensus_record(
                proposal=proposal,
                actor=chair.user,
                criterion_id=setting["criteria"][0].pk,
                score=6,
                motivation="Besproken",
            )
    return setting


def test_ranking_and_advice_pages_cost_the_same_queries_for_5_or_30_proposals(
    verified_client, django_assert_num_queries
):
    few = _scored_committee(5)
    client = verified_client(few["chair"].user)
    counts = {
        name: _queries(client, url(name, seat_pk=few["chair"].pk)) for name in ("ranking", "advice")
    }

    many = _scored_committee(30)
    client = verified_client(many["chair"].user)
    for name, count in counts.items():
        with django_assert_num_queries(count):
            response = client.get(url(name, seat_pk=many["chair"].pk))
        assert response.status_code == 200
        assert response.text.count('data-testid="row-') == 30


def test_committee_home_lists_seats_with_progress_in_constant_queries(
    setting, verified_client, django_assert_num_queries
):
    seat = setting["members"][0]
    first, second, third = setting["proposals"][:3]
    cleared(seat, [first, second])
    scored(setting, assign(setting, seat, first), (5, 5, 5))
    assign(setting, seat, second)
    assign(setting, seat, third)  # not declared yet
    client = verified_client(seat.user)
    page = client.get(url("committee_home"))
    assert page.status_code == 200
    html = page.text
    assert url("assess", seat_pk=seat.pk, proposal_pk=first.pk) in html
    assert url("assess", seat_pk=seat.pk, proposal_pk=third.pk) not in html
    assert 'data-testid="progress">1 ' in html.replace("\n", "")
    assert 'data-testid="pending">2' in html  # four proposals, two declared
    assert 'data-testid="chair-links"' not in html
    count = _queries(client, url("committee_home"))

    # More committees, proposals and assignments: the same number of queries.
    for _ in range(2):
        other = build_committee(3, members=1)
        extra = committee_member_add(
            committee=other["committee"],
            actor=other["officer"],
            user=seat.user,
            role=CommitteeMember.Role.MEMBER,
        )
        cleared(extra, other["proposals"])
        for proposal in other["proposals"]:
            scored(other, assign(other, extra, proposal), (6, 6, 6), submit=False)
    with django_assert_num_queries(count):
        page = client.get(url("committee_home"))
    assert page.text.count('data-testid="seat-') == 3

    chair = setting["chair"]
    chair_page = verified_client(chair.user).get(url("committee_home"))
    assert url("ranking", seat_pk=chair.pk) in chair_page.text
    assert url("advice", seat_pk=chair.pk) in chair_page.text


def test_chair_records_consensus_and_bad_input_is_kept(setting, verified_client):
    chair = setting["chair"]
    seat = setting["members"][0]
    proposal = setting["proposals"][0]
    impact = setting["criteria"][0]
    cleared(chair, [proposal])
    cleared(seat, [proposal])
    scored(setting, assign(setting, seat, proposal), (6, 7, 8), motivation="Lid zegt")
    client = verified_client(chair.user)
    address = url("consensus", seat_pk=chair.pk, proposal_pk=proposal.pk)
    page = client.get(address)
    assert "Lid zegt" in page.text  # the members' submitted motivations side by side
    prefix = f"c{impact.pk}"

    bad = client.post(
        address,
        {
            "criterion": impact.pk,
            f"{prefix}-score": "12",
            f"{prefix}-motivation": "",
            f"{prefix}-minority_view": "Jan is het oneens",
        },
    )
    assert bad.status_code == 200
    assert f'id="id_{prefix}-score_error"' in bad.text
    assert f'id="id_{prefix}-motivation_error"' in bad.text
    assert "Jan is het oneens" in bad.text
    assert 'value="12"' in bad.text
    assert not ConsensusScore.objects.exists()

    good = client.post(
        address,
        {
            "criterion": impact.pk,
            f"{prefix}-score": "7",
            f"{prefix}-motivation": "Na bespreking",
            f"{prefix}-minority_view": "Jan is het oneens",
        },
    )
    assert good["Location"] == address
    consensus = ConsensusScore.objects.get(proposal=proposal, criterion=impact)
    assert (consensus.score, consensus.minority_view) == (7, "Jan is het oneens")
    page = client.get(address)
    assert f'data-testid="consensus-score-{impact.pk}">7<' in page.text
    # A criterion of another call cannot be posted here.
    foreign = build_committee(1, members=1)["criteria"][0]
    assert client.post(address, {"criterion": foreign.pk}).status_code == 404


def test_chair_signs_the_advice_and_downloads_its_pdf(setting, verified_client):
    chair = setting["chair"]
    phase = setting["phase"]
    phase.planned_awards = 1
    phase.save()
    a, b, c, _d = setting["proposals"]
    cleared(chair, setting["proposals"])
    for seat in setting["members"]:
        code_of_conduct_accept(member=seat, actor=seat.user)
    for proposal in (a, b):
        for criterion in setting["criteria"]:
            consensus_record(
                proposal=proposal,
                actor=chair.user,
                criterion_id=criterion.pk,
                score=8 if proposal == a else 6,
                motivation="Besproken",
            )
    client = verified_client(chair.user)
    address = url("advice", seat_pk=chair.pk)
    page = client.get(address)
    assert page.status_code == 200
    assert f'id="select-{a.pk}"' in page.text
    assert f'id="select-{c.pk}"' not in page.text  # not scored: not eligible

    for data in (
        {"selected": [c.pk], "confirmed": "1"},  # not eligible
        {"selected": [a.pk, b.pk], "confirmed": "1"},  # more than planned
    ):
        refused = client.post(address, data)
        assert refused.status_code == 200
        assert 'data-testid="error-summary"' in refused.text
        assert not Advice.objects.exists()

    # Not confirmed yet: the confirmation page, with the selection; nothing is signed.
    asked = client.post(address, {"selected": [a.pk], "remarks": "Unaniem"})
    assert asked.status_code == 200
    assert 'data-testid="confirm-summary"' in asked.text
    assert a.submission_number in asked.text
    assert "Unaniem" in asked.text
    assert not Advice.objects.exists()
    # "Change" goes back to the form as it was filled in.
    revised = client.post(address, {"selected": [a.pk], "remarks": "Unaniem", "revise": "1"})
    assert 'data-testid="advice-form"' in revised.text
    assert "Unaniem" in revised.text
    assert f'id="select-{a.pk}" value="{a.pk}" aria-describedby="ranked-{a.pk}" checked' in (
        revised.text
    )
    assert not Advice.objects.exists()

    signed = client.post(address, {"selected": [a.pk], "remarks": "Unaniem", "confirmed": "1"})
    assert signed["Location"] == address
    advice = Advice.objects.get()
    assert list(advice.selected.all()) == [a]
    page = client.get(address)
    assert 'data-testid="signed"' in page.text
    assert 'data-testid="advice-form"' not in page.text
    assert "Unaniem" in page.text
    # Signing twice is refused; the advice stays as it was.
    client.post(address, {"selected": [b.pk], "confirmed": "1"})
    assert list(Advice.objects.get().selected.all()) == [a]

    response = client.get(url("advice_pdf", seat_pk=chair.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) >= 1
    text = "".join(p.extract_text() for p in reader.pages)
    assert setting["call"].reference in text
    assert a.submission_number in text
    # A4 landscape, so every criterion's column fits; scores in Dutch notation (7,00).
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert re.search(r"\d,\d\d", text)
    assert not re.search(r"\b\d+\.\d\d\b", text)

    # The officers of the call's authority may download it as well; nobody else.
    colleague = person_with_role(Role.PROCUREMENT_OFFICER, organisation=setting["call"].authority)
    assert verified_client(colleague).get(url("advice_pdf", seat_pk=chair.pk)).status_code == 200
    for outsider in (
        officer_of(),
        setting["members"][0].user,
        person_with_role(Role.MINISTRY_STAFF),
    ):
        response = verified_client(outsider).get(url("advice_pdf", seat_pk=chair.pk))
        assert response.status_code == 404
    # Through a member's seat: no advice there.
    officer = verified_client(setting["officer"])
    member_seat = setting["members"][0]
    assert officer.get(url("advice_pdf", seat_pk=member_seat.pk)).status_code == 404


def test_advice_pdf_before_signing_is_not_found(setting, verified_client):
    chair = setting["chair"]
    assert verified_client(chair.user).get(url("advice_pdf", seat_pk=chair.pk)).status_code == 404


# --- Access -----------------------------------------------------------------------------------


def test_an_independent_expert_must_pass_the_second_factor(setting, client):
    expert = UserFactory()  # no organisation: no role asks for two-factor by itself
    seat = committee_member_add(
        committee=setting["committee"],
        actor=setting["officer"],
        user=expert,
        role=CommitteeMember.Role.MEMBER,
    )
    assert seat.is_independent
    client.force_login(expert)
    for address in (url("committee_home"), url("code_of_conduct", seat_pk=seat.pk)):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.fixture
def matrix(setting):
    """Everything every committee page needs, so that the owner of each seat gets 200."""
    chair, seat = setting["chair"], setting["members"][0]
    other = setting["members"][1]
    proposal = setting["proposals"][0]
    assignment = assign(setting, seat, proposal)
    cleared(seat, setting["proposals"])
    cleared(chair, setting["proposals"])
    cleared(other, setting["proposals"])
    assessment = scored(setting, assignment, (6, 6, 6))
    attachment = proposal.attachments.first()
    return {
        **setting,
        "seat": seat,
        "other": other,
        "proposal": proposal,
        "assessment": assessment,
        "attachment": attachment,
    }


MEMBER_PAGES = [
    ("code_of_conduct", {}),
    ("seat_assignments", {}),
    ("declarations", {}),
    ("declare", {"proposal_pk": "proposal"}),
    ("assess", {"proposal_pk": "proposal"}),
    ("assessment_attachment", {"proposal_pk": "proposal", "attachment_pk": "attachment"}),
]
CHAIR_PAGES = [
    ("ranking", {}),
    ("consensus", {"proposal_pk": "proposal"}),
    ("advice", {}),
]
PEOPLE = ["anonymous", "applicant", "ministry", "officer", "other_officer", "other_member"]


def _person(matrix, who):
    return {
        # Someone of the very company whose proposal is assessed.
        "applicant": lambda: applicant(company=matrix["proposal"].company),
        "ministry": lambda: person_with_role(Role.MINISTRY_STAFF),
        "officer": lambda: matrix["officer"],
        "other_officer": officer_of,
        "other_member": lambda: matrix["other"].user,
    }[who]()


def _address(matrix, name, kwargs, seat):
    resolved = {key: matrix[value].pk for key, value in kwargs.items()}
    return url(name, seat_pk=seat.pk, **resolved)


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(("name", "kwargs"), MEMBER_PAGES + CHAIR_PAGES)
def test_permission_matrix_of_the_pages(matrix, client, verified_client, who, name, kwargs):
    seat = matrix["chair"] if (name, kwargs) in CHAIR_PAGES else matrix["seat"]
    address = _address(matrix, name, kwargs, seat)
    if who == "anonymous":
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    person = _person(matrix, who)
    if who == "applicant":
        client.force_login(person)
    else:
        verified_client(person)
    assert client.get(address).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), MEMBER_PAGES + CHAIR_PAGES)
def test_the_owner_of_the_seat_gets_each_page(matrix, verified_client, name, kwargs):
    seat = matrix["chair"] if (name, kwargs) in CHAIR_PAGES else matrix["seat"]
    client = verified_client(seat.user)
    assert client.get(_address(matrix, name, kwargs, seat)).status_code == 200
    if (name, kwargs) in CHAIR_PAGES:
        # A member's own seat does not open the chair's pages.
        member = verified_client(matrix["seat"].user)
        assert member.get(_address(matrix, name, kwargs, matrix["seat"])).status_code == 404


@pytest.mark.parametrize("who", [*PEOPLE, "member"])
def test_only_the_chair_reopens_through_the_page(matrix, client, verified_client, who):
    assessment = matrix["assessment"]
    address = url("reopen", seat_pk=matrix["chair"].pk, assessment_pk=assessment.pk)
    data = {f"reopen{assessment.pk}-reason": "Graag nog eens"}
    if who == "anonymous":
        assert client.post(address, data)["Location"].startswith(reverse("login"))
    else:
        person = matrix["seat"].user if who == "member" else _person(matrix, who)
        if who == "applicant":
            client.force_login(person)
        else:
            verified_client(person)
        assert client.post(address, data).status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    chair = verified_client(matrix["chair"].user)
    assert chair.post(address, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_committee_home_is_not_for_people_without_a_seat(client, verified_client):
    assert client.get(url("committee_home"))["Location"].startswith(reverse("login"))
    client.force_login(applicant())
    assert client.get(url("committee_home")).status_code == 404
    for person in (officer_of(), person_with_role(Role.MINISTRY_STAFF)):
        assert verified_client(person).get(url("committee_home")).status_code == 404
    # An assessor not (yet) on a committee gets an empty page, not an error.
    assessor = person_with_role(Role.ASSESSOR)
    assert verified_client(assessor).get(url("committee_home")).status_code == 200


def test_the_chairs_ranking_shows_a_page_at_a_time(verified_client, monkeypatch):
    from proposals.selectors.ranking import ranking_for_seat
    from proposals.views import chair as chair_views

    monkeypatch.setattr(chair_views, "RANKING_PAGE_SIZE", 3)
    setting = _scored_committee(7)
    chair = setting["chair"]
    client = verified_client(chair.user)
    address = url("ranking", seat_pk=chair.pk)
    expected = [(row.proposal.pk, row.rank) for row in ranking_for_seat(chair)]
    shown = []
    for number in (1, 2, 3):
        response = client.get(address, {"page": number})
        assert response.status_code == 200
        shown += [(item["row"].proposal.pk, item["row"].rank) for item in response.context["rows"]]
        html = response.text
        # The caption counts the whole ranking, not the page.
        assert response.context["rows_total"] == 7
        assert re.search(r"<caption[^>]*>\s*7 ", html)
        if number < 3:
            assert f"page={number + 1}" in html
    # The pages together are the ranking, ranks running on across pages.
    assert shown == expected
    ranks = [rank for _pk, rank in shown if rank is not None]
    assert ranks == list(range(1, len(ranks) + 1))
    assert ranks
    # Not a number is the first page, out of range the last (Paginator.get_page, as elsewhere).
    assert client.get(address, {"page": "x"}).context["page_obj"].number == 1
    assert client.get(address, {"page": "99"}).context["page_obj"].number == 3


def test_a_members_assignments_page_by_page_and_by_state(
    setting, verified_client, monkeypatch, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals.selectors import assessment as assessment_selectors
    from proposals.views import assessor as assessor_views

    monkeypatch.setattr(assessor_views, "ASSIGNMENTS_PAGE_SIZE", 2)
    monkeypatch.setattr(assessment_selectors, "OVERVIEW_ASSIGNMENTS", 2)
    seat = setting["members"][0]
    first, second, third, fourth = setting["proposals"]
    cleared(seat, [first, second, third], conflicts=[third])
    scored(setting, assign(setting, seat, first), (5, 5, 5))
    scored(setting, assign(setting, seat, second), (6, 6, 6), submit=False)
    assign(setting, seat, fourth)  # not declared yet
    client = verified_client(seat.user)
    address = url("seat_assignments", seat_pk=seat.pk)

    response = client.get(address)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 3  # never the conflicted one
    assert "page=2" in response.text
    shown = [a.proposal_id for a in response.context["page_obj"]]
    shown += [a.proposal_id for a in client.get(address, {"page": 2}).context["page_obj"]]
    assert shown == [first.pk, second.pk, fourth.pk]

    for state, expected in (("todo", [fourth]), ("draft", [second]), ("submitted", [first])):
        response = client.get(address, {"state": state})
        assert [a.proposal_id for a in response.context["page_obj"]] == [p.pk for p in expected]
    # Not a state: nothing narrowed; a bad page is the first (not a number) or the last.
    assert client.get(address, {"state": "x"}).context["page_obj"].paginator.count == 3
    assert client.get(address, {"page": "x"}).context["page_obj"].number == 1
    assert client.get(address, {"page": "9"}).context["page_obj"].number == 2
    # The filter stays on the pagination's links.
    assert client.get(address, {"state": "todo"}).context["querystring_base"] == "state=todo"
    assert client.get(address, {"state": "x"}).context["querystring_base"] == ""

    # The overview lists the first two and links to all three; the page costs the same
    # queries for more assignments.
    home = client.get(url("committee_home"))
    assert home.text.count(url("assess", seat_pk=seat.pk, proposal_pk=first.pk)) == 1
    assert 'data-testid="all-assignments"' in home.text
    assert len(home.context["seats"][0].assignment_rows) == 2
    assert home.context["seats"][0].assignments_total == 3
    pages = (address, url("committee_home"))
    counts = {}
    for page in pages:
        with CaptureQueriesContext(connection) as few:
            client.get(page)
        counts[page] = len(few)
    other = build_committee(3, members=0)
    Proposal.objects.filter(pk__in=[p.pk for p in other["proposals"]]).update(
        phase=setting["phase"], call=setting["call"]
    )
    for proposal in other["proposals"]:
        Assignment.objects.create(member=seat, proposal=proposal)
    for page in pages:
        with django_assert_num_queries(counts[page]):
            response = client.get(page)
    assert response.context["seats"][0].assignments_total == 6
