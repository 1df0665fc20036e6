"""Decision letters: numbered, in the company's language, with its own scores and the
winners' relative advantages, and never another company's scores beyond that."""

from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from proposals.models import Decision, DecisionLetter, LetterSequence

from .letters import decided_phase

pytestmark = pytest.mark.django_db


def pdf_text(letter: DecisionLetter) -> str:
    letter.pdf.open("rb")
    try:
        return "\n".join(
            page.extract_text() for page in PdfReader(BytesIO(letter.pdf.read())).pages
        )
    finally:
        letter.pdf.close()


def test_deciding_the_last_proposal_makes_a_letter_for_every_company(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
    letters = {letter.proposal_id: letter for letter in DecisionLetter.objects.all()}
    assert set(letters) == {world.winner.pk, world.runner_up.pk, world.not_eligible.pk}
    assert letters[world.winner.pk].kind == Decision.Kind.AWARD
    assert letters[world.runner_up.pk].kind == Decision.Kind.REJECTION
    assert letters[world.not_eligible.pk].kind == Decision.Kind.NOT_ELIGIBLE
    # One letter per decision, each hanging on the intended decision.
    assert all(letter.decision.is_intended for letter in letters.values())
    numbers = sorted(letter.sequence for letter in letters.values())
    assert numbers == [1, 2, 3]
    assert len({letter.number for letter in letters.values()}) == 3
    # Each company got its letter by e-mail, with the PDF.
    letter_mails = [m for m in mailoutbox if "B-" in m.subject]
    assert len(letter_mails) == 3
    assert all(m.attachments[0][2] == "application/pdf" for m in letter_mails)
    assert all(letter.sent_at for letter in DecisionLetter.objects.all())


def motivation(proposal, criterion) -> str:
    return f"Motivatie-{proposal.pk}-{criterion.pk}"


def test_a_rejected_company_reads_its_own_scores_and_the_winners_advantages(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
    letter = DecisionLetter.objects.get(proposal=world.runner_up)
    text = " ".join(pdf_text(letter).split())
    impact, feasibility, economy = world.criteria
    # Its own scores per criterion with the committee's motivation, and its rank.
    for criterion in world.criteria:
        assert motivation(world.runner_up, criterion) in text
    for score in ("7 / 10", "9 / 10", "6 / 10"):
        assert score in text
    assert letter.number in text
    # The winner: its name and where it scored higher, with the motivation for the winner.
    assert world.winner.company.name in text
    assert motivation(world.winner, impact) in text
    assert motivation(world.winner, economy) in text
    # Not where the winner scored lower (feasibility: 8 against 9).
    assert motivation(world.winner, feasibility) not in text
    # Never the other rejected company's scores or motivation.
    assert world.not_eligible.company.name not in text
    for criterion in world.criteria:
        assert motivation(world.not_eligible, criterion) not in text
    # The standstill period with its end date, and the remedies.
    decision = letter.decision
    assert letter.standstill_ends_on == decision.standstill_ends_on
    assert decision.standstill_ends_on.strftime("%Y") in text
    assert "bezwaar" in text
    assert "klachtenmeldpunt" in text


def test_the_winner_letter_names_no_other_company(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
    text = " ".join(pdf_text(DecisionLetter.objects.get(proposal=world.winner)).split())
    for other in (world.runner_up, world.not_eligible):
        assert other.company.name not in text
        for criterion in world.criteria:
            assert motivation(other, criterion) not in text


def test_the_not_eligible_letter_gives_the_reason_and_a_company_abroad_reads_english(
    django_capture_on_commit_callbacks,
):
    from portal.models import Organisation

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world = decided_phase()
    Organisation.objects.filter(pk=world.not_eligible.company_id).update(country="BE")
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    letter = DecisionLetter.objects.get(proposal=world.not_eligible)
    assert letter.language == "en"
    text = " ".join(pdf_text(letter).split())
    assert "not eligible" in text
    assert "Below the minimum" in text
    assert world.runner_up.company.name not in text
    dutch = DecisionLetter.objects.get(proposal=world.runner_up)
    assert dutch.language == "nl"
    assert "Uw voorstel is niet gegund" in " ".join(pdf_text(dutch).split())


def test_running_the_task_twice_makes_one_letter(django_capture_on_commit_callbacks):
    from proposals.tasks import make_decision_letter

    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
    first = DecisionLetter.objects.get(proposal=world.runner_up)
    with django_capture_on_commit_callbacks(execute=True):
        assert make_decision_letter(first.decision_id) == first.number
    assert DecisionLetter.objects.filter(proposal=world.runner_up).count() == 1
    assert LetterSequence.objects.get().last == 3


def _mails_by_company(world, outbox) -> dict[int, list]:
    by_proposal: dict[int, list] = {}
    for proposal in (world.winner, world.runner_up, world.not_eligible):
        address = proposal.created_by.email
        # Apart from the receipt of the submission.
        by_proposal[proposal.pk] = [
            m for m in outbox if address in m.to and "Ontvangstbevestiging" not in m.subject
        ]
    return by_proposal


def test_each_company_gets_one_e_mail_per_decision_the_letter_with_its_summary(
    mailoutbox, django_capture_on_commit_callbacks
):
    """Not a short decision e-mail and a letter e-mail: one, the letter's, which says what
    the short one said (outcome, amount, standstill end, how to object, motivation)."""
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase()
    mails = _mails_by_company(world, mailoutbox)
    assert all(len(messages) == 1 for messages in mails.values()), {
        pk: [m.subject for m in messages] for pk, messages in mails.items()
    }
    letters = {letter.proposal_id: letter for letter in DecisionLetter.objects.all()}
    for pk, (message,) in mails.items():
        assert letters[pk].number in message.subject
        assert message.attachments[0][0] == letters[pk].filename
        end = letters[pk].standstill_ends_on
        assert end is not None
        assert end.strftime("%Y") in message.body
        assert "bezwaar" in message.body
    (winner,) = mails[world.winner.pk]
    assert "20.000,00" in winner.body
    assert "Beste voorstel." in winner.body
    (runner_up,) = mails[world.runner_up.pk]
    assert "Lager gerangschikt." in runner_up.body
    (not_eligible,) = mails[world.not_eligible.pk]
    assert "komt niet in aanmerking" in not_eligible.body


def test_without_a_standstill_the_one_e_mail_says_the_decision_is_final(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world = decided_phase(standstill_days=0)
    mails = _mails_by_company(world, mailoutbox)
    assert all(len(messages) == 1 for messages in mails.values())
    (winner,) = mails[world.winner.pk]
    assert "bezwaar" not in winner.body
    assert "20.000,00" in winner.body


def test_a_letter_bears_the_day_it_is_sent_also_when_it_waited_past_midnight(
    mailoutbox, django_capture_on_commit_callbacks
):
    """The PDF's date is the day the e-mail leaves, not the day of the decision nor the day
    the PDF was first made; the stored PDF is the one the company received."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from proposals.services.letters import decision_letter_make
    from proposals.tasks import send_decision_letter

    made_on = timezone.localtime()
    world = decided_phase()  # decided; the letters are made below, not yet sent
    decision = Decision.objects.get(proposal=world.runner_up)
    letter = decision_letter_make(decision_id=decision.pk, send=False)
    assert letter.dated_on == made_on.date()
    assert made_on.date().strftime("%Y") in pdf_text(letter)

    later = made_on + timedelta(days=2)
    with time_machine.travel(later):
        assert send_decision_letter(letter.pk) == 1
    letter.refresh_from_db()
    assert letter.dated_on == later.date()
    assert timezone.localdate(letter.sent_at) == later.date()
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"]
    months += ["september", "oktober", "november", "december"]
    sent_day = f"{later.day} {months[later.month - 1]} {later.year}"
    decided = timezone.localtime(decision.decided_at)
    decided_day = f"{decided.day} {months[decided.month - 1]} {decided.year}"
    text = " ".join(pdf_text(letter).split())
    assert f"Datum {sent_day}" in text
    assert f"Besloten op {decided_day}" in text  # the decision's own day stays on record
    (message,) = [m for m in mailoutbox if letter.number in m.subject]
    letter.pdf.open("rb")
    try:
        assert message.attachments[0][1] == letter.pdf.read()
    finally:
        letter.pdf.close()


def test_a_letter_sent_the_day_it_is_made_is_dated_that_day_without_a_second_date(
    django_capture_on_commit_callbacks,
):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone
    from django.utils.formats import date_format

    from proposals.services.decisions import proposal_award, proposal_reject

    world = decided_phase(decide=False)
    # Decided and sent the same day (the day after the deadline).
    with (
        time_machine.travel(world.call.deadline + timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        officer = world.call.officer
        proposal_award(proposal=world.winner, actor=officer, motivation="Beste.")
        proposal_reject(proposal=world.runner_up, actor=officer, motivation="Lager.")
        proposal_reject(proposal=world.not_eligible, actor=officer, motivation="Niet.")
    letter = DecisionLetter.objects.get(proposal=world.winner)
    assert letter.is_sent
    assert letter.dated_on == timezone.localdate(letter.sent_at)
    text = " ".join(pdf_text(letter).split())
    assert f"Datum {date_format(letter.dated_on)}" in text
    assert "Besloten op" not in text


def _decided_on_day_d(world, day):
    """The phase decided on ``day`` (frozen), each letter made that day but not yet sent."""
    import time_machine

    from proposals.services.decisions import proposal_award, proposal_reject
    from proposals.services.letters import decision_letter_make

    officer = world.call.officer
    with time_machine.travel(day, tick=False):
        proposal_award(
            proposal=world.winner, actor=officer, motivation="Beste.", amount=Decimal("20000.00")
        )
        proposal_reject(proposal=world.runner_up, actor=officer, motivation="Lager.")
        proposal_reject(proposal=world.not_eligible, actor=officer, motivation="Niet.")
        decision = Decision.objects.get(proposal=world.runner_up)
        return decision_letter_make(decision_id=decision.pk, send=False)


def test_a_letter_sent_the_day_after_the_decision_gives_the_full_standstill_from_its_date(
    mailoutbox,
):
    """Aw 2012 art. 2.127: 20 calendar days from the day after sending. Decided on D, sent on
    D+1: the letter, its e-mail, the decision (its pages, the finalisation) end on D+21."""
    from datetime import timedelta

    import time_machine
    from auditlog.models import LogEntry
    from django.utils import timezone
    from django.utils.formats import date_format

    from proposals.services.decisions import decisions_finalise_due
    from proposals.tasks import send_decision_letter

    world = decided_phase(decide=False)
    day = timezone.localtime(world.call.deadline + timedelta(days=1)).replace(hour=10)
    letter = _decided_on_day_d(world, day)
    decision = letter.decision
    assert decision.standstill_ends_on == day.date() + timedelta(days=20)
    old_pdf = letter.pdf.name

    sent = day + timedelta(days=1)
    with time_machine.travel(sent, tick=False):
        assert send_decision_letter(letter.pk) == 1
    letter.refresh_from_db()
    decision.refresh_from_db()
    ends_on = sent.date() + timedelta(days=20)
    assert letter.dated_on == sent.date()
    assert letter.standstill_ends_on == ends_on
    assert decision.standstill_ends_on == ends_on
    assert letter.pdf.name != old_pdf
    assert not letter.pdf.storage.exists(old_pdf)
    with translation_nl():
        text = " ".join(pdf_text(letter).split())
        assert f"tot en met {date_format(ends_on)}" in text
        assert date_format(day.date() + timedelta(days=20)) not in text
        (message,) = [m for m in mailoutbox if letter.number in m.subject]
        assert date_format(ends_on) in " ".join(message.body.split())
    # The phase's end (officer's phase page, public call page) is the last company's.
    from proposals.selectors.decisions import standstill_end_of_phase, standstill_ends_by_phase

    assert standstill_end_of_phase(world.phase) == ends_on
    assert standstill_ends_by_phase(world.call) == {world.phase.pk: ends_on}
    # The audit trail records the moved end.
    entry = LogEntry.objects.get_for_object(decision).filter(action=LogEntry.Action.UPDATE)
    assert any("standstill_ends_on" in e.changes_dict for e in entry)
    # The finalisation waits for the new end: no decision of the phase (not the winner's
    # either: no contract) is final on D+21 while this company may still object; all are
    # the day after.
    assert decisions_finalise_due(today=ends_on) == 0
    decision.refresh_from_db()
    assert decision.is_intended
    assert decisions_finalise_due(today=ends_on + timedelta(days=1)) == 3
    decision.refresh_from_db()
    assert decision.is_final


def test_a_letter_sent_on_the_day_of_the_decision_changes_no_standstill():
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from proposals.tasks import send_decision_letter

    world = decided_phase(decide=False)
    day = timezone.localtime(world.call.deadline + timedelta(days=1)).replace(hour=10)
    letter = _decided_on_day_d(world, day)
    pdf = letter.pdf.name
    with time_machine.travel(day + timedelta(hours=3), tick=False):
        assert send_decision_letter(letter.pk) == 1
    letter.refresh_from_db()
    letter.decision.refresh_from_db()
    assert letter.dated_on == day.date()
    assert letter.pdf.name == pdf
    assert letter.standstill_ends_on == day.date() + timedelta(days=20)
    assert letter.decision.standstill_ends_on == day.date() + timedelta(days=20)


def test_a_send_task_delivered_twice_dates_the_letter_once_and_keeps_the_stored_pdf():
    """acks_late: the second run finds the letter dated today and leaves its PDF alone."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from proposals.services.letters import decision_letter_redate

    world = decided_phase(decide=False)
    day = timezone.localtime(world.call.deadline + timedelta(days=1)).replace(hour=10)
    letter = _decided_on_day_d(world, day)
    with time_machine.travel(day + timedelta(days=1), tick=False):
        first = decision_letter_redate(letter_id=letter.pk)
        second = decision_letter_redate(letter_id=letter.pk)
    assert first.pdf.name == second.pdf.name
    assert second.pdf.storage.exists(second.pdf.name)
    assert second.standstill_ends_on == day.date() + timedelta(days=21)


def test_letters_made_by_their_tasks_past_midnight_give_the_full_standstill_from_their_date(
    mailoutbox, django_capture_on_commit_callbacks
):
    """The last proposal is decided at 23:50 on D; the letter tasks run at 00:10 on D+1, so
    each letter is made and sent on D+1 and dated that day. Aw 2012 art. 2.127: the company
    has the full 20 days from its letter, so the standstill ends on D+21 (not D+20) in the
    letter, its e-mail, the company's page and the decision (its finalisation)."""
    from datetime import timedelta

    import time_machine
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format

    from proposals.services.decisions import (
        decisions_finalise_due,
        proposal_award,
        proposal_reject,
    )
    from tests.calls.test_participation import client_of

    world = decided_phase(decide=False)
    evening = timezone.localtime(world.call.deadline + timedelta(days=1)).replace(
        hour=23, minute=50
    )
    officer = world.call.officer
    with (
        time_machine.travel(evening, tick=False),
        django_capture_on_commit_callbacks(execute=False) as tasks,
    ):
        proposal_award(
            proposal=world.winner, actor=officer, motivation="Beste.", amount=Decimal("20000.00")
        )
        proposal_reject(proposal=world.runner_up, actor=officer, motivation="Lager.")
        proposal_reject(proposal=world.not_eligible, actor=officer, motivation="Niet.")
    decided_on = evening.date()
    assert not DecisionLetter.objects.exists()
    with (
        time_machine.travel(evening + timedelta(minutes=20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for task in tasks:
            task()  # the letter tasks leave the outbox at 00:10
    sent_on = decided_on + timedelta(days=1)
    ends_on = sent_on + timedelta(days=20)
    too_early = decided_on + timedelta(days=20)
    letter = DecisionLetter.objects.select_related("decision").get(proposal=world.runner_up)
    assert letter.is_sent
    assert timezone.localdate(letter.sent_at) == sent_on
    assert (letter.dated_on, letter.standstill_ends_on) == (sent_on, ends_on)
    assert letter.decision.standstill_ends_on == ends_on
    assert set(Decision.objects.values_list("standstill_ends_on", flat=True)) == {ends_on}
    with translation_nl():
        text = " ".join(pdf_text(letter).split())
        assert f"Datum {date_format(sent_on)}" in text
        assert f"tot en met {date_format(ends_on)}" in text
        assert date_format(too_early) not in text
        (message,) = [m for m in mailoutbox if letter.number in m.subject]
        body = " ".join(message.body.split())
        assert date_format(ends_on) in body
        assert date_format(too_early) not in body
        with time_machine.travel(evening + timedelta(days=2), tick=False):
            page = client_of(world.runner_up.person).get(
                reverse("proposals:detail", args=[world.runner_up.pk])
            )
        content = " ".join(page.content.decode().split())
        assert f"De opschortingstermijn eindigt op {date_format(ends_on)}" in content
        assert date_format(too_early) not in content
    # No contract on D+21, while the company may still object.
    assert decisions_finalise_due(today=ends_on) == 0
    assert decisions_finalise_due(today=ends_on + timedelta(days=1)) == 3


@pytest.mark.django_db(transaction=True)
def test_a_letter_dated_again_is_rendered_without_holding_its_phase_or_decision(monkeypatch):
    """While the PDF of a letter dated again is made (seconds), the new date and end are
    committed and only the letter's row is locked: another worker can lock the phase (an
    objection, the finalisation) and the decision, and reads the moved end."""
    from datetime import timedelta

    import time_machine
    from django.db import DatabaseError, transaction
    from django.utils import timezone

    from calls.models import Phase
    from proposals.services import letters
    from proposals.tasks import send_decision_letter
    from tests.concurrency import require_postgresql, run_at_once

    require_postgresql()
    world = decided_phase(decide=False)
    day = timezone.localtime(world.call.deadline + timedelta(days=1)).replace(hour=10)
    with monkeypatch.context() as held:  # committed for real: the letter tasks are held back
        held.setattr(letters, "outbox_enqueue", lambda *args, **kwargs: None)
        letter = _decided_on_day_d(world, day)
    sent_on = day.date() + timedelta(days=1)

    def other_worker():
        with transaction.atomic():
            Phase.objects.select_for_update(nowait=True).get(pk=world.phase.pk)
            decision = Decision.objects.select_for_update(nowait=True).get(pk=letter.decision_id)
            try:
                with transaction.atomic():
                    DecisionLetter.objects.select_for_update(nowait=True).get(pk=letter.pk)
            except DatabaseError:
                letter_locked = True
            else:
                letter_locked = False
            dated_on = DecisionLetter.objects.values_list("dated_on", flat=True).get(pk=letter.pk)
            return decision.standstill_ends_on, dated_on, letter_locked

    seen = []
    render = letters.render_pdf_of

    def render_and_look(letter):
        seen.extend(run_at_once(other_worker, 1))
        return render(letter)

    monkeypatch.setattr(letters, "render_pdf_of", render_and_look)
    with time_machine.travel(day + timedelta(days=1), tick=False):
        assert send_decision_letter(letter.pk) == 1
    assert seen == [(sent_on + timedelta(days=20), sent_on, True)]
    letter.refresh_from_db()
    assert letter.dated_on == sent_on
    assert f"tot en met {_nl(sent_on + timedelta(days=20))}" in " ".join(pdf_text(letter).split())


def test_a_letter_whose_new_pdf_failed_is_made_and_sent_by_the_retry(monkeypatch, mailoutbox):
    """The PDF failed after the new date was committed: the letter is not sent without it
    (nor with the old one); the task's retry makes it with the new date and sends it."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from proposals.services import letters
    from proposals.tasks import send_decision_letter

    world = decided_phase(decide=False)
    day = timezone.localtime(world.call.deadline + timedelta(days=1)).replace(hour=10)
    letter = _decided_on_day_d(world, day)
    old_pdf = letter.pdf.name
    sent_on = day.date() + timedelta(days=1)
    render = letters.render_pdf_of

    def fail(letter):
        raise OSError("fonts missing")

    monkeypatch.setattr(letters, "render_pdf_of", fail)
    with time_machine.travel(day + timedelta(days=1), tick=False):
        with pytest.raises(OSError, match="fonts missing"):
            send_decision_letter(letter.pk)
        letter.refresh_from_db()
        assert (letter.dated_on, bool(letter.pdf), letter.sent_at) == (sent_on, False, None)
        assert not letter.pdf.storage.exists(old_pdf)  # the old date's PDF is not left behind
        assert not mailoutbox
        monkeypatch.setattr(letters, "render_pdf_of", render)
        assert send_decision_letter(letter.pk) == 1
    letter.refresh_from_db()
    assert letter.is_sent
    text = " ".join(pdf_text(letter).split())
    assert f"Datum {_nl(sent_on)}" in text
    assert f"tot en met {_nl(sent_on + timedelta(days=20))}" in text
    (message,) = mailoutbox
    assert message.attachments[0][0] == letter.filename


def _nl(day) -> str:
    from django.utils.formats import date_format

    with translation_nl():
        return date_format(day)


def translation_nl():
    from django.utils import translation

    return translation.override("nl")
