"""Prize competitions and hackathons: entries ask no amount; the jury ranks them and the
decision gives the call's prizes out by rank, each at the prize's amount; a prize decision of
an administrative body is final at once and open to objection under the Awb for six weeks;
a hackathon takes at most its number of teams."""

import re
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import Call, Prize
from calls.services.lifecycle import call_close
from funding.models import Account
from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation
from proposals.models import Contract, Decision, DecisionLetter, Objection, Proposal
from proposals.services.assessment import assessment_open
from proposals.services.decisions import prize_withhold, proposal_award, proposal_reject
from proposals.services.letters import decision_letter_make
from proposals.services.objections import objection_lodge
from proposals.services.submission import (
    proposal_missing,
    proposal_save_draft,
    proposal_start,
    proposal_submit,
    proposal_withdraw,
)
from tests.calls.factories import published_call
from tests.concurrency import require_postgresql, run_at_once
from tests.conftest import login_verified

from .factories import applicant, complete_draft, deadline_passed, submitted_proposals
from .letters import scored_advice
from .test_letters import pdf_text

pytestmark = pytest.mark.django_db

PRIZES = [(1, Decimal("50000.00")), (2, Decimal("30000.00")), (3, Decimal("20000.00"))]
SCORES = [(9, 9, 9), (8, 8, 8), (7, 7, 7), (6, 6, 6)]


def contest_call(instrument=Call.Instrument.PRIZE_COMPETITION, **fields) -> Call:
    """A published contest whose one phase has the prizes 50k, 30k and 20k (×1 each)."""
    call = published_call(instrument=instrument, **fields)
    phase = call.phases.get()
    phase.prizes.all().delete()
    for rank, amount in PRIZES:
        Prize.objects.create(phase=phase, rank=rank, amount=amount)
    type(phase).objects.filter(pk=phase.pk).update(
        planned_awards=len(PRIZES), max_per_award=PRIZES[0][1]
    )
    return call


def ranked_entries(*, administrative_body: bool = True, count: int = 4) -> SimpleNamespace:
    """A prize competition with `count` entries the jury ranked 1, 2, 3 … in that order."""
    call = contest_call()
    Organisation.objects.filter(pk=call.authority_id).update(
        is_administrative_body=administrative_body
    )
    entries = submitted_proposals(call, count)
    call = deadline_passed(call)  # the entries open to the officer and the jury
    phase = call.phases.get()
    call_close(call=call, actor=call.officer)
    assessment_open(phase=phase, actor=call.officer)
    scored_advice(phase, dict(zip(entries, SCORES, strict=False)))
    for entry in entries:
        entry.refresh_from_db()
    prizes = {prize.rank: prize for prize in phase.prizes.all()}
    return SimpleNamespace(
        call=call, phase=phase, officer=call.officer, entries=entries, prizes=prizes
    )


# --- No requested amount ---------------------------------------------------------------------


def test_an_entry_asks_no_amount_and_is_complete_without_one():
    call = contest_call()
    draft = complete_draft(call=call)
    assert draft.requested_amount is None
    assert proposal_missing(draft) == []
    with pytest.raises(DomainError) as refused:
        proposal_save_draft(
            proposal=draft, actor=draft.person, fields={"requested_amount": Decimal("1000.00")}
        )
    assert refused.value.code == "requested_amount"
    draft.refresh_from_db()
    assert draft.requested_amount is None
    submitted = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)
    assert submitted.is_draft is False


def test_the_entry_form_has_no_amount_field(client):
    draft = complete_draft(call=contest_call())
    login_verified(client, draft.person)
    page = client.get(reverse("proposals:edit", kwargs={"pk": draft.pk}))
    assert page.status_code == 200
    assert 'name="requested_amount"' not in page.content.decode()
    # An SBIR proposal keeps it.
    sbir = complete_draft()
    login_verified(client, sbir.person)
    page = client.get(reverse("proposals:edit", kwargs={"pk": sbir.pk}))
    assert 'name="requested_amount"' in page.content.decode()


def test_the_api_refuses_a_requested_amount_for_an_entry(client):
    from tests.factories import api_key_for

    draft = complete_draft(call=contest_call())
    url = reverse("api-proposal-detail", kwargs={"pk": draft.pk})
    headers = {"HTTP_AUTHORIZATION": f"Token {api_key_for(draft.person)}"}
    answer = client.patch(
        url, {"requested_amount": "1000.00"}, content_type="application/json", **headers
    )
    assert answer.status_code == 400, answer.content
    assert "requested_amount" in str(answer.json())
    answer = client.get(url, **headers)
    assert answer.json()["requested_amount"] is None


# --- Prizes by rank, at the call's amounts ---------------------------------------------------


def test_awarded_entries_get_exactly_the_prize_amounts_of_the_call_and_the_ledger_commits_them():
    world = ranked_entries()
    first, second, third, fourth = world.entries
    for entry, rank in ((first, 1), (second, 2), (third, 3)):
        decision = proposal_award(
            proposal=entry, actor=world.officer, motivation="Jury.", prize=world.prizes[rank]
        )
        # Final at once: a prize is no procurement and has no standstill.
        assert decision.is_final
        assert decision.prize_id == world.prizes[rank].pk
        assert decision.amount == world.prizes[rank].amount
        assert decision.under_awb
        contract = Contract.objects.get(proposal=entry)
        assert contract.amount == world.prizes[rank].amount
        committed = Account.objects.get(contract=contract, kind=Account.Kind.COMMITTED)
        assert committed.balance == world.prizes[rank].amount
    proposal_reject(proposal=fourth, actor=world.officer, motivation="Vierde.")
    world.call.refresh_from_db()
    assert world.call.status == Call.Status.AWARDED


def test_a_prize_amount_other_than_the_calls_is_refused():
    world = ranked_entries()
    with pytest.raises(DomainError) as refused:
        proposal_award(
            proposal=world.entries[0],
            actor=world.officer,
            motivation="Jury.",
            prize=world.prizes[1],
            amount=Decimal("60000.00"),
        )
    assert refused.value.code == "amount"
    with pytest.raises(DomainError) as refused:
        proposal_award(proposal=world.entries[0], actor=world.officer, motivation="Jury.")
    assert refused.value.code == "prize"
    assert not Decision.objects.exists()


def test_no_entry_gets_two_prizes_and_no_prize_goes_out_more_often_than_its_number():
    world = ranked_entries()
    first, second = world.entries[:2]
    proposal_award(proposal=first, actor=world.officer, motivation="Jury.", prize=world.prizes[1])
    with pytest.raises(DomainError):
        proposal_award(
            proposal=first, actor=world.officer, motivation="Jury.", prize=world.prizes[2]
        )
    with pytest.raises(DomainError) as refused:
        proposal_award(
            proposal=second, actor=world.officer, motivation="Jury.", prize=world.prizes[1]
        )
    assert refused.value.code == "prize_taken"
    assert Decision.objects.filter(proposal=first).count() == 1
    # A prize with two winners at its rank takes two.
    Prize.objects.filter(pk=world.prizes[2].pk).update(count=2)
    proposal_award(proposal=second, actor=world.officer, motivation="Jury.", prize=world.prizes[2])
    third = world.entries[2]
    proposal_award(proposal=third, actor=world.officer, motivation="Jury.", prize=world.prizes[2])
    assert Decision.objects.filter(prize=world.prizes[2]).count() == 2


def test_a_prize_of_another_call_and_a_prize_for_an_sbir_proposal_are_refused():
    world = ranked_entries()
    other = contest_call().phases.get().prizes.get(rank=1)
    with pytest.raises(DomainError) as refused:
        proposal_award(proposal=world.entries[0], actor=world.officer, motivation="J.", prize=other)
    assert refused.value.code == "prize"


def test_a_prize_left_unawarded_needs_a_reason_and_can_no_longer_be_awarded():
    world = ranked_entries()
    with pytest.raises(DomainError):
        prize_withhold(prize=world.prizes[3], actor=world.officer, reason="  ")
    with pytest.raises(NotAllowed):
        prize_withhold(prize=world.prizes[3], actor=applicant(), reason="Niets.")
    prize_withhold(
        prize=world.prizes[3], actor=world.officer, reason="Geen inzending haalde het niveau."
    )
    with pytest.raises(DomainError) as refused:
        proposal_award(
            proposal=world.entries[2], actor=world.officer, motivation="J.", prize=world.prizes[3]
        )
    assert refused.value.code == "prize_withheld"
    # An awarded prize cannot be withheld afterwards.
    proposal_award(
        proposal=world.entries[0], actor=world.officer, motivation="J.", prize=world.prizes[1]
    )
    with pytest.raises(DomainError):
        prize_withhold(prize=world.prizes[1], actor=world.officer, reason="Toch niet.")


def test_the_officer_awards_a_prize_on_the_decision_page(client):
    world = ranked_entries()
    login_verified(client, world.officer)
    url = reverse("proposals:officer_decide", kwargs={"pk": world.entries[0].pk})
    page = client.get(url)
    content = page.content.decode()
    assert 'name="amount"' not in content
    assert 'name="prize"' in content
    # Without a prize the award is refused on the form.
    answer = client.post(url, {"decision": "award", "motivation": "Beste inzending."})
    assert "Kies de prijs die deze inzending wint." in answer.content.decode()
    data = {
        "decision": "award",
        "motivation": "Beste inzending.",
        "prize": str(world.prizes[1].pk),
        "confirmed": "1",
    }
    client.post(url, data)
    decision = Decision.objects.get(proposal=world.entries[0])
    assert decision.amount == Decimal("50000.00")
    assert decision.prize_id == world.prizes[1].pk


def test_the_prizes_page_leaves_a_prize_unawarded(client):
    world = ranked_entries()
    login_verified(client, world.officer)
    url = reverse("proposals:officer_prizes", kwargs={"phase_pk": world.phase.pk})
    assert client.get(url).status_code == 200
    answer = client.post(url, {"rank": "3", "reason": ""})
    assert answer.status_code == 200
    assert not world.prizes[3].__class__.objects.filter(withholding__isnull=False).exists()
    client.post(url, {"rank": "3", "reason": "Geen inzending haalde het niveau."})
    page = client.get(url).content.decode()
    assert "Geen inzending haalde het niveau." in page


# --- Letters: the prize, and the Awb's objection route ---------------------------------------


def _letters(world) -> dict[int, DecisionLetter]:
    first, second, third, fourth = world.entries
    for entry, rank in ((first, 1), (second, 2), (third, 3)):
        proposal_award(
            proposal=entry, actor=world.officer, motivation="Jury.", prize=world.prizes[rank]
        )
    proposal_reject(proposal=fourth, actor=world.officer, motivation="Vierde van de jury.")
    letters = {}
    for decision in Decision.objects.filter(phase=world.phase):
        letter = decision_letter_make(decision_id=decision.pk, send=False)
        letters[decision.proposal_id] = letter
    return letters


def test_letters_of_an_administrative_body_state_the_prize_and_the_objection_under_the_awb():
    world = ranked_entries(administrative_body=True)
    letters = _letters(world)
    first = " ".join(pdf_text(letters[world.entries[0].pk]).split())
    assert "prijs 1" in first.lower()
    assert "50.000,00" in first
    assert "bezwaar" in first
    assert "zes weken" in first
    assert "6:5" in first  # what the objection must contain
    fourth = " ".join(pdf_text(letters[world.entries[3].pk]).split())
    assert "geen prijs" in fourth.lower()
    assert "Vierde van de jury." in fourth
    assert "bezwaar" in fourth
    assert "Opschortingstermijn" not in fourth  # a prize has no procurement standstill


def test_letters_of_a_private_body_give_the_complaint_route_instead():
    world = ranked_entries(administrative_body=False)
    letters = _letters(world)
    text = " ".join(pdf_text(letters[world.entries[3].pk]).split())
    assert "geen bestuursorgaan" in text
    assert "klacht" in text
    assert "zes weken na de dag" not in text
    assert not Decision.objects.filter(under_awb=True).exists()


def test_an_objection_to_a_prize_decision_is_possible_for_six_weeks_after_the_letter():
    world = ranked_entries()
    letters = _letters(world)
    fourth = world.entries[3]
    decision = Decision.objects.get(proposal=fourth)
    sent = timezone.now()
    DecisionLetter.objects.filter(pk=letters[fourth.pk].pk).update(sent_at=sent)
    decision.refresh_from_db()
    assert decision.objection_ends_on == timezone.localdate(sent) + timedelta(weeks=6)
    with time_machine.travel(sent + timedelta(weeks=6, days=1)):
        decision = Decision.objects.get(pk=decision.pk)
        with pytest.raises((DomainError, NotAllowed)):
            objection_lodge(decision=decision, actor=fourth.person, text="Te laat.")
    decision = Decision.objects.get(pk=decision.pk)
    objection = objection_lodge(
        decision=decision, actor=fourth.person, text="De jury vergist zich."
    )
    assert objection.status == Objection.Status.OPEN


# --- Hackathon: a limit on the number of teams ----------------------------------------------


def test_a_hackathon_refuses_the_registration_beyond_its_limit_and_a_withdrawal_frees_a_place():
    call = contest_call(instrument=Call.Instrument.HACKATHON, max_registrations=2)
    phase = call.phases.get()
    first = proposal_start(phase=phase, actor=applicant(), title="Team 1")
    proposal_start(phase=phase, actor=applicant(), title="Team 2")
    with pytest.raises(DomainError) as refused:
        proposal_start(phase=phase, actor=applicant(), title="Team 3")
    assert refused.value.code == "full"
    assert "2 plaatsen" in refused.value.message
    proposal_withdraw(proposal=first, actor=first.created_by)
    proposal_start(phase=phase, actor=applicant(), title="Team 3")
    assert Proposal.objects.filter(phase=phase).exclude(status="withdrawn").count() == 2


def test_the_start_page_says_the_hackathon_is_full(client):
    call = contest_call(instrument=Call.Instrument.HACKATHON, max_registrations=1)
    phase = call.phases.get()
    proposal_start(phase=phase, actor=applicant(), title="Team 1")
    person = applicant()
    login_verified(client, person)
    answer = client.post(reverse("proposals:start", kwargs={"phase_pk": phase.pk}), {"title": "X"})
    assert "Deze hackathon is vol" in answer.content.decode()
    assert not Proposal.objects.filter(created_by=person).exists()


def test_the_start_page_lists_the_prizes_without_a_space_before_the_separator(client):
    call = contest_call(instrument=Call.Instrument.HACKATHON, max_registrations=12)
    phase = call.phases.get()
    login_verified(client, applicant())
    page = client.get(reverse("proposals:start", kwargs={"phase_pk": phase.pk})).content.decode()
    prizes = page.split('data-testid="prizes">', 1)[1].split("</dd>", 1)[0]
    assert prizes.count("; ") == phase.prizes.count() - 1 > 0
    assert not re.search(r"\s;", prizes), prizes
    assert "ten hoogste 12 teams" in page


@pytest.mark.django_db(transaction=True)
def test_two_teams_registering_for_the_last_place_at_once_one_gets_in():
    require_postgresql()
    call = contest_call(instrument=Call.Instrument.HACKATHON, max_registrations=2)
    phase = call.phases.get()
    proposal_start(phase=phase, actor=applicant(), title="Team 1")
    people = iter([applicant(), applicant()])
    actors = [next(people), next(people)]
    turn = iter(actors)

    results = run_at_once(lambda: proposal_start(phase=phase, actor=next(turn), title="Laatste"))

    made = [r for r in results if isinstance(r, Proposal)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(made) == 1, results
    assert len(refused) == 1, results
    assert refused[0].code == "full"
    assert Proposal.objects.filter(phase=phase).count() == 2


# --- Public results and the API ----------------------------------------------------------------


def test_the_public_call_page_shows_the_winners_per_prize(client):
    world = ranked_entries()
    first, second, third, fourth = world.entries
    proposal_award(proposal=first, actor=world.officer, motivation="J.", prize=world.prizes[1])
    proposal_award(proposal=second, actor=world.officer, motivation="J.", prize=world.prizes[2])
    prize_withhold(prize=world.prizes[3], actor=world.officer, reason="Geen derde van niveau.")
    proposal_reject(proposal=third, actor=world.officer, motivation="Niet van niveau.")
    proposal_reject(proposal=fourth, actor=world.officer, motivation="Niet van niveau.")
    content = client.get(world.call.get_absolute_url()).content.decode()
    assert 'data-testid="prize-results-1"' in content
    start = content.index('data-testid="prize-result-1"')
    row_1 = content[start : content.index("</tr>", start)]
    assert first.company.name in row_1
    start = content.index('data-testid="prize-result-3"')
    row_3 = content[start : content.index("</tr>", start)]
    assert "Niet toegekend: Geen derde van niveau." in row_3
    assert third.company.name not in content


def test_the_api_awards_a_prize_by_rank_and_shows_it_on_the_decision():
    from tests.factories import api_key_for

    world = ranked_entries()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(world.officer)}")
    url = reverse("api-proposal-decision", kwargs={"pk": world.entries[0].pk})
    answer = client.post(
        url, {"decision": "award", "motivation": "Jury.", "prize": 9}, format="json"
    )
    assert answer.status_code == 400
    answer = client.post(
        url,
        {"decision": "award", "motivation": "Jury.", "prize": 1, "amount": "1.00"},
        format="json",
    )
    assert answer.status_code in (400, 409)
    answer = client.post(
        url, {"decision": "award", "motivation": "Jury.", "prize": 1}, format="json"
    )
    assert answer.status_code == 200, answer.content
    decisions = client.get(reverse("api-decision-list")).json()["results"]
    (decision,) = decisions
    assert decision["prize"] == {"rank": 1, "amount": "50000.00", "description": ""}
    assert decision["amount"] == "50000.00"
    assert decision["under_awb"] is True


# --- An upheld objection under the Awb revokes the contested prize decision -------------------


def _objection_to(world, letters, entry) -> Objection:
    """The entrant's letter went out today; it objects within the six weeks."""
    DecisionLetter.objects.filter(pk=letters[entry.pk].pk).update(sent_at=timezone.now())
    decision = Decision.objects.get(proposal=entry)
    return objection_lodge(decision=decision, actor=entry.person, text="De jury vergist zich.")


def test_an_upheld_objection_revokes_the_entrys_decision_alone_and_the_officer_decides_again(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    world = ranked_entries()
    letters = _letters(world)
    first, second, third, fourth = world.entries
    objection = _objection_to(world, letters, fourth)
    login_verified(client, world.officer)
    address = reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk})
    page = client.get(address).content.decode()
    assert 'data-testid="answer-awb"' in page
    assert "7:11" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            address, {"outcome": "uphold", "answer": "Criterium 2 is verkeerd gescoord."}
        )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.is_upheld
    assert objection.follow_up == Objection.FollowUp.NEW_DECISION
    revoked = Decision.objects.get(proposal=fourth)
    assert revoked.is_withdrawn
    assert objection.number in revoked.withdrawal_reason
    fourth.refresh_from_db()
    assert fourth.status == Proposal.Status.UNDER_ASSESSMENT
    # The other entrants' decisions are final and stand, with their prizes.
    for entry in (first, second, third):
        assert Decision.objects.get(proposal=entry).is_final
        assert Contract.objects.get(proposal=entry).is_active
    (message,) = [m for m in mailoutbox if objection.number in m.subject]
    assert "herroepen" in message.body
    assert "7:11" in message.body

    # The officer decides again: a new decision, final at once, with a new letter and a new
    # period for an objection.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = proposal_reject(
            proposal=fourth, actor=world.officer, motivation="Na heroverweging: vierde."
        )
    assert again.is_final
    letter = DecisionLetter.objects.get(decision=again)
    assert letter.is_sent
    assert "Na heroverweging: vierde." in pdf_text(letter)
    again.refresh_from_db()
    assert again.open_to_objection


def test_an_upheld_objection_to_a_prize_won_takes_it_back_and_the_jury_reassesses(client):
    world = ranked_entries()
    letters = _letters(world)
    third = world.entries[2]
    contract = Contract.objects.get(proposal=third)
    objection = _objection_to(world, letters, third)
    login_verified(client, world.officer)
    address = reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk})
    page = client.get(address).content.decode()
    # The jury can reassess the contested entry (and only that one).
    assert f'value="{third.pk}"' in page
    assert f'value="{world.entries[0].pk}"' not in page
    refused = client.post(
        address,
        {
            "outcome": "reassess",
            "answer": "Het prototype is niet gezien.",
            "reassess": [third.pk, world.entries[0].pk],
        },
    )
    assert refused.status_code == 200  # another entrant's final decision is not reopened
    objection.refresh_from_db()
    assert objection.is_open

    response = client.post(
        address,
        {"outcome": "reassess", "answer": "Het prototype is niet gezien.", "reassess": [third.pk]},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.leads_to_reassessment
    assert list(objection.reassessment.proposals.all()) == [third]
    contract.refresh_from_db()
    assert contract.is_terminated
    committed = Account.objects.get(contract=contract, kind=Account.Kind.COMMITTED)
    assert committed.balance == 0  # the unpaid prize money is released
    # The public results no longer name the entry as a winner of prize 3.
    content = client.get(world.call.get_absolute_url()).content.decode()
    start = content.index('data-testid="prize-result-3"')
    assert third.company.name not in content[start : content.index("</tr>", start)]


def test_a_decided_sbir_proposal_never_goes_back_to_assessment():
    from portal import states
    from proposals.services.decisions import decision_revoke, decisions_finalise_due

    from .letters import decided_phase

    world = decided_phase()
    decision = world.winner.decisions.get()
    decisions_finalise_due(today=decision.standstill_ends_on + timedelta(days=1))
    for proposal in (world.winner, world.runner_up):
        proposal.refresh_from_db()
        assert proposal.is_decided
        final = proposal.decisions.get()
        assert final.is_final
        assert not final.under_awb
        # Not through the service for a revocation under the Awb…
        with pytest.raises(DomainError):
            decision_revoke(decision=final, actor=world.call.officer, reason="Bezwaar.")
        # …nor through the state table itself: a procurement's final decision stands, and
        # its proposal stays decided.
        assert not states.can_move(proposal, Proposal.Status.UNDER_ASSESSMENT)
        with pytest.raises(states.TransitionNotAllowed):
            states.transition(proposal, Proposal.Status.UNDER_ASSESSMENT, actor=None)
        with pytest.raises(states.TransitionNotAllowed):
            states.transition(final, Decision.Status.WITHDRAWN, actor=None)
        proposal.refresh_from_db()
        assert proposal.is_decided
        assert proposal.decisions.get().is_final
    assert Contract.objects.get(proposal=world.winner).is_active


def test_an_awarded_entry_goes_back_to_assessment_only_once_its_decision_is_revoked():
    from portal import states
    from proposals.services.objections import objection_uphold

    world = ranked_entries()
    letters = _letters(world)
    third = world.entries[2]
    third.refresh_from_db()
    assert third.is_awarded
    # A final prize decision that stands keeps its entry awarded.
    with pytest.raises(states.TransitionNotAllowed):
        states.transition(third, Proposal.Status.UNDER_ASSESSMENT, actor=world.officer)
    objection = _objection_to(world, letters, third)

    objection_uphold(objection=objection, actor=world.officer, answer="Toch niet van niveau.")

    third.refresh_from_db()
    assert third.awaits_decision
    assert Decision.objects.get(proposal=third).is_withdrawn
    assert Contract.objects.get(proposal=third).is_terminated


# --- A revoked decision in a call that had ended with its decisions -------------------------


def _public_status(client, call) -> str:
    content = client.get(call.get_absolute_url()).content.decode()
    start = content.index("portal-call-status--")
    return content[start : content.index("</span>", start)]


def _uphold_on_page(client, objection, answer="Toch van niveau.") -> None:
    address = reverse("proposals:officer_objection", kwargs={"objection_pk": objection.pk})
    response = client.post(address, {"outcome": "uphold", "answer": answer})
    assert response.status_code == 302, response.content.decode()


def _decide_on_page(client, entry, **data):
    url = reverse("proposals:officer_decide", kwargs={"pk": entry.pk})
    return client.post(url, {"motivation": "Na bezwaar.", "confirmed": "1", **data})


def test_a_call_cancelled_for_want_of_an_award_is_assessed_again_once_a_decision_is_revoked(
    client,
):
    """Every entry was rejected, so the call was cancelled ("No proposal could be
    awarded"). An entrant's objection is upheld: its decision is revoked, and the call is
    under assessment again (audited), not a cancelled call in which a prize is then awarded.
    The officer awards the entry a prize: the call is awarded, and its public page says so."""
    from auditlog.models import LogEntry

    world = ranked_entries()
    for entry in world.entries:
        proposal_reject(proposal=entry, actor=world.officer, motivation="Niet van niveau.")
    world.call.refresh_from_db()
    assert world.call.is_cancelled
    first = world.entries[0]
    letter = decision_letter_make(decision_id=Decision.objects.get(proposal=first).pk, send=False)
    objection = _objection_to(world, {first.pk: letter}, first)
    login_verified(client, world.officer)

    _uphold_on_page(client, objection)

    world.call.refresh_from_db()
    assert world.call.status == Call.Status.UNDER_ASSESSMENT
    assert world.call.cancellation_reason == ""
    entry = LogEntry.objects.get_for_object(world.call).filter(changes__has_key="status").first()
    assert entry.changes_dict["status"] == [Call.Status.CANCELLED, Call.Status.UNDER_ASSESSMENT]
    assert entry.actor == world.officer
    anonymous = type(client)()
    assert "under_assessment" in _public_status(anonymous, world.call)
    assert (
        'data-testid="cancellation-notice"'
        not in anonymous.get(world.call.get_absolute_url()).content.decode()
    )
    # Open data follows: a release of the call under assessment again.
    from portal.models import OutboxMessage
    from reporting.models import OcdsRelease
    from reporting.tasks import record_ocds_release

    (message,) = [
        m
        for m in OutboxMessage.objects.filter(task="reporting.record_ocds_release")
        if m.args[1].startswith("resumed-")
    ]
    record_ocds_release.apply(args=message.args).get()
    release = OcdsRelease.objects.get(release_id__endswith=message.args[1])
    assert release.data["tender"]["status"] == "active"
    assert "tenderCancellation" not in release.tags

    response = _decide_on_page(client, first, decision="award", prize=str(world.prizes[1].pk))
    assert response.status_code == 302, response.content.decode()
    assert Decision.objects.get(proposal=first, status=Decision.Status.FINAL).is_award
    world.call.refresh_from_db()
    assert world.call.status == Call.Status.AWARDED
    assert "awarded" in _public_status(anonymous, world.call)


def test_an_awarded_call_whose_only_prize_is_revoked_ends_as_the_new_decisions_say(client):
    """One prize was awarded and the call marked awarded; the objection to that prize is
    upheld: the call is under assessment again. The entry cannot win a prize again in the
    portal; rejected, no entry has a prize, so the call is cancelled for want of an award."""
    world = ranked_entries(count=2)
    winner, other = world.entries
    proposal_award(proposal=winner, actor=world.officer, motivation="J.", prize=world.prizes[1])
    for rank in (2, 3):
        prize_withhold(prize=world.prizes[rank], actor=world.officer, reason="Geen.")
    proposal_reject(proposal=other, actor=world.officer, motivation="Niet van niveau.")
    world.call.refresh_from_db()
    assert world.call.status == Call.Status.AWARDED
    letter = decision_letter_make(decision_id=Decision.objects.get(proposal=winner).pk, send=False)
    objection = _objection_to(world, {winner.pk: letter}, winner)
    login_verified(client, world.officer)

    _uphold_on_page(client, objection, answer="Het prototype voldoet niet.")

    world.call.refresh_from_db()
    assert world.call.status == Call.Status.UNDER_ASSESSMENT
    response = _decide_on_page(client, winner, decision="reject")
    assert response.status_code == 302, response.content.decode()
    world.call.refresh_from_db()
    assert world.call.is_cancelled
    assert world.call.cancellation_reason


def test_no_prize_is_awarded_in_a_call_that_was_cancelled():
    """The officer cancelled the call while an entry still awaited its decision: the portal
    awards it no prize (its public page says the call was cancelled)."""
    from calls.services.lifecycle import call_cancel

    world = ranked_entries()
    call_cancel(call=world.call, actor=world.officer, reason="Het budget is vervallen.")
    with pytest.raises(DomainError) as refused:
        proposal_award(
            proposal=world.entries[0], actor=world.officer, motivation="J.", prize=world.prizes[1]
        )
    assert refused.value.code == "call_ended"
    assert not Decision.objects.exists()


def test_a_revoked_decision_leaves_the_prizes_left_unawarded_as_they_were(client):
    """A prize left unawarded is in every entrant's final letter and in the public results:
    revoking one entrant's decision does not undo it. Only that entrant's new decision may
    still give it (the objection reopened its place in the distribution); then the public
    results name the winner instead."""
    from proposals.models import PrizeWithholding
    from proposals.services.objections import objection_uphold

    world = ranked_entries()
    first, second, third, fourth = world.entries
    for entry, rank in ((first, 1), (second, 2)):
        proposal_award(
            proposal=entry, actor=world.officer, motivation="J.", prize=world.prizes[rank]
        )
    prize_withhold(prize=world.prizes[3], actor=world.officer, reason="Geen derde van niveau.")
    proposal_reject(proposal=third, actor=world.officer, motivation="Niet van niveau.")
    proposal_reject(proposal=fourth, actor=world.officer, motivation="Niet van niveau.")
    letter = decision_letter_make(decision_id=Decision.objects.get(proposal=fourth).pk, send=False)
    objection = _objection_to(world, {fourth.pk: letter}, fourth)

    objection_uphold(objection=objection, actor=world.officer, answer="Toch van niveau.")

    withholding = PrizeWithholding.objects.get(prize=world.prizes[3])
    content = client.get(world.call.get_absolute_url()).content.decode()
    start = content.index('data-testid="prize-result-3"')
    assert "Geen derde van niveau." in content[start : content.index("</tr>", start)]
    # Another entrant, decided and not revoked, has no claim on it (nor a new decision).
    with pytest.raises(DomainError):
        proposal_award(proposal=third, actor=world.officer, motivation="J.", prize=world.prizes[3])
    # The revoked entry's new decision gives it: the withholding goes with the award.
    decision = proposal_award(
        proposal=fourth, actor=world.officer, motivation="Derde prijs.", prize=world.prizes[3]
    )
    assert decision.is_final
    assert not PrizeWithholding.objects.filter(pk=withholding.pk).exists()
    content = client.get(world.call.get_absolute_url()).content.decode()
    start = content.index('data-testid="prize-result-3"')
    row = content[start : content.index("</tr>", start)]
    assert fourth.company.name in row
    assert "Geen derde van niveau." not in row
