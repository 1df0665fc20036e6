"""Submitting proposals: the deadline, completeness, double clicks, uploads, the funnel."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from calls.models import Call, Phase
from portal.exceptions import DomainError, IllegalTransition, NotAllowed
from portal.uploads import clamd_configured
from proposals.models import Deliverable, Proposal
from proposals.services.submission import (
    attachment_add,
    proposal_start,
    proposal_submit,
    proposal_withdraw,
)
from tests.calls.factories import published_call
from tests.concurrency import require_postgresql, run_at_once

from .factories import applicant, complete_draft, pdf_upload

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("deadline", "zone_name"),
    [
        (datetime(2027, 7, 1, 17, 0, tzinfo=AMSTERDAM), "CEST"),  # summer time, UTC+2
        (datetime(2027, 1, 15, 17, 0, tzinfo=AMSTERDAM), "CET"),  # winter time, UTC+1
    ],
)
def test_deadline_one_second_before_is_in_one_second_after_is_out(deadline, zone_name):
    with time_machine.travel(deadline - timedelta(days=60)):
        call = published_call(deadline=deadline, questions_deadline=deadline - timedelta(days=7))
        on_time = complete_draft(call=call)
        late = complete_draft(call=call)

    with time_machine.travel(deadline - timedelta(seconds=1)):
        assert (
            proposal_submit(
                proposal=on_time, actor=on_time.person, declaration_accepted=True
            ).status
            == "submitted"
        )
    with (
        time_machine.travel(deadline + timedelta(seconds=1)),
        pytest.raises(DomainError) as refused,
    ):
        proposal_submit(proposal=late, actor=late.person, declaration_accepted=True)

    # The refusal names the deadline in Dutch local time, with its zone.
    assert "17:00" in refused.value.message
    assert zone_name in refused.value.message
    late.refresh_from_db()
    assert late.status == Proposal.Status.DRAFT
    on_time.refresh_from_db()
    assert on_time.submitted_at < deadline


@pytest.mark.django_db
def test_submit_gives_number_receipt_pdf_and_email(django_capture_on_commit_callbacks):
    draft = complete_draft()

    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)

    assert proposal.submission_number.startswith(proposal.call.reference)
    assert len(proposal.content_hash) == 64
    proposal.refresh_from_db()
    assert proposal.receipt.name.endswith(".pdf")
    (message,) = mail.outbox
    assert proposal.submission_number in message.subject
    assert message.to == [draft.person.email]
    _name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")


@pytest.mark.django_db
def test_double_click_makes_one_submission_and_one_receipt(django_capture_on_commit_callbacks):
    proposal = complete_draft()
    with django_capture_on_commit_callbacks(execute=True):
        first = proposal_submit(proposal=proposal, actor=proposal.person, declaration_accepted=True)
        second = proposal_submit(
            proposal=proposal, actor=proposal.person, declaration_accepted=True
        )
    assert first.submission_number == second.submission_number
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_yields_one_submission():
    require_postgresql()
    proposal = complete_draft()

    results = run_at_once(
        lambda: proposal_submit(
            proposal=proposal, actor=proposal.person, declaration_accepted=True
        ),
        4,
    )

    assert all(isinstance(r, Proposal) for r in results), results
    assert {r.submission_number for r in results} == {results[0].submission_number}
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_incomplete_proposal_is_refused_with_everything_missing_named():
    call = published_call()
    person = applicant()
    proposal = proposal_start(phase=call.phases.get(order=1), actor=person, title="Idee")

    with pytest.raises(DomainError) as refused:
        proposal_submit(proposal=proposal, actor=person, declaration_accepted=True)

    message = refused.value.message
    for document in call.phases.get(order=1).required_documents.all():
        assert document.name in message


@pytest.mark.django_db
def test_requested_amount_above_the_maximum_is_refused():
    proposal = complete_draft()
    proposal.requested_amount = proposal.phase.max_per_award + Decimal("0.01")
    proposal.save()
    with pytest.raises(DomainError):
        proposal_submit(proposal=proposal, actor=proposal.person, declaration_accepted=True)


@pytest.mark.django_db
def test_withdraw_before_the_deadline_not_after():
    proposal = complete_draft()
    person = proposal.person
    proposal = proposal_submit(proposal=proposal, actor=person, declaration_accepted=True)
    with (
        time_machine.travel(proposal.phase.call.deadline + timedelta(seconds=1)),
        pytest.raises((DomainError, IllegalTransition)),
    ):
        proposal_withdraw(proposal=proposal, actor=person)
    assert proposal_withdraw(proposal=proposal, actor=person).status == "withdrawn"


@pytest.mark.django_db
def test_only_the_companys_own_people_may_submit():
    proposal = complete_draft()
    with pytest.raises(NotAllowed):
        proposal_submit(proposal=proposal, actor=applicant(), declaration_accepted=True)


# --- Uploads ---------------------------------------------------------------------------------


def upload_for(proposal, upload):
    return attachment_add(
        proposal=proposal,
        actor=proposal.person,
        upload=upload,
        required_document=proposal.phase.required_documents.first(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (
            SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 500, "application/pdf"),
            "content_mismatch",
        ),
        (SimpleUploadedFile("plan.pdf", b"", "application/pdf"), "empty"),
        (SimpleUploadedFile("plan.exe", b"%PDF-1.4\n", "application/pdf"), "extension"),
        (SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n", "application/msword"), "declared_mismatch"),
    ],
    ids=["executable-renamed-pdf", "empty", "wrong-extension", "declared-type-disagrees"],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(upload, code):
    proposal = complete_draft()
    before = proposal.attachments.count()
    with pytest.raises(DomainError) as refused:
        upload_for(proposal, upload)
    assert refused.value.code == code
    assert proposal.attachments.count() == before


@pytest.mark.django_db
def test_oversized_upload_is_refused(settings):
    settings.UPLOAD_MAX_SIZE = 1024
    proposal = complete_draft()
    with pytest.raises(DomainError) as refused:
        upload_for(proposal, pdf_upload_of_size(2048))
    assert refused.value.code == "too_large"


def pdf_upload_of_size(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * size, "application/pdf")


@pytest.mark.django_db
def test_eicar_test_file_is_caught_by_clamd():
    if not clamd_configured():
        if __import__("os").environ.get("CI"):
            pytest.fail("CI must scan uploads with a real clamd (CLAMD_SOCKET)")
        pytest.skip("no ClamAV daemon configured (scripts/start-clamd.sh)")
    proposal = complete_draft()
    with pytest.raises(DomainError) as refused:
        upload_for(proposal, SimpleUploadedFile("eicar.pdf", EICAR, "application/pdf"))
    assert refused.value.code == "virus"


@pytest.mark.django_db
def test_clamd_unreachable_refuses_rather_than_storing_unscanned(settings):
    proposal = complete_draft()
    settings.CLAMD_SOCKET = "/nonexistent/clamd.sock"
    settings.CLAMD_HOST = ""
    with pytest.raises(DomainError) as refused:
        upload_for(proposal, pdf_upload())
    assert refused.value.code == "scan_unavailable"


# --- The phase funnel ------------------------------------------------------------------------


def _feasibility_awarded_with_report(call: Call, *, report_status: str):
    from proposals.models import Contract

    draft = complete_draft(call=call)
    proposal = proposal_submit(proposal=draft, actor=draft.person, declaration_accepted=True)
    proposal.person = draft.person
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.AWARDED)
    contract = Contract.objects.create(
        proposal=proposal,
        amount=Decimal("20000.00"),
        start_date=call.deadline.date(),
        end_date=call.deadline.date() + timedelta(days=120),
    )
    Deliverable.objects.create(
        contract=contract,
        kind=Deliverable.Kind.FEASIBILITY_REPORT,
        name="Haalbaarheidsrapport",
        due_date=call.deadline.date() + timedelta(days=120),
        status=report_status,
    )
    return proposal


@pytest.mark.django_db
def test_prototype_phase_only_for_awarded_feasibility_with_accepted_report():
    call = published_call()
    prototype = call.phases.get(order=2)
    Phase.objects.filter(pk=prototype.pk).update(deadline=call.deadline + timedelta(days=200))
    prototype.refresh_from_db()
    accepted = _feasibility_awarded_with_report(call, report_status=Deliverable.Status.ACCEPTED)
    pending = _feasibility_awarded_with_report(call, report_status=Deliverable.Status.DELIVERED)
    outsider = applicant()

    assert proposal_start(phase=prototype, actor=accepted.person, title="Prototype").pk
    with pytest.raises(NotAllowed):
        proposal_start(phase=prototype, actor=pending.person, title="Prototype")
    with pytest.raises(NotAllowed):
        proposal_start(phase=prototype, actor=outsider, title="Prototype")


@pytest.mark.django_db
def test_one_live_proposal_per_company_and_phase():
    proposal = complete_draft()
    with pytest.raises(DomainError):
        proposal_start(phase=proposal.phase, actor=proposal.person, title="Nog een")
