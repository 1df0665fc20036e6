"""A task writes only the fields it owns: what changed while it worked stays changed.

Each test changes the row the task loaded while the task is busy (inside its slow rendering,
as another process would), then checks that the change survived. Saving the whole row it
loaded, as the receipt task once did, puts the old status back.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from calls.services.lifecycle import call_close
from portal.models import OutboxMessage
from proposals import tasks
from proposals.models import Advice, Proposal
from proposals.services.assessment import assessment_open
from proposals.services.submission import proposal_submit, proposal_withdraw
from tests.calls.factories import published_call

from .factories import complete_draft, signed_advice

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    """A submission whose receipt is still to be made (the commit has not run the task)."""
    call = published_call()
    draft = complete_draft(call=call)
    proposal = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)
    proposal.person = draft.person
    proposal.officer = call.officer
    assert not proposal.receipt
    return proposal


def while_rendering(monkeypatch, change):
    """Run ``change`` in the middle of the receipt's rendering."""
    render = tasks.render_receipt_pdf

    def render_and_change(proposal):
        pdf = render(proposal)
        change()
        return pdf

    monkeypatch.setattr(tasks, "render_receipt_pdf", render_and_change)


def test_a_withdrawal_during_the_receipt_is_not_undone(submitted, monkeypatch):
    while_rendering(
        monkeypatch, lambda: proposal_withdraw(proposal=submitted, actor=submitted.person)
    )

    tasks.send_receipt(submitted.pk)

    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.WITHDRAWN
    assert submitted.withdrawn_at is not None
    assert submitted.receipt.name.endswith(".pdf")
    assert submitted.receipt_sent_at is not None
    assert len(mail.outbox) == 1


def test_the_start_of_the_assessment_during_the_receipt_is_not_undone(submitted, monkeypatch):
    call, officer = submitted.call, submitted.officer
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        call_close(call=call, actor=officer)
        while_rendering(monkeypatch, lambda: assessment_open(phase=submitted.phase, actor=officer))

        tasks.send_receipt(submitted.pk)

    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.UNDER_ASSESSMENT
    assert submitted.receipt


def test_the_receipt_is_made_and_mailed_once_however_often_its_task_runs(submitted):
    first = tasks.send_receipt(submitted.pk)
    second = tasks.send_receipt(submitted.pk)

    assert first == second
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][2] == "application/pdf"


def test_a_receipt_stored_by_another_run_meanwhile_is_kept(submitted, monkeypatch):
    """Two runs render at once (the outbox sent the task twice): the first stored PDF wins."""
    other = {}

    def the_other_run_finishes_first():
        monkeypatch.setattr(tasks, "render_receipt_pdf", render)
        other["name"] = tasks.send_receipt(submitted.pk)

    render = tasks.render_receipt_pdf
    while_rendering(monkeypatch, the_other_run_finishes_first)

    name = tasks.send_receipt(submitted.pk)

    submitted.refresh_from_db()
    assert name == other["name"] == submitted.receipt.name
    assert len(mail.outbox) == 1


def test_a_failed_mail_is_tried_again(submitted, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        tasks.send_receipt.run(submitted.pk)
    submitted.refresh_from_db()
    assert submitted.receipt
    assert submitted.receipt_sent_at is None

    monkeypatch.undo()
    tasks.send_receipt(submitted.pk)
    submitted.refresh_from_db()
    assert submitted.receipt_sent_at is not None
    assert len(mail.outbox) == 1


def test_the_submission_records_its_receipt_in_the_outbox(submitted):
    (message,) = OutboxMessage.objects.filter(task="proposals.send_receipt")
    assert message.args == [submitted.pk]


def test_the_advice_pdf_keeps_what_changed_while_it_was_rendered(monkeypatch):
    advice = signed_advice(published_call().phases.get(order=1))
    render = tasks.render_to_string

    def render_and_change(template, context=None, *args, **kwargs):
        if template == "proposals/pdf/advice.html":
            Advice.objects.filter(pk=advice.pk).update(remarks="Aangevuld door de voorzitter.")
        return render(template, context, *args, **kwargs)

    monkeypatch.setattr(tasks, "render_to_string", render_and_change)

    tasks.render_advice_pdf(advice.pk)

    advice.refresh_from_db()
    assert advice.pdf.name.endswith(".pdf")
    assert advice.remarks == "Aangevuld door de voorzitter."
