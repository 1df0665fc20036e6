"""Lost updates with a real worker (Redis + PostgreSQL): the receipt task races the company's
withdrawal and never undoes it. (The race with the start of the assessment is proved
in-process in test_lost_updates.py.)"""

import time

import pytest

from proposals.models import Proposal
from proposals.services.submission import proposal_submit, proposal_withdraw
from tests.calls.factories import published_call
from tests.concurrency import require_postgresql

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


@pytest.fixture
def worker(live_worker):
    """The session's live worker; the receipts mailed here are removed afterwards, so that
    other tests reading the worker's mail folder find only their own."""
    before = set(live_worker["mail_dir"].iterdir())
    yield live_worker
    for path in set(live_worker["mail_dir"].iterdir()) - before:
        path.unlink()


@pytest.mark.live_worker
def test_submit_then_withdraw_at_once_fifty_times(worker):
    live_worker = worker
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
