"""Lost updates with a real worker (Redis + PostgreSQL): the receipt task races the company's
withdrawal and the officer's start of the assessment, and never undoes either."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from calls.services.lifecycle import call_close
from portal.models import Role
from portal.services.outbox import outbox_enqueue
from proposals.models import Proposal
from proposals.services.assessment import assessment_open
from proposals.services.submission import proposal_submit, proposal_withdraw
from proposals.tasks import send_receipt
from tests.calls.factories import published_call
from tests.concurrency import require_postgresql
from tests.factories import CompanyFactory, person_with_role

from .factories import complete_draft


def wait_for_receipts(pks: list[int], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not Proposal.objects.filter(pk__in=pks, receipt_sent_at__isnull=True).exists():
            return
        time.sleep(0.25)
    missing = Proposal.objects.filter(pk__in=pks, receipt_sent_at__isnull=True).count()
    raise AssertionError(f"{missing} of {len(pks)} receipts not sent within {seconds} s")


def mails_in(folder) -> int:
    return sum(1 for _ in folder.iterdir())


def wait_for_mails(folder, count: int, seconds: float = 10) -> int:
    """The worker writes the mail just after marking the receipt sent."""
    deadline = time.monotonic() + seconds
    while mails_in(folder) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return mails_in(folder)


@pytest.mark.live_worker
def test_submit_then_withdraw_at_once_fifty_times(live_worker):
    require_postgresql()
    mails_before = mails_in(live_worker["mail_dir"])
    call = published_call()
    drafts = [complete_draft(call=call) for _ in range(50)]

    for draft in drafts:
        proposal = proposal_submit(proposal=draft, actor=draft.person)
        proposal_withdraw(proposal=proposal, actor=draft.person)

    pks = [draft.pk for draft in drafts]
    wait_for_receipts(pks, seconds=120)
    proposals = Proposal.objects.filter(pk__in=pks)
    assert sorted(proposals.values_list("status", flat=True)) == ["withdrawn"] * 50
    assert all(p.receipt.name.endswith(".pdf") for p in proposals)
    assert wait_for_mails(live_worker["mail_dir"], mails_before + 50) == mails_before + 50


@pytest.mark.live_worker
def test_the_assessment_started_while_200_receipts_are_made_stays_started(live_worker):
    require_postgresql()
    mails_before = mails_in(live_worker["mail_dir"])
    call = published_call()
    phase = call.phases.get(order=1)
    # 200 submissions as proposal_submit leaves them: submitted, numbered, the receipt in the
    # outbox (made here in bulk; proposal_submit itself is raced in the test above).
    companies = CompanyFactory.create_batch(200)
    people = [person_with_role(Role.APPLICANT, organisation=c) for c in companies]
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        Proposal(
            call=call,
            phase=phase,
            company=company,
            created_by=person,
            title=f"Voorstel {n}",
            status=Proposal.Status.SUBMITTED,
            submitted_at=now,
            submission_number=f"{call.reference}-1-{n:04d}",
        )
        for n, (company, person) in enumerate(zip(companies, people, strict=True), start=1)
    )
    pks = [p.pk for p in proposals]
    with transaction.atomic():
        for pk in pks:
            outbox_enqueue(send_receipt, pk)

    # The worker is making the receipts now; the deadline passes and the officer starts.
    deadline = time.monotonic() + 30
    while not Proposal.objects.filter(pk__in=pks, receipt_sent_at__isnull=False).exists():
        assert time.monotonic() < deadline, "the worker made no receipt"
        time.sleep(0.05)
    with time_machine.travel(call.deadline + timedelta(minutes=1), tick=True):
        call_close(call=call, actor=call.officer)
        started = assessment_open(phase=phase, actor=call.officer)
    made_before = Proposal.objects.filter(pk__in=pks, receipt_sent_at__isnull=False).count()

    wait_for_receipts(pks, seconds=180)
    assert started == 200
    assert 0 < made_before < 200, "the assessment must start while receipts are being made"
    statuses = Proposal.objects.filter(pk__in=pks).values_list("status", flat=True)
    assert list(statuses) == ["under_assessment"] * 200
    assert wait_for_mails(live_worker["mail_dir"], mails_before + 200) == mails_before + 200
