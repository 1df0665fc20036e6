"""Innovation partnership, the selection's letters, standstill and objections.

Every candidate gets a numbered letter once the selection is final (the decision letters of
issue 15: one numbering, PDF, e-mail, read tracking): an invitation, or the reasons per
selection criterion and exclusion ground with the standstill period. The tender stage opens
only after that period, and not while an objection of a candidate is open.
"""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from calls.models import Call, ParticipationRequest
from calls.services.participation import participation_invitations_send
from portal.exceptions import NotAllowed
from proposals.models import DecisionLetter, LetterSequence, Objection
from proposals.services.letters import selection_letter_make
from proposals.services.objections import (
    objection_dismiss,
    objection_uphold,
    selection_objection_lodge,
)
from proposals.services.submission import proposal_start
from tests.calls.factories import published_call
from tests.calls.test_participation import after_requests, ask, client_of, refused
from tests.calls.test_selection import ask_yes, decide

pytestmark = pytest.mark.django_db

IP = Call.Instrument.INNOVATION_PARTNERSHIP
Status = ParticipationRequest.Status
FEWER = "Slechts twee kandidaten voldoen aan de minimumeisen."


def pdf_text(letter: DecisionLetter) -> str:
    letter.pdf.open("rb")
    try:
        pages = PdfReader(BytesIO(letter.pdf.read())).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())
    finally:
        letter.pdf.close()


@pytest.fixture
def selection(django_capture_on_commit_callbacks):
    """Two invited, one not selected (misses a minimum level), one excluded; the selection
    made final on the day after the deadline for requests."""
    call = published_call(instrument=IP)
    invited = [ask(call), ask(call)]
    failed = ask(call)
    excluded = ask_yes(call, "fraud")
    with after_requests(call):
        for participation in invited:
            decide(call, participation)
        decide(call, failed, meets=False, selected=False)
        decide(call, excluded, exclude=True, selected=False)
        with django_capture_on_commit_callbacks(execute=True):
            participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)
    call.refresh_from_db()
    return call, invited, failed, excluded


def letter_of(participation) -> DecisionLetter:
    return DecisionLetter.objects.get(participation_request=participation)


def in_standstill(call):
    return time_machine.travel(call.participation_deadline + timedelta(days=2))


def after_standstill(call):
    return time_machine.travel(
        timezone.make_aware(
            timezone.datetime.combine(
                call.selection_standstill_ends_on, timezone.datetime.min.time()
            )
        )
        + timedelta(days=1, hours=9)
    )


# --- The letters ------------------------------------------------------------------------------


def test_every_candidate_gets_a_numbered_letter_with_its_reasons_and_the_standstill(selection):
    call, invited, failed, excluded = selection
    letters = DecisionLetter.objects.filter(participation_request__call=call)
    assert letters.count() == 4
    assert {letter_of(p).kind for p in invited} == {DecisionLetter.Kind.INVITATION}
    assert letter_of(failed).kind == DecisionLetter.Kind.NOT_SELECTED
    assert letter_of(excluded).kind == DecisionLetter.Kind.EXCLUDED
    # One numbering with the award letters: 1..4 without gaps for this authority's year.
    assert sorted(letters.values_list("sequence", flat=True)) == [1, 2, 3, 4]
    sequence = LetterSequence.objects.get(authority=call.authority)
    assert sequence.last == 4
    # The standstill: the call's period (at least 20 days) from the day the letters go out.
    decided_on = timezone.localdate(call.invitations_sent_at)
    assert call.selection_standstill_ends_on == decided_on + timedelta(days=call.standstill_days)
    assert call.standstill_days >= 20
    assert letter_of(failed).standstill_ends_on == call.selection_standstill_ends_on
    assert letter_of(excluded).standstill_ends_on == call.selection_standstill_ends_on
    assert letter_of(invited[0]).standstill_ends_on is None

    failed_text = pdf_text(letter_of(failed))
    assert letter_of(failed).number in failed_text
    assert "Te weinig referenties." in failed_text  # the reason per criterion
    assert "voldoet niet aan de minimumeis" in failed_text
    excluded_text = pdf_text(letter_of(excluded))
    assert "Ernstig." in excluded_text  # the reason on the exclusion ground
    assert "uitgesloten" in excluded_text
    invitation_text = pdf_text(letter_of(invited[0]))
    assert "uitgenodigd om in te schrijven" in invitation_text
    assert "Te weinig referenties." not in invitation_text  # never another's reasons


def test_the_letters_are_mailed_once_as_pdf_to_each_company(selection):
    _call, _invited, failed, _excluded = selection
    assert len(mail.outbox) == 4
    by_address = {address: message for message in mail.outbox for address in message.to}
    message = by_address[failed.member.email]
    assert message.attachments[0][0] == letter_of(failed).filename
    assert message.attachments[0][1].startswith(b"%PDF")
    assert "Afgewogen op de selectiecriteria." in message.body
    assert all(letter.is_sent for letter in DecisionLetter.objects.all())
    # The task again: the same letter, no second mail.
    again = selection_letter_make(request_id=failed.pk)
    assert again.pk == letter_of(failed).pk
    assert DecisionLetter.objects.filter(participation_request=failed).count() == 1
    assert len(mail.outbox) == 4


def test_the_company_reads_its_letter_on_its_request_page_and_reading_is_recorded(selection):
    call, _invited, failed, excluded = selection
    letter = letter_of(failed)
    url = reverse("proposals:selection_letter", args=[failed.pk, letter.pk])
    client = client_of(failed.member)
    page = client.get(reverse("calls:participation_detail", args=[failed.pk])).content.decode()
    assert letter.number in page
    assert url in page
    assert letter_of(excluded).number not in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    letter.refresh_from_db()
    assert letter.read_by == failed.member

    # Another company: not its letter, also not through its own request's id.
    other = client_of(excluded.member)
    assert other.get(url).status_code == 404
    wrong = reverse("proposals:selection_letter", args=[excluded.pk, letter.pk])
    assert other.get(wrong).status_code == 404
    assert Client().get(url).status_code == 302  # to the login

    # The officer sees every letter with sent and read; its own download does not count.
    officer = client_of(call.officer)
    excluded_letter = letter_of(excluded)
    manage = officer.get(reverse("calls:officer_manage", args=[call.pk])).content.decode()
    assert 'data-testid="selection-letters"' in manage
    for found in DecisionLetter.objects.filter(participation_request__call=call):
        assert found.number in manage
    officer_url = reverse("proposals:selection_letter", args=[excluded.pk, excluded_letter.pk])
    assert officer.get(officer_url).status_code == 200
    excluded_letter.refresh_from_db()
    assert excluded_letter.read_at is None


def test_the_api_lists_a_companys_selection_letter(selection):
    from tests.calls.test_participation import api_of

    _call, _invited, failed, _excluded = selection
    rows = api_of(failed.member).get(reverse("api-letter-list")).json()["results"]
    assert [row["number"] for row in rows] == [letter_of(failed).number]
    assert rows[0]["participation_request"] == failed.pk
    assert rows[0]["proposal"] is None
    assert rows[0]["kind"] == "not_selected"


# --- The standstill ---------------------------------------------------------------------------


def test_the_tender_stage_opens_only_after_the_standstill_of_the_selection(selection):
    call, invited, _failed, _excluded = selection
    phase = call.phases.get(order=1)
    with in_standstill(call), refused("funnel", NotAllowed):
        proposal_start(phase=phase, actor=invited[0].member, title="Elektrische pont")
    with (
        time_machine.travel(
            timezone.make_aware(
                timezone.datetime.combine(
                    call.selection_standstill_ends_on, timezone.datetime.min.time()
                )
            )
            + timedelta(hours=23)
        ),
        refused("funnel", NotAllowed),
    ):
        proposal_start(phase=phase, actor=invited[0].member, title="Elektrische pont")
    with after_standstill(call):
        assert proposal_start(phase=phase, actor=invited[0].member, title="Elektrische pont")


def test_without_a_candidate_not_selected_the_tender_stage_opens_at_once(
    django_capture_on_commit_callbacks,
):
    call = published_call(instrument=IP)
    invited = [ask(call) for _ in range(3)]
    with after_requests(call):
        for participation in invited:
            decide(call, participation)
        with django_capture_on_commit_callbacks(execute=True):
            participation_invitations_send(call=call, actor=call.officer)
        call.refresh_from_db()
        assert call.selection_standstill_ends_on is None
        assert proposal_start(phase=call.phases.get(order=1), actor=invited[0].member, title="P")
    assert all(
        letter.standstill_ends_on is None and letter.is_invitation
        for letter in DecisionLetter.objects.filter(participation_request__call=call)
    )


def test_a_tender_deadline_within_the_standstill_is_refused():
    call = published_call(instrument=IP)
    Call.objects.filter(pk=call.pk).update(
        deadline=call.participation_deadline + timedelta(days=10)
    )
    call.refresh_from_db()
    invited, failed = ask(call), ask(call)
    with after_requests(call):
        decide(call, invited)
        decide(call, failed, meets=False, selected=False)
        with refused("deadline"):
            participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)
    call.refresh_from_db()
    assert call.invitations_sent_at is None


# --- Objections -------------------------------------------------------------------------------


def test_an_objection_during_the_standstill_holds_the_tender_stage_until_it_is_answered(
    selection,
):
    call, invited, failed, _excluded = selection
    phase = call.phases.get(order=1)
    letter = letter_of(failed)
    lodge_url = reverse("proposals:selection_objection_lodge", args=[failed.pk, letter.pk])
    with in_standstill(call):
        client = client_of(failed.member)
        page = client.get(reverse("calls:participation_detail", args=[failed.pk])).content.decode()
        assert lodge_url in page
        assert client.get(lodge_url).status_code == 200
        empty = client.post(lodge_url, {"text": "  "})
        assert empty.status_code == 200
        assert not Objection.objects.exists()
        response = client.post(lodge_url, {"text": "Onze referenties zijn wel voldoende."})
        assert response.status_code == 302
        objection = Objection.objects.get()
        assert objection.participation_request == failed
        assert objection.is_open
        # One open objection at a time; the link is gone.
        page = client.get(reverse("calls:participation_detail", args=[failed.pk])).content.decode()
        assert lodge_url not in page
        assert objection.number in page
        with refused("already_open"):
            selection_objection_lodge(letter=letter, actor=failed.member, text="Nog een.")
    # Past the standstill, the open objection keeps the tender stage closed.
    with after_standstill(call):
        with refused("funnel", NotAllowed):
            proposal_start(phase=phase, actor=invited[0].member, title="Pont")
        officer = client_of(call.officer)
        answer_url = reverse("proposals:selection_objection_answer", args=[objection.pk])
        manage = officer.get(reverse("calls:officer_manage", args=[call.pk])).content.decode()
        assert answer_url in manage
        response = officer.post(
            answer_url, {"outcome": "dismiss", "answer": "De referenties zijn te klein."}
        )
        assert response.status_code == 302
        objection.refresh_from_db()
        assert objection.is_dismissed
        assert proposal_start(phase=phase, actor=invited[0].member, title="Pont")


def test_an_upheld_objection_takes_the_selection_back_and_a_new_one_gets_new_letters(
    selection, django_capture_on_commit_callbacks
):
    call, invited, failed, excluded = selection
    with in_standstill(call):
        objection = selection_objection_lodge(
            letter=letter_of(failed), actor=failed.member, text="Onze referenties volstaan."
        )
        objection_uphold(objection=objection, actor=call.officer, answer="Terecht bezwaar.")
        call.refresh_from_db()
        assert call.invitations_sent_at is None
        assert call.selection_standstill_ends_on is None
        assert not ParticipationRequest.objects.filter(call=call, invited_at__isnull=False).exists()
        with refused("funnel", NotAllowed):
            proposal_start(phase=call.phases.get(order=1), actor=invited[0].member, title="P")
        # The old letter no longer carries a right to object.
        with refused("not_allowed", NotAllowed):
            selection_objection_lodge(letter=letter_of(failed), actor=failed.member, text="x")
        decide(call, failed)
        with django_capture_on_commit_callbacks(execute=True):
            participation_invitations_send(call=call, actor=call.officer)
    call.refresh_from_db()
    letters = DecisionLetter.objects.filter(participation_request=failed).order_by("pk")
    assert [letter.kind for letter in letters] == ["not_selected", "invitation"]
    assert DecisionLetter.objects.filter(participation_request=excluded).count() == 2


def test_only_a_candidate_not_selected_objects_and_only_within_the_standstill(selection):
    call, invited, failed, excluded = selection
    invitation = letter_of(invited[0])
    with in_standstill(call):
        url = reverse("proposals:selection_objection_lodge", args=[invited[0].pk, invitation.pk])
        assert client_of(invited[0].member).get(url).status_code == 404
        with refused("not_allowed", NotAllowed):
            selection_objection_lodge(letter=invitation, actor=invited[0].member, text="x")
        # Not on another company's letter.
        with refused("not_allowed", NotAllowed):
            selection_objection_lodge(letter=letter_of(failed), actor=excluded.member, text="x")
        # An excluded candidate may.
        assert selection_objection_lodge(
            letter=letter_of(excluded), actor=excluded.member, text="De boete is betaald."
        ).is_open
    with after_standstill(call), refused("not_allowed", NotAllowed):
        selection_objection_lodge(letter=letter_of(failed), actor=failed.member, text="Te laat.")


def test_only_the_calls_officer_answers_an_objection_to_the_selection(selection):
    call, _invited, failed, excluded = selection
    with in_standstill(call):
        objection = selection_objection_lodge(
            letter=letter_of(failed), actor=failed.member, text="Bezwaar."
        )
        with refused("not_allowed", NotAllowed):
            objection_dismiss(objection=objection, actor=failed.member, answer="Nee.")
        url = reverse("proposals:selection_objection_answer", args=[objection.pk])
        assert client_of(excluded.member).get(url).status_code == 404
        assert client_of(call.officer).get(url).status_code == 200


def test_an_objection_to_the_selection_is_not_found_on_the_pages_of_decision_objections(
    selection,
):
    call, _invited, failed, _excluded = selection
    with in_standstill(call):
        objection = selection_objection_lodge(
            letter=letter_of(failed), actor=failed.member, text="Bezwaar."
        )
        for client, name in (
            (client_of(failed.member), "proposals:objection"),
            (client_of(call.officer), "proposals:officer_objection"),
        ):
            assert client.get(reverse(name, args=[objection.pk])).status_code == 404


def test_the_invited_company_is_asked_to_tender_only_after_the_standstill(selection):
    from portal.hooks import tasks_for

    call, invited, _failed, _excluded = selection
    member = invited[0].member
    with in_standstill(call):
        assert "submit_tender" not in {task["kind"] for task in tasks_for(member)}
    with after_standstill(call):
        assert "submit_tender" in {task["kind"] for task in tasks_for(member)}


def test_upholding_one_objection_to_the_selection_lapses_the_other_candidates_objection(
    selection,
):
    """Two candidates object; the officer upholds one on its page. The selection is taken
    back, so the other objection has nothing left to contest: it lapses with the reason, the
    tender stage is not held closed by it, and its candidate reads why on its request's page."""
    call, _invited, failed, excluded = selection
    with in_standstill(call):
        upheld = selection_objection_lodge(
            letter=letter_of(failed), actor=failed.member, text="Onze referenties volstaan."
        )
        moot = selection_objection_lodge(
            letter=letter_of(excluded), actor=excluded.member, text="De boete is betaald."
        )
        officer = client_of(call.officer)
        page = officer.get(reverse("proposals:selection_objection_answer", args=[upheld.pk]))
        html = page.content.decode()
        form = html[html.index("<form") :]
        assert '<legend class="utrecht-form-fieldset__legend' in form
        assert form.count('class="utrecht-radio-button utrecht-radio-button--html-input"') == 2
        response = officer.post(
            reverse("proposals:selection_objection_answer", args=[upheld.pk]),
            {"outcome": "uphold", "answer": "Terecht bezwaar."},
        )
        assert response.status_code == 302
    moot.refresh_from_db()
    assert moot.is_lapsed
    assert moot.lapsed_with_id == upheld.pk
    assert upheld.number in moot.answer
    assert not Objection.objects.filter(status=Objection.Status.OPEN).exists()
    page = client_of(excluded.member).get(reverse("calls:participation_detail", args=[excluded.pk]))
    content = page.content.decode()
    assert f'data-testid="selection-objection-{moot.pk}"' in content
    assert "vervallen" in content


# --- The standstill runs from the day each letter is sent -------------------------------------


def _selection_held(call, moment):
    """The selection of the fixture made final at ``moment`` (frozen); its letter tasks are
    held back, so each test makes and sends the letters when it wants."""
    invited = [ask(call), ask(call)]
    failed = ask(call)
    excluded = ask_yes(call, "fraud")
    with after_requests(call):
        for participation in invited:
            decide(call, participation)
        decide(call, failed, meets=False, selected=False)
        decide(call, excluded, exclude=True, selected=False)
    with time_machine.travel(moment, tick=False):
        participation_invitations_send(call=call, actor=call.officer, fewer_reason=FEWER)
    call.refresh_from_db()
    return invited, failed, excluded


def _day_after_requests(call, hour, minute=0, second=0):
    """A moment on the day after the deadline for requests, Amsterdam time."""
    day = timezone.localdate(call.participation_deadline) + timedelta(days=1)
    return timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.min.time())
    ).replace(hour=hour, minute=minute, second=second)


def _at(day, hour):
    return timezone.make_aware(
        timezone.datetime.combine(day, timezone.datetime.min.time())
    ).replace(hour=hour)


def _make(participations, moment):
    with time_machine.travel(moment, tick=False):
        return [selection_letter_make(request_id=p.pk, send=False) for p in participations]


def _send(letters, moment):
    from proposals.tasks import send_decision_letter

    with time_machine.travel(moment, tick=False):
        for letter in letters:
            assert send_decision_letter(letter.pk) == 1
    for letter in letters:
        letter.refresh_from_db()


def _nl(day) -> str:
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("nl"):
        return date_format(day)


def _lodge_url(participation, letter):
    return reverse("proposals:selection_objection_lodge", args=[participation.pk, letter.pk])


def _page(client, participation) -> str:
    url = reverse("calls:participation_detail", args=[participation.pk])
    return " ".join(client.get(url).content.decode().split())


def _officer_page(call) -> str:
    url = reverse("calls:officer_manage", args=[call.pk])
    return " ".join(client_of(call.officer).get(url).content.decode().split())


def test_selection_letters_sent_days_later_move_the_selection_standstill_everywhere(
    mailoutbox,
):
    """Selected on D, the letters made that day but sent on D+3: each letter is dated D+3
    and the selection's standstill ends 20 days after that (not after D), in the letters,
    their e-mails, the API, the pages of company and officer, the invited company's task,
    and the tender stage opens only after it."""
    from auditlog.models import LogEntry

    from portal.hooks import tasks_for

    call = published_call(instrument=IP)
    moment = _day_after_requests(call, 10)
    invited, failed, excluded = _selection_held(call, moment)
    decided_on = moment.date()
    old_end = decided_on + timedelta(days=call.standstill_days)
    assert call.selection_standstill_ends_on == old_end
    letters = _make([*invited, failed, excluded], moment)
    assert letters[2].standstill_ends_on == old_end

    sent_on = decided_on + timedelta(days=3)
    _send(letters, _at(sent_on, 11))
    new_end = sent_on + timedelta(days=call.standstill_days)
    call.refresh_from_db()
    assert call.selection_standstill_ends_on == new_end
    invitation, failed_letter, excluded_letter = letters[0], letters[2], letters[3]
    for letter in letters:
        assert letter.dated_on == sent_on
    assert failed_letter.standstill_ends_on == new_end
    assert excluded_letter.standstill_ends_on == new_end
    assert invitation.standstill_ends_on is None
    # The audit trail records the moved end of the selection.
    entries = LogEntry.objects.get_for_object(call).filter(action=LogEntry.Action.UPDATE)
    assert any("selection_standstill_ends_on" in e.changes_dict for e in entries)

    # The letters (PDF) and their e-mails.
    text = pdf_text(failed_letter)
    assert f"Datum {_nl(sent_on)}" in text
    assert f"tot en met {_nl(new_end)}" in text
    assert _nl(old_end) not in text
    assert f"tot en met {_nl(new_end)}" in pdf_text(invitation)
    (message,) = [m for m in mailoutbox if failed_letter.number in m.body]
    assert _nl(new_end) in " ".join(message.body.split())
    assert _nl(old_end) not in message.body
    # The API.
    from tests.calls.test_participation import api_of

    rows = api_of(failed.member).get(reverse("api-letter-list")).json()["results"]
    assert [row["standstill_ends_on"] for row in rows] == [new_end.isoformat()]

    # The day after the old end: the company may still object, the officer's page and the
    # invited company's task say the new end, and the tender stage is closed.
    with time_machine.travel(_at(old_end + timedelta(days=1), 9), tick=False):
        company = client_of(failed.member)
        page = _page(company, failed)
        assert _lodge_url(failed, failed_letter) in page
        assert _nl(new_end) in page
        assert _nl(old_end) not in page
        lodge = company.get(_lodge_url(failed, failed_letter))
        assert lodge.status_code == 200
        assert _nl(new_end) in " ".join(lodge.content.decode().split())
        officer = _officer_page(call)
        assert f"tot en met {_nl(new_end)}" in officer
        assert _nl(old_end) not in officer
        (task,) = [t for t in tasks_for(invited[0].member) if t["kind"] == "tender_soon"]
        assert _nl(new_end + timedelta(days=1)) in str(task["title"])
        with refused("funnel", NotAllowed):
            proposal_start(phase=call.phases.get(order=1), actor=invited[0].member, title="P")
    # The new end's last hour: still closed; the day after: open, and no more objections.
    with time_machine.travel(_at(new_end, 23), tick=False):
        with refused("funnel", NotAllowed):
            proposal_start(phase=call.phases.get(order=1), actor=invited[0].member, title="P")
        assert client_of(failed.member).get(_lodge_url(failed, failed_letter)).status_code == 200
    with time_machine.travel(_at(new_end + timedelta(days=1), 9), tick=False):
        assert client_of(failed.member).get(_lodge_url(failed, failed_letter)).status_code == 404
        assert proposal_start(phase=call.phases.get(order=1), actor=invited[0].member, title="P")


def test_selection_letters_on_either_side_of_midnight_the_selection_ends_after_the_last():
    """Selected at 23:59; one letter leaves at 23:59:40, the next at 00:00:20. Each company
    may object for the full period from its own letter; the selection (the officer's page,
    the tender stage, the invited company's letter sent after midnight) ends after the
    last letter's period."""
    call = published_call(instrument=IP)
    moment = _day_after_requests(call, 23, 59)
    invited, failed, excluded = _selection_held(call, moment)
    day = moment.date()
    letters = _make([failed, excluded, *invited], moment + timedelta(seconds=20))
    failed_letter, excluded_letter = letters[0], letters[1]
    _send([failed_letter], moment + timedelta(seconds=40))
    _send(letters[1:], moment + timedelta(seconds=80))  # 00:00:20 the next day
    days = timedelta(days=call.standstill_days)
    call.refresh_from_db()
    assert failed_letter.dated_on == day
    assert failed_letter.standstill_ends_on == day + days
    assert excluded_letter.dated_on == day + timedelta(days=1)
    assert excluded_letter.standstill_ends_on == day + timedelta(days=1) + days
    assert call.selection_standstill_ends_on == day + timedelta(days=1) + days
    assert f"tot en met {_nl(day + timedelta(days=1) + days)}" in pdf_text(letters[2])

    with time_machine.travel(_at(day + days, 12), tick=False):
        assert _nl(day + days) in _page(client_of(failed.member), failed)
        assert _nl(day + timedelta(days=1) + days) in _page(client_of(excluded.member), excluded)
        officer = _officer_page(call)
        assert f"tot en met {_nl(day + timedelta(days=1) + days)}" in officer
        assert f'data-testid="selection-letter-standstill-{failed_letter.pk}">' in officer
    # The first company's period has ended; the second's runs one day longer, and the
    # tender stage waits for it.
    with time_machine.travel(_at(day + days + timedelta(days=1), 12), tick=False):
        assert client_of(failed.member).get(_lodge_url(failed, failed_letter)).status_code == 404
        assert (
            client_of(excluded.member).get(_lodge_url(excluded, excluded_letter)).status_code == 200
        )
        with refused("funnel", NotAllowed):
            proposal_start(phase=call.phases.get(order=1), actor=invited[0].member, title="P")
    with time_machine.travel(_at(day + days + timedelta(days=2), 9), tick=False):
        assert proposal_start(phase=call.phases.get(order=1), actor=invited[0].member, title="P")


def test_selection_letters_made_past_midnight_by_their_tasks_run_from_that_day(
    django_capture_on_commit_callbacks, mailoutbox
):
    """The selection is made final at 23:59:50 and its letter tasks run after midnight: the
    letters are dated, mailed and give the standstill from the next day."""
    call = published_call(instrument=IP)
    moment = _day_after_requests(call, 23, 59, 50)
    invited, failed, _excluded = _selection_held(call, moment)
    next_day = moment.date() + timedelta(days=1)
    with (
        time_machine.travel(moment + timedelta(seconds=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        from proposals.tasks import make_selection_letter

        for participation in [*invited, failed, _excluded]:
            make_selection_letter(participation.pk)
    assert len(mailoutbox) == 4
    call.refresh_from_db()
    end = next_day + timedelta(days=call.standstill_days)
    letter = letter_of(failed)
    assert letter.is_sent
    assert (letter.dated_on, letter.standstill_ends_on) == (next_day, end)
    assert call.selection_standstill_ends_on == end
    assert f"tot en met {_nl(end)}" in pdf_text(letter)
    assert f"tot en met {_nl(end)}" in pdf_text(letter_of(invited[0]))


def test_a_selection_letter_sent_the_day_it_is_made_keeps_its_standstill():
    call = published_call(instrument=IP)
    moment = _day_after_requests(call, 10)
    _invited, failed, _excluded = _selection_held(call, moment)
    (letter,) = _make([failed], moment)
    pdf = letter.pdf.name
    _send([letter], moment + timedelta(hours=3))
    call.refresh_from_db()
    end = moment.date() + timedelta(days=call.standstill_days)
    assert (letter.dated_on, letter.standstill_ends_on, letter.pdf.name) == (
        moment.date(),
        end,
        pdf,
    )
    assert call.selection_standstill_ends_on == end


def test_a_letter_that_moves_the_selection_past_the_tender_deadline_warns_the_officer():
    """The invitations left in time, but the last letter was sent so late that the
    selection's standstill now runs until the deadline for tenders: the officer's call page
    and its page of requests say so and link to the amendment that extends the deadline;
    after the amendment the warning is gone."""
    from calls.services.lifecycle import call_amend

    call = published_call(instrument=IP)
    moment = _day_after_requests(call, 10)
    _invited, failed, _excluded = _selection_held(call, moment)
    (letter,) = _make([failed], moment)
    participation_page = reverse("calls:officer_participation", args=[call.pk])
    amend = reverse("calls:officer_amend", args=[call.pk])

    def requests_page() -> str:
        response = client_of(call.officer).get(participation_page)
        assert response.status_code == 200
        return " ".join(response.content.decode().split())

    with time_machine.travel(moment + timedelta(hours=1), tick=False):
        assert 'data-testid="selection-standstill"' in _officer_page(call)
        assert 'data-testid="selection-deadline-warning"' not in _officer_page(call)
        assert 'data-testid="selection-deadline-warning"' not in requests_page()

    deadline = timezone.localdate(call.deadline)
    sent_on = deadline - timedelta(days=call.standstill_days)
    _send([letter], _at(sent_on, 9))
    call.refresh_from_db()
    assert call.selection_standstill_ends_on == deadline
    with time_machine.travel(_at(sent_on, 10), tick=False):
        for page in (_officer_page(call), requests_page()):
            assert 'data-testid="selection-deadline-warning"' in page
            assert f"tot en met {_nl(deadline)}" in page
            assert f'href="{amend}" data-testid="selection-deadline-amend"' in page
        # A company sees no page of the officer's.
        assert client_of(failed.member).get(participation_page).status_code in (403, 404)

        call_amend(
            call=call,
            actor=call.officer,
            reason="De selectie loopt langer door een later verzonden brief.",
            changes={"deadline": call.deadline + timedelta(days=14)},
        )
        assert 'data-testid="selection-deadline-warning"' not in _officer_page(call)
