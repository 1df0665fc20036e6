"""The standstill: a decision is intended first, an objection holds up the contract, and the
company sees its own scores — through the pages, the API and the beat task."""

from datetime import UTC, date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader
from time_machine import escape_hatch

from calls.models import Call
from calls.services.lifecycle import standstill_problem
from portal.exceptions import DomainError, NotAllowed
from proposals.models import ConsensusScore, Contract, Decision, Objection, Proposal
from proposals.services.decisions import decisions_finalise_due, proposal_award, proposal_reject
from proposals.services.letters import decision_letter_make
from proposals.services.objections import objection_dismiss, objection_lodge
from proposals.tasks import finalise_decisions
from tests.proposals.factories import applicant, pdf_upload
from tests.proposals.test_api import client_for
from tests.proposals.test_officer_pages import (  # noqa: F401  (fixtures)
    advised,
    assessing,
    officer_client,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def standstill(advised):  # noqa: F811
    """The advised phase of a call with a standstill period of 20 days."""
    Call.objects.filter(pk=advised.call.pk).update(standstill_days=20, standstill_reason="")
    for proposal in advised.proposals:
        proposal.call.standstill_days = 20
    return advised


def receipt_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def days_later(days: int):
    return time_machine.travel(timezone.now() + timedelta(days=days))


def award_first(world) -> Decision:
    return proposal_award(
        proposal=world.proposals[0], actor=world.officer, motivation="Het sterkste plan"
    )


def reject_the_rest(world, *, decided: int) -> None:
    """The phase's other proposals get their intended rejection: only then do the letters go
    out and can the decisions become final."""
    for proposal in world.proposals[decided:]:
        proposal_reject(proposal=proposal, actor=world.officer, motivation="Minder sterk")


def reject_second(world) -> Decision:
    return proposal_reject(
        proposal=world.proposals[1], actor=world.officer, motivation="Minder vernieuwend"
    )


# --- The rule of the period ------------------------------------------------------------------


def test_a_partnership_needs_twenty_days_and_a_shorter_sbir_period_a_reason():
    partnership = Call.Instrument.INNOVATION_PARTNERSHIP
    assert standstill_problem(instrument=partnership, days=19, reason="Spoed")
    assert standstill_problem(instrument=partnership, days=20) is None
    assert standstill_problem(instrument=Call.Instrument.SBIR, days=0)
    assert (
        standstill_problem(instrument=Call.Instrument.SBIR, days=0, reason="Kleine opdracht")
        is None
    )
    assert standstill_problem(instrument=Call.Instrument.PRIZE_COMPETITION, days=20) is None


def test_the_call_form_refuses_a_short_period_for_a_partnership():
    from calls.forms.calls import CallEditForm
    from tests.calls.factories import draft_call

    call = draft_call(instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
    data = {
        name: getattr(call, name)
        for name in ("title", "challenge", "contact_name", "contact_email", "total_budget")
    }
    data.update(
        deadline=call.deadline.strftime("%Y-%m-%dT%H:%M"),
        questions_deadline=call.questions_deadline.strftime("%Y-%m-%dT%H:%M"),
        participation_deadline=call.participation_deadline.strftime("%Y-%m-%dT%H:%M"),
        max_partners=3,
        tie_break=call.tie_break,
        standstill_days=10,
        standstill_reason="Haast",
    )
    form = CallEditForm(data, instance=call)
    assert not form.is_valid()
    assert "standstill_days" in form.errors


# --- Intended, then final -----------------------------------------------------------------------


def test_an_intended_award_makes_the_contract_only_after_the_standstill(standstill):
    decision = award_first(standstill)
    with days_later(21):
        assert decisions_finalise_due() == 0  # the other companies have had no letter yet
    reject_the_rest(standstill, decided=1)

    assert decision.is_intended
    assert decision.standstill_days == 20
    assert decision.standstill_ends_on == timezone.localdate() + timedelta(days=20)
    assert not Contract.objects.exists()
    assert Proposal.objects.get(pk=decision.proposal_id).awaits_decision
    with days_later(20):
        assert decisions_finalise_due() == 0  # the last day of the period still counts
    with days_later(21):
        assert finalise_decisions() == 3
    decision.refresh_from_db()
    assert decision.is_final
    contract = Contract.objects.get(proposal_id=decision.proposal_id)
    assert contract.amount == decision.amount
    assert Proposal.objects.get(pk=decision.proposal_id).is_awarded


def test_an_intended_award_holds_its_place_and_its_money(standstill):
    decision = award_first(standstill)
    phase = standstill.phase
    phase.refresh_from_db()
    with pytest.raises(DomainError) as twice:
        award_first(standstill)
    assert twice.value.code == "decided"
    from proposals.selectors.capacity import phase_capacity

    capacity = phase_capacity(phase)
    assert capacity.awarded == 1
    assert capacity.budget_left == phase.budget - decision.amount


def test_an_open_objection_holds_up_the_contract_until_it_is_dismissed(
    standstill, django_capture_on_commit_callbacks
):
    """Through the pages: the company objects, the officer dismisses, the beat concludes."""
    decision = award_first(standstill)
    rejection = reject_second(standstill)
    reject_the_rest(standstill, decided=2)
    loser = standstill.proposals[1].person
    company = officer_client(loser)

    page = company.get(reverse("proposals:detail", kwargs={"pk": rejection.proposal_id}))
    assert b'data-testid="standstill"' in page.content
    assert b'data-testid="object"' in page.content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = company.post(
            reverse("proposals:objection_lodge", kwargs={"pk": rejection.proposal_id}),
            {"text": "De beoordeling van criterium 2 klopt niet.", "documents": [pdf_upload()]},
        )
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert objection.is_open
    assert objection.documents.count() == 1
    assert objection.decision_id == rejection.pk
    (message,) = [m for m in mail.outbox if objection.number in m.subject]
    assert loser.email in message.to
    assert standstill.call.contact_email in message.to
    assert message.attachments[0][2] == "application/pdf"
    receipt = company.get(
        reverse("proposals:objection_receipt", kwargs={"objection_pk": objection.pk})
    )
    assert receipt["Content-Type"] == "application/pdf"
    # The document's fingerprint in two lines of four groups of eight, never broken elsewhere.
    printed = receipt_text(receipt)
    sha256 = objection.documents.get().sha256
    assert " ".join(sha256[start : start + 8] for start in range(0, 32, 8)) in printed
    assert sha256 in "".join(printed.split())

    with days_later(21):
        assert decisions_finalise_due() == 0
    assert not Contract.objects.exists()  # the open objection blocks the whole phase
    decision.refresh_from_db()
    assert decision.is_intended

    officer = officer_client(standstill.officer)
    page = officer.get(
        reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk})
    )
    assert b'data-testid="answer-form"' in page.content
    # The outcome is a group of NL Design System radio buttons with its legend, as in the
    # portal's other forms.
    html = page.content.decode()
    form = html[html.index('data-testid="answer-form"') :]
    assert '<legend class="utrecht-form-fieldset__legend' in form
    assert form.count('class="utrecht-radio-button utrecht-radio-button--html-input"') == 3
    response = officer.post(
        reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk}),
        {"outcome": "dismiss", "answer": "De score is volgens de gepubliceerde schaal gegeven."},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.is_dismissed

    with days_later(21):
        assert decisions_finalise_due() == 3
    assert Contract.objects.get().proposal_id == decision.proposal_id
    assert Proposal.objects.get(pk=rejection.proposal_id).is_rejected


def test_an_upheld_objection_withdraws_the_decisions_through_the_api(standstill):
    decision = award_first(standstill)
    rejection = reject_second(standstill)
    loser = standstill.proposals[1].person

    lodged = client_for(loser).post(
        reverse("api-decision-objections", kwargs={"pk": rejection.pk}),
        {"text": "Ons voorstel is verkeerd gelezen."},
        format="multipart",
    )
    assert lodged.status_code == 201, lodged.content
    objection_id = lodged.json()["id"]
    # The winner may not answer, nor object to someone else's decision.
    other = client_for(standstill.proposals[0].person)
    assert (
        other.post(
            reverse("api-objection-answer", kwargs={"pk": objection_id}),
            {"outcome": "dismiss", "answer": "x"},
        ).status_code
        == 404
    )
    assert (
        other.post(
            reverse("api-decision-objections", kwargs={"pk": rejection.pk}), {"text": "x"}
        ).status_code
        == 404
    )

    answered = client_for(standstill.officer).post(
        reverse("api-objection-answer", kwargs={"pk": objection_id}),
        {"outcome": "uphold", "answer": "Criterium 2 is verkeerd toegepast."},
        format="json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "upheld"
    for row in (decision, rejection):
        row.refresh_from_db()
        assert row.is_withdrawn
        assert "Criterium 2" in row.withdrawal_reason
    again = client_for(standstill.officer).post(
        reverse("api-objection-answer", kwargs={"pk": objection_id}),
        {"outcome": "dismiss", "answer": "Toch niet."},
        format="json",
    )
    assert again.status_code == 409
    assert set(again.json()) >= {"code", "detail"}
    with days_later(30):
        assert decisions_finalise_due() == 0
    assert not Contract.objects.exists()
    # The proposals await a new decision; the officer decides again.
    assert proposal_award(
        proposal=standstill.proposals[1], actor=standstill.officer, motivation="Herzien"
    ).is_intended


def test_an_objection_is_refused_after_the_period_and_by_others(standstill):
    rejection = reject_second(standstill)
    stranger = applicant()
    with pytest.raises(NotAllowed):
        objection_lodge(decision=rejection, actor=stranger, text="Ik ook")
    with days_later(21), pytest.raises(NotAllowed):
        objection_lodge(decision=rejection, actor=standstill.proposals[1].person, text="Te laat")
    with pytest.raises(DomainError) as empty:
        objection_lodge(decision=rejection, actor=standstill.proposals[1].person, text=" ")
    assert empty.value.code == "text"


def test_a_dismissed_objection_cannot_be_answered_twice(standstill):
    rejection = reject_second(standstill)
    objection = objection_lodge(
        decision=rejection, actor=standstill.proposals[1].person, text="Bezwaar"
    )
    objection_dismiss(objection=objection, actor=standstill.officer, answer="Ongegrond")
    response = officer_client(standstill.officer).post(
        reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk}),
        {"outcome": "uphold", "answer": "Toch gegrond"},
    )
    assert response.status_code == 200
    objection.refresh_from_db()
    assert objection.is_dismissed


# --- Feedback: own scores only ------------------------------------------------------------------


def test_a_company_sees_its_own_scores_and_nobody_elses(standstill):
    phase = standstill.phase
    criterion = phase.criteria.first()
    own, other = standstill.proposals[1], standstill.proposals[0]
    for proposal, motivation in ((own, "EIGEN-MOTIVATIE"), (other, "ANDERMANS-MOTIVATIE")):
        ConsensusScore.objects.create(
            proposal=proposal,
            criterion=criterion,
            score=7,
            motivation=motivation,
            recorded_by=standstill.chair.user,
        )
    company = officer_client(own.person)
    before = company.get(reverse("proposals:detail", kwargs={"pk": own.pk}))
    assert b"EIGEN-MOTIVATIE" not in before.content  # nothing before the decision

    award_first(standstill)
    rejection = reject_second(standstill)
    page = company.get(reverse("proposals:detail", kwargs={"pk": own.pk}))
    assert b'data-testid="feedback"' in page.content
    assert b"EIGEN-MOTIVATIE" in page.content
    assert b"ANDERMANS-MOTIVATIE" not in page.content
    assert company.get(reverse("proposals:detail", kwargs={"pk": other.pk})).status_code == 404

    api = client_for(own.person)
    detail = api.get(reverse("api-decision-detail", kwargs={"pk": rejection.pk})).json()
    assert next(row["motivation"] for row in detail["feedback"]) == "EIGEN-MOTIVATIE"
    listed = api.get(reverse("api-decision-list")).json()
    assert [row["id"] for row in listed["results"]] == [rejection.pk]
    winner = Decision.objects.get(proposal=other)
    assert api.get(reverse("api-decision-detail", kwargs={"pk": winner.pk})).status_code == 404
    # The officer reads the decision, but the company's feedback is the company's page.
    officer_view = client_for(standstill.officer).get(
        reverse("api-decision-detail", kwargs={"pk": rejection.pk})
    )
    assert officer_view.status_code == 200
    assert officer_view.json()["feedback"] == []


# --- Where the end date shows ------------------------------------------------------------------


def test_the_standstill_end_shows_to_the_officer_the_company_and_the_public(standstill):
    decision = award_first(standstill)
    end = decision.standstill_ends_on
    officer = officer_client(standstill.officer)
    phase_page = officer.get(
        reverse("proposals:officer_phase", kwargs={"phase_pk": decision.phase_id})
    )
    assert b'data-testid="standstill-end"' in phase_page.content
    decide = officer.get(reverse("proposals:officer_decide", kwargs={"pk": decision.proposal_id}))
    assert b'data-testid="intended"' in decide.content

    from portal.hooks import tasks_for

    kinds = {task["kind"]: task for task in tasks_for(standstill.proposals[0].person)}
    assert kinds["standstill"]["deadline"].date() == end + timedelta(days=1)
    objection = objection_lodge(
        decision=decision, actor=standstill.proposals[0].person, text="Bedrag te laag"
    )
    officer_tasks = {task["kind"] for task in tasks_for(standstill.officer)}
    assert "answer_objection" in officer_tasks
    assert objection.number.startswith("BZW-")

    call = standstill.call
    public = officer_client(applicant()).get(call.get_absolute_url())
    assert b'data-testid="standstill"' in public.content


def test_a_period_of_zero_days_concludes_at_once(advised):  # noqa: F811
    decision = award_first(advised)
    assert decision.is_final
    assert decision.contract is not None
    assert decision.contract.amount == Decimal(decision.amount)


# --- On a real worker ----------------------------------------------------------------------------


@pytest.mark.live_worker
@pytest.mark.django_db(transaction=True)
def test_the_beat_task_on_a_worker_waits_for_the_objection(own_workers, standstill):
    """intended award → objection → the worker's run makes no contract → dismissal → the
    period has passed → the worker's run concludes it.

    A worker of this test alone: the session's worker would remember content types that the
    flush after an earlier transactional test replaced, and its audit entry would fail."""
    own_workers()

    def finalise_on_the_worker() -> int:
        return finalise_decisions.apply_async(queue=own_workers.queue).get(timeout=60)

    decision = award_first(standstill)
    rejection = reject_second(standstill)
    reject_the_rest(standstill, decided=2)
    # A letter dates its decision's standstill from the day it is made, and the worker runs on
    # the real clock: the letters are made here first, dated the real day, so that neither the
    # worker's letter task nor its sending task moves the end this test puts in the past.
    real_today = timezone.localtime(escape_hatch.datetime.datetime.now(tz=UTC)).date()
    for decision_id in Decision.objects.filter(phase=standstill.phase).values_list("pk", flat=True):
        decision_letter_make(decision_id=decision_id, send=False, on=real_today)
    objection = objection_lodge(
        decision=rejection, actor=standstill.proposals[1].person, text="Niet eerlijk beoordeeld"
    )
    # The twenty days have passed: the worker runs on the real clock, while this test runs
    # in the travelled time of its fixtures, so the end is put well in the past.
    Decision.objects.filter(phase=standstill.phase).update(standstill_ends_on=date(2000, 1, 1))

    assert finalise_on_the_worker() == 0
    assert not Contract.objects.exists()
    decision.refresh_from_db()
    assert decision.is_intended

    objection_dismiss(objection=objection, actor=standstill.officer, answer="Ongegrond")
    assert finalise_on_the_worker() == 3
    contract = Contract.objects.get()
    assert contract.proposal_id == decision.proposal_id
    assert Proposal.objects.get(pk=rejection.proposal_id).is_rejected


def test_the_period_runs_from_the_day_the_letters_go_out(
    standstill, django_capture_on_commit_callbacks
):
    """A company decided on early gets the full period too: the letters go out when the last
    proposal of the phase is decided, and every period of the phase runs from that day."""
    first = award_first(standstill)
    assert first.standstill_ends_on == timezone.localdate() + timedelta(days=20)
    with days_later(10):
        last_day = timezone.localdate()
        with django_capture_on_commit_callbacks(execute=False):
            for proposal in standstill.proposals[1:]:
                proposal_reject(proposal=proposal, actor=standstill.officer, motivation="Minder")
    ends = set(
        Decision.objects.filter(phase=standstill.phase).values_list("standstill_ends_on", flat=True)
    )
    assert ends == {last_day + timedelta(days=20)}
    with days_later(21):
        assert decisions_finalise_due() == 0  # the first award's own 20 days are not enough


def test_the_lists_of_decisions_and_objections_cost_the_same_queries_for_more_rows(standstill):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path: str) -> int:
        client = client_for(standstill.officer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    award_first(standstill)
    objection_lodge(
        decision=reject_second(standstill), actor=standstill.proposals[1].person, text="Oneens"
    )
    few = {path: queries(path) for path in ("/api/v1/decisions/", "/api/v1/objections/")}
    third = proposal_reject(
        proposal=standstill.proposals[2], actor=standstill.officer, motivation="Minder sterk"
    )
    objection_lodge(decision=third, actor=standstill.proposals[2].person, text="Ook oneens")
    more = {path: queries(path) for path in few}
    assert more == few


# --- An upheld objection: the other open objections lapse ----------------------------------------


def test_upholding_one_objection_lapses_the_others_and_tells_their_companies(
    standstill, django_capture_on_commit_callbacks
):
    """Two companies object to their rejections; the officer upholds one on the page. The
    phase's decisions are withdrawn, so the other objection has nothing left to contest: it
    lapses with the reason, the officer sees it, and its company hears it by one e-mail."""
    award_first(standstill)
    first = reject_second(standstill)
    reject_the_rest(standstill, decided=2)
    second = Decision.objects.get(proposal=standstill.proposals[2])
    upheld = objection_lodge(
        decision=first, actor=standstill.proposals[1].person, text="Criterium 2 klopt niet."
    )
    moot = objection_lodge(
        decision=second, actor=standstill.proposals[2].person, text="Ook wij zijn benadeeld."
    )
    officer = officer_client(standstill.officer)
    address = reverse("proposals:officer_objection", kwargs={"objection_pk": upheld.pk})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            address,
            {"outcome": "uphold", "answer": "Criterium 2 is verkeerd toegepast."},
            follow=True,
        )
    assert response.status_code == 200
    assert moot.number in response.content.decode()  # the message names it

    moot.refresh_from_db()
    assert moot.is_lapsed
    assert moot.lapsed_with_id == upheld.pk
    assert upheld.number in moot.answer
    assert moot.answered_by == standstill.officer
    # The officer sees which objections lapsed, on the upheld one and on each lapsed one.
    page = officer.get(address).content.decode()
    assert 'data-testid="objection-lapsed"' in page
    assert moot.number in page
    page = officer.get(
        reverse("proposals:officer_objection", kwargs={"objection_pk": moot.pk})
    ).content.decode()
    assert "Vervallen" in page
    assert 'data-testid="objection-lapsed-with"' in page
    assert 'data-testid="answer-form"' not in page  # nothing left to answer
    # The company reads it on its objection's page, and by one e-mail (not a second one
    # about the withdrawn decision).
    company = officer_client(standstill.proposals[2].person)
    page = company.get(reverse("proposals:objection", kwargs={"objection_pk": moot.pk}))
    assert "Vervallen" in page.content.decode()
    address = standstill.proposals[2].person.email
    (message,) = [m for m in mail.outbox if address in m.to]
    assert moot.number in message.subject
    assert "vervallen" in message.body
    assert upheld.number in message.body
    # The new decision can be objected to again.
    again = proposal_reject(
        proposal=standstill.proposals[2], actor=standstill.officer, motivation="Opnieuw"
    )
    assert objection_lodge(
        decision=again, actor=standstill.proposals[2].person, text="Nog steeds niet eens."
    ).is_open


def test_a_lapsed_objection_is_answered_in_its_companys_language_not_the_officers(
    standstill, django_capture_on_commit_callbacks
):
    """The officer works in Dutch; the company of the lapsed objection is from abroad and
    reads its letters in English: the answer stored for it is in English."""
    award_first(standstill)
    first = reject_second(standstill)
    reject_the_rest(standstill, decided=2)
    second = Decision.objects.get(proposal=standstill.proposals[2])
    company = standstill.proposals[2].company
    type(company).objects.filter(pk=company.pk).update(country="DE")
    upheld = objection_lodge(decision=first, actor=standstill.proposals[1].person, text="A")
    moot = objection_lodge(decision=second, actor=standstill.proposals[2].person, text="B")
    officer = officer_client(standstill.officer)
    address = reverse("proposals:officer_objection", kwargs={"objection_pk": upheld.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(address, {"outcome": "uphold", "answer": "Gegrond."}, follow=True)
    assert "Bezwaar" in response.content.decode()  # the officer's page is in Dutch
    moot.refresh_from_db()
    assert moot.is_lapsed
    assert f"Objection {upheld.number} was upheld" in moot.answer
    assert "your objection has lapsed" in moot.answer
    assert "vervallen" not in moot.answer


def test_a_dismissed_objection_lapses_nothing(standstill):
    award_first(standstill)
    first = reject_second(standstill)
    reject_the_rest(standstill, decided=2)
    second = Decision.objects.get(proposal=standstill.proposals[2])
    dismissed = objection_lodge(decision=first, actor=standstill.proposals[1].person, text="A")
    other = objection_lodge(decision=second, actor=standstill.proposals[2].person, text="B")
    objection_dismiss(objection=dismissed, actor=standstill.officer, answer="Ongegrond")
    other.refresh_from_db()
    assert other.is_open


def test_the_tasks_end_once_every_proposal_is_decided_and_once_the_company_objected(standstill):
    """The officer's "decide" task counts only proposals without an intended or final
    decision; the company's "you may object" task ends when it objects (and stays ended once
    the objection is answered)."""
    from tests.proposals.test_my_tasks import kinds

    officer = officer_client(standstill.officer)
    company = officer_client(standstill.proposals[0].person)
    assert "decide" in kinds(officer)
    decision = award_first(standstill)
    assert "decide" in kinds(officer)  # the others are still to decide
    reject_the_rest(standstill, decided=1)
    assert "decide" not in kinds(officer)
    assert Proposal.objects.get(pk=decision.proposal_id).awaits_decision

    # The last day to object, as the letter and the decision page say it; not the next midnight.
    from tests.proposals.test_my_tasks import dashboard

    end = decision.standstill_ends_on
    shown = date_format(end, "DATE_FORMAT")
    row = next(row for row in dashboard(company).rows if row["kind"] == "standstill")
    assert row["deadline"].strip().startswith(f"t/m {shown}")
    decide_page = officer.get(reverse("proposals:officer_decide", args=[decision.proposal_id]))
    assert shown in decide_page.text
    objection = objection_lodge(
        decision=decision, actor=standstill.proposals[0].person, text="Bedrag te laag"
    )
    assert "standstill" not in kinds(company)
    row = next(row for row in dashboard(officer).rows if row["kind"] == "answer_objection")
    assert row["deadline"].strip().startswith(f"t/m {shown}")
    objection_dismiss(objection=objection, actor=standstill.officer, answer="Het bedrag klopt.")
    assert "standstill" not in kinds(company)
    assert "decide" not in kinds(officer)


# --- An objection left open against a withdrawn decision (before objections lapsed) ------------


def _stale_objection(world) -> tuple[Objection, Decision]:
    """What upholding an objection did before objections lapsed: the phase's intended
    decisions were withdrawn and the other companies' objections were left open. Returns the
    stale objection and the new intended decision on its proposal."""
    from django.db import transaction

    from proposals.services.decisions import phase_decisions_withdraw

    award_first(world)
    first = reject_second(world)
    reject_the_rest(world, decided=2)
    stale = objection_lodge(decision=first, actor=world.proposals[1].person, text="Oneens.")
    with transaction.atomic():
        phase_decisions_withdraw(phase=world.phase, actor=world.officer, reason="Bezwaar X.")
    award_first(world)
    reject_the_rest(world, decided=1)
    stale.refresh_from_db()
    assert stale.is_open
    assert stale.decision.is_withdrawn
    return stale, Decision.objects.get(proposal=world.proposals[1], status=Decision.Status.INTENDED)


def test_an_objection_against_a_withdrawn_decision_cannot_be_answered(
    standstill, django_capture_on_commit_callbacks
):
    """Upholding it would withdraw the phase's *new* intended decisions and e-mail every
    company: the officer's page refuses with a message, the service and the API refuse."""
    from proposals.services.objections import objection_uphold
    from tests.proposals.test_my_tasks import kinds

    stale, new = _stale_objection(standstill)
    officer = officer_client(standstill.officer)
    assert "answer_objection" not in kinds(officer)  # no task for it
    address = reverse("proposals:officer_objection", kwargs={"objection_pk": stale.pk})
    page = officer.get(address).content.decode()
    assert 'data-testid="answer-form"' not in page
    assert 'data-testid="objection-decision-gone"' in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(address, {"outcome": "uphold", "answer": "Gegrond."})
    assert response.status_code == 200
    assert "ingetrokken" in response.content.decode()
    new.refresh_from_db()
    assert new.is_intended  # the current decisions stand
    stale.refresh_from_db()
    assert stale.is_open
    assert mail.outbox == []
    for answer in (objection_uphold, objection_dismiss):
        with pytest.raises(DomainError) as refused:
            answer(objection=stale, actor=standstill.officer, answer="Gegrond.")
        assert refused.value.code == "decision_withdrawn"
    api = client_for(standstill.officer)
    response = api.post(
        reverse("api-objection-answer", kwargs={"pk": stale.pk}),
        {"outcome": "uphold", "answer": "Gegrond.", "follow_up": "new_decision"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "decision_withdrawn"
    new.refresh_from_db()
    assert new.is_intended


def test_the_data_migration_lapses_objections_against_withdrawn_decisions(standstill):
    """0017 closes what the code before 0015 left open, in one UPDATE: an open objection
    whose decision was withdrawn lapses with the upheld objection and the decision's stored
    reason; an open objection to a standing decision stays open."""
    from importlib import import_module

    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals.services.objections import objection_uphold

    migration = import_module("proposals.migrations.0017_lapse_stale_objections")
    award_first(standstill)
    first = reject_second(standstill)
    reject_the_rest(standstill, decided=2)
    upheld = objection_lodge(decision=first, actor=standstill.proposals[1].person, text="A")
    stale = objection_lodge(
        decision=Decision.objects.get(proposal=standstill.proposals[2]),
        actor=standstill.proposals[2].person,
        text="B",
    )
    # Before 0015 upholding lapsed nothing: put the other objection back as it was left.
    objection_uphold(objection=upheld, actor=standstill.officer, answer="Criterium 2.")
    Objection.objects.filter(pk=stale.pk).update(
        status=Objection.Status.OPEN,
        answer="",
        answered_by=None,
        answered_at=None,
        lapsed_with=None,
    )
    again = proposal_reject(
        proposal=standstill.proposals[2], actor=standstill.officer, motivation="Opnieuw"
    )
    standing = objection_lodge(
        decision=again, actor=standstill.proposals[2].person, text="Nog steeds oneens."
    )

    with CaptureQueriesContext(connection) as queries:
        migration.lapse_stale_objections(apps, None)
    assert len(queries) == 1

    stale.refresh_from_db()
    withdrawn = Decision.objects.get(pk=stale.decision_id)
    assert stale.is_lapsed
    assert stale.lapsed_with_id == upheld.pk
    assert stale.answer == withdrawn.withdrawal_reason
    assert upheld.number in stale.answer
    assert stale.answered_at == withdrawn.withdrawn_at
    assert stale.answered_by_id == standstill.officer.pk
    standing.refresh_from_db()
    assert standing.is_open
    upheld.refresh_from_db()
    assert upheld.is_upheld
