"""The progress report made by a real Celery worker process over Redis, as in production."""

import time
from datetime import date

import pytest
from django.utils import timezone

from funding.selectors.budget import fund_balances
from reporting.models import ParliamentReport
from reporting.services.reports import report_request

from .scenario import scenario
from .test_reports import pdf_text, plain


def wait_until_finished(report: ParliamentReport, seconds: float = 120) -> ParliamentReport:
    deadline = time.monotonic() + seconds
    seen_progress = set()
    while time.monotonic() < deadline:
        report.refresh_from_db()
        seen_progress.add(report.progress)
        if not report.is_active:
            report.seen_progress = seen_progress
            return report
        time.sleep(0.1)
    raise AssertionError(f"the worker did not finish the report: {report.status} {report.error}")


@pytest.mark.live_worker
def test_a_worker_makes_the_report_and_its_pdf_holds_the_ledgers_figures(live_worker):
    story = scenario(trajectories=2)

    report, created = report_request(
        actor=story.staff, period_start=date(2021, 1, 1), period_end=timezone.localdate()
    )

    assert created
    report = wait_until_finished(report)
    assert report.status == ParliamentReport.Status.DONE, report.error
    assert report.attempts == 1
    stored = live_worker["files_dir"] / "private" / report.file.name
    reader, text = pdf_text(stored.read_bytes())
    assert len(reader.pages) == report.page_count
    (balance,) = fund_balances()
    assert plain(balance.appropriated) in text
    assert plain(balance.committed + balance.paid) in text
    assert plain(balance.paid) in text
    for call in story.calls:
        assert call.title in text
