"""The receipt of a submission, made by a real Celery worker process over Redis."""

import email
import time
from email import policy

import pytest

from proposals.services.submission import proposal_submit

from .factories import complete_draft


def wait_for_mail(folder, seconds: float = 60):
    """The first e-mail the worker wrote to its file backend, once it is complete."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in folder.iterdir():
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if any(True for _ in message.iter_attachments()):
                return message
        time.sleep(0.25)
    raise AssertionError("the worker sent no complete e-mail within a minute")


@pytest.mark.live_worker
def test_worker_renders_the_receipt_pdf_and_mails_it(live_worker):
    draft = complete_draft()

    proposal = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)

    message = wait_for_mail(live_worker["mail_dir"])
    assert proposal.submission_number in message["Subject"]
    assert message["To"] == draft.person.email
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    proposal.refresh_from_db()
    assert proposal.receipt.name.endswith(".pdf")
    assert (live_worker["files_dir"] / "private" / proposal.receipt.name).exists()


@pytest.mark.live_worker
def test_the_worker_makes_a_letter_for_every_company_of_a_decided_phase(live_worker):
    from io import BytesIO

    from pypdf import PdfReader

    from proposals.models import DecisionLetter

    from .letters import decided_phase

    world = decided_phase()
    companies = {world.winner.pk, world.runner_up.pk, world.not_eligible.pk}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        letters = list(DecisionLetter.objects.exclude(pdf="").filter(sent_at__isnull=False))
        if {letter.proposal_id for letter in letters} == companies:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the worker did not make and send every letter within two minutes")
    assert sorted(letter.sequence for letter in letters) == [1, 2, 3]
    runner_up = next(letter for letter in letters if letter.proposal_id == world.runner_up.pk)
    stored = live_worker["files_dir"] / "private" / runner_up.pdf.name
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(stored.read_bytes())).pages)
    text = " ".join(text.split())
    assert runner_up.number in text
    assert world.winner.company.name in text
    assert world.not_eligible.company.name not in text
    mails = list(live_worker["mail_dir"].iterdir())
    assert any(runner_up.number.encode() in path.read_bytes() for path in mails)
