"""Celery tasks for reports and exports: thin, they take ids and let services move the job.

A failed attempt is retried with growing pauses; the record says why it failed each time, and
only after the last attempt does it read "failed" (a person can then try again). A worker that
dies mid-job loses nothing: its heartbeat stops, so the page offers to try again at once, and
the message is acknowledged only after the work (acks late), so the broker also hands it to
the next worker, which starts the job again from its record. Whichever comes first makes the
job; the other finds it done (or being made) and does nothing.
"""

import logging
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal.models import Membership, Role
from portal.origin import site_url

from .models import Export, ParliamentReport
from .selectors.opendata import open_data_call
from .services.jobs import (
    JobBusy,
    JobTakenOver,
    job_begin,
    job_fail,
    job_finish,
    job_heartbeat,
    job_progress,
)
from .services.notices import notice_deliver, notice_give_up
from .services.opendata import ocds_bulk_refresh, ocds_records_missing, ocds_release_record
from .services.publishers import PublisherUnavailable
from .services.reports import report_schedule_quarterly

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
NOTICE_MAX_RETRIES = 5
# The broker's visibility timeout (settings) is derived from these: keep them there.
REPORT_LIMITS = {
    "soft_time_limit": settings.REPORT_SOFT_TIME_LIMIT,
    "time_limit": settings.REPORT_TIME_LIMIT,
}


def backoff(retries: int) -> int:
    """Seconds before the next attempt: 30 s, 2 min, 8 min."""
    return 30 * 4**retries


@shared_task(bind=True, name="reporting.generate_parliament_report", max_retries=MAX_RETRIES,
             acks_late=True, **REPORT_LIMITS)  # fmt: skip
def generate_parliament_report(self, report_id: int) -> str | None:
    from .rendering.report import html_to_pdf, report_html

    try:
        report = job_begin(ParliamentReport, report_id)
    except JobBusy as busy:
        return _look_again(self, busy)
    if report is None:  # already done, or a duplicate message
        return None
    try:
        with job_heartbeat(report, enabled=not self.request.is_eager):
            html = report_html(report, lambda percent, step: job_progress(report, percent, step))
            job_progress(report, 60, "layout")
            rendered = html_to_pdf(html)
            job_progress(report, 95, "saving")
            name = f"voortgangsrapportage-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}"
            job_finish(
                report,
                filename=f"{name}-{report.language}.pdf",
                content=rendered.pdf,
                page_count=rendered.pages,
            )
    except JobTakenOver:
        logger.warning("Report %s attempt %s was taken over", report.pk, report.attempts)
        return None
    except Exception as exc:
        return _failed(self, report, exc)
    announce_report.delay(report.pk)
    return report.file.name


@shared_task(bind=True, name="reporting.build_export", max_retries=MAX_RETRIES, acks_late=True,
             **REPORT_LIMITS)  # fmt: skip
def build_export(self, export_id: int) -> str | None:
    from .rendering.exports import build

    try:
        export = job_begin(Export, export_id)
    except JobBusy as busy:
        return _look_again(self, busy)
    if export is None:
        return None
    try:
        with job_heartbeat(export, enabled=not self.request.is_eager):
            built = build(
                kind=export.kind,
                file_format=export.format,
                csv_dialect=export.csv_dialect,
                user=export.requested_by,
                progress=lambda percent: job_progress(export, percent, "rows"),
            )
            job_finish(export, filename=built.filename, content=built.content, row_count=built.rows)
    except JobTakenOver:
        logger.warning("Export %s attempt %s was taken over", export.pk, export.attempts)
        return None
    except Exception as exc:
        return _failed(self, export, exc)
    return export.file.name


@shared_task(name="reporting.quarterly_report")
def quarterly_report() -> int:
    """Run by Celery beat at the start of each quarter: the report over the quarter before."""
    return report_schedule_quarterly().pk


def _look_again(task, busy: JobBusy) -> None:
    """A second delivery while another worker makes the job (after that worker's child was
    killed, the broker hands the message out at once): look again once the other worker
    would count as lost, and take over then, or find the job done and do nothing."""
    if task.request.is_eager:
        return None  # in-process there is no other worker to wait for
    task.apply_async(args=task.request.args, countdown=busy.retry_in)
    return None


def _failed(task, job, exc: Exception) -> str | None:
    """Record the failure; retry (in-process without a broker), or give up after the last."""
    final = task.request.retries >= task.max_retries
    logger.warning("%s %s attempt %s failed: %r", type(job).__name__, job.pk, job.attempts, exc)
    try:
        job_fail(job, error=f"{type(exc).__name__}: {exc}", final=final)
    except JobTakenOver:
        return None
    if final:
        return None
    if task.request.is_eager:
        # In-process, without a broker (development, tests): Celery's retry would only raise,
        # so try again straight away as a worker would after the pause.
        return task.apply(args=task.request.args, retries=task.request.retries + 1).result
    raise task.retry(exc=exc, countdown=backoff(task.request.retries))


@shared_task(name="reporting.announce_report", autoretry_for=(Exception,), retry_backoff=30,
             max_retries=5)  # fmt: skip
def announce_report(report_id: int) -> int:
    """A scheduled report goes to all ministry staff; an asked-for one to whoever asked."""
    report = ParliamentReport.objects.select_related("requested_by").get(pk=report_id)
    if report.scheduled:
        recipients = list(
            Membership.objects.filter(role=Role.MINISTRY_STAFF, user__is_active=True)
            .values_list("user__email", flat=True)
            .distinct()
        )
    else:
        recipients = [report.requested_by.email] if report.requested_by else []
    if not recipients:
        return 0
    context = {
        "report": report,
        "url": site_url() + reverse("reporting:report", kwargs={"pk": report.pk}),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("reporting/email/report_ready_subject.txt", context).strip()
        body = render_to_string("reporting/email/report_ready_body.txt", context)
    # One message each: ministry staff need not see each other's addresses.
    for email in recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return len(recipients)


# --- Procurement notices ----------------------------------------------------------------------


@shared_task(bind=True, name="reporting.send_notice", acks_late=True,
             autoretry_for=(PublisherUnavailable,), max_retries=NOTICE_MAX_RETRIES,
             retry_backoff=30, retry_backoff_max=30 * 60, retry_jitter=False)  # fmt: skip
def send_notice(self, notice_id: int) -> str | None:
    """Ask the publisher to publish a sent notice; retried with growing pauses while it does
    not answer, and rejected with the reason after the last attempt."""
    try:
        outcome = notice_deliver(notice_id)
    except PublisherUnavailable as error:
        if self.request.retries >= self.max_retries:
            notice_give_up(notice_id=notice_id, reason=str(error))
            return None
        raise
    return outcome.publication_id if outcome is not None else None


# --- Open data with its history --------------------------------------------------------------


@shared_task(name="reporting.record_ocds_release", acks_late=True, max_retries=MAX_RETRIES,
             autoretry_for=(OperationalError,), retry_backoff=30)  # fmt: skip
def record_ocds_release(
    call_id: int, event: str, tags: list[str], date: str, phase_id: int | None = None
) -> list[str]:
    """Store the release of a change to a call (sent by the outbox after its commit).
    Idempotent: the same event twice is the same release."""
    call = open_data_call(call_id)
    if call is None:
        return []
    releases = ocds_release_record(
        call=call,
        event=event,
        tags=tags,
        date=datetime.fromisoformat(date),
        phase_id=phase_id,
    )
    return [release.release_id for release in releases]


@shared_task(name="reporting.build_ocds_bulk_files", acks_late=True,
             soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
             time_limit=settings.REPORT_TIME_LIMIT)  # fmt: skip
def build_ocds_bulk_files(force: bool = False) -> list[int]:
    """Rebuild the yearly bulk files whose releases changed (all of them with ``force``); and
    compile the records of releases that have none (stored before records were)."""
    ocds_records_missing()
    return ocds_bulk_refresh(force=force)
