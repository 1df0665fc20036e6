"""Asking for reports and exports, and the life of a background job: queued → running → done
or failed (→ queued again on a retry, or when its worker was lost).

The request side runs in the web process; the job side runs in the Celery worker. Both only
move a job through its states here, so the page, the worker and a retry never disagree.

A job is made once, however often its message is delivered: the attempt that begins it owns it
(its number is ``attempts``), writes a heartbeat while it works, and only the owner may write
progress or the result. A second delivery while the owner gives signs of life waits; one after
the owner was lost (no heartbeat for four beats) takes over as a new attempt.
"""

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calls.models import Call
from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation, Role, User
from portal.permissions import can
from portal.selectors import organisations_of

from .models import Export, Job, ParliamentReport, worker_lost_after

logger = logging.getLogger(__name__)

MAX_HIGHLIGHTS = 5
ERROR_LIMIT = 2000  # characters of a failure's reason kept on the record


# --- Parliament reports: the request side -------------------------------------------------


def report_request(
    *,
    actor: User | None,
    period_start: date,
    period_end: date,
    language: str = ParliamentReport.Language.DUTCH,
    highlighted: list[Call] | tuple = (),
    regenerate: bool = False,
) -> tuple[ParliamentReport, bool]:
    """Ask for a report; the same request while one is queued, running or done returns that
    one (created False). ``regenerate`` makes a fresh one from today's data once the last is
    finished. ``actor`` None is the schedule."""
    if actor is not None and not can(actor, "reporting.generate_report"):
        raise NotAllowed()
    if period_end < period_start:
        raise DomainError(_("The period must end on or after its start."), code="period")
    if period_end > timezone.localdate():
        raise DomainError(_("The period cannot end in the future."), code="period")
    if language not in ParliamentReport.Language.values:
        raise DomainError(_("Choose Dutch or English."), code="language")
    if len(highlighted) > MAX_HIGHLIGHTS:
        raise DomainError(
            ngettext(
                "Highlight at most %(n)d trajectory.",
                "Highlight at most %(n)d trajectories.",
                MAX_HIGHLIGHTS,
            )
            % {"n": MAX_HIGHLIGHTS},
            code="highlighted",
        )
    same = ParliamentReport.objects.filter(
        period_start=period_start, period_end=period_end, language=language
    )
    with transaction.atomic():
        existing = same.filter(status__in=Job.ACTIVE).first()
        if existing is None and not regenerate:
            existing = same.filter(status=Job.Status.DONE).order_by("-finished_at").first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                report = ParliamentReport.objects.create(
                    period_start=period_start,
                    period_end=period_end,
                    language=language,
                    requested_by=actor,
                    scheduled=actor is None,
                )
        except IntegrityError:
            # Someone asked for the same report at the same moment: theirs is ours.
            return same.get(status__in=Job.ACTIVE), False
        report.highlighted_calls.set(highlighted)
        _enqueue_report_on_commit(report)
    return report, True


def report_retry(*, report: ParliamentReport, actor: User) -> ParliamentReport:
    """A failed report, or one whose worker was lost, goes back into the queue, keeping its
    record and its history."""
    if not can(actor, "reporting.generate_report"):
        raise NotAllowed()
    with transaction.atomic():
        report = ParliamentReport.objects.select_for_update().get(pk=report.pk)
        if not (report.status == Job.Status.FAILED or report.worker_lost):
            raise DomainError(
                _("Only a failed report, or one whose worker stopped, can be tried again."),
                code="not_failed",
            )
        try:
            with transaction.atomic():
                _job_requeue(report)
        except IntegrityError as exc:
            raise DomainError(
                _("The same report is already being made."), code="duplicate"
            ) from exc
        _enqueue_report_on_commit(report)
    return report


def _job_requeue(job: Job) -> None:
    job.status = Job.Status.QUEUED
    job.progress = 0
    job.progress_message = ""
    job.error = ""
    job.finished_at = None
    job.save(update_fields=["status", "progress", "progress_message", "error", "finished_at"])


def previous_quarter(today: date) -> tuple[date, date]:
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_quarter - timedelta(days=1)
    return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


def report_schedule_quarterly(*, today: date | None = None) -> ParliamentReport:
    """Beat's quarterly report over the quarter that just ended."""
    start, end = previous_quarter(today or timezone.localdate())
    report, _created = report_request(actor=None, period_start=start, period_end=end)
    return report


def _enqueue_report_on_commit(report: ParliamentReport) -> None:
    from .tasks import generate_parliament_report

    transaction.on_commit(lambda: generate_parliament_report.delay(report.pk))


# --- Exports: the request side ------------------------------------------------------------


def export_kinds_for(user: User) -> list[str]:
    """Which data a person may export: proposals only for officers of the owning authority,
    the ledger and every authority's awards for the ministry as well."""
    if not can(user, "reporting.export"):
        return []
    kinds = [Export.Kind.CALLS, Export.Kind.AWARDS, Export.Kind.TRANSACTIONS]
    if organisations_of(user, role=Role.PROCUREMENT_OFFICER).exists():
        kinds.insert(1, Export.Kind.PROPOSALS)
    return kinds


def export_scope(user: User) -> list[Organisation] | None:
    """None: everything (ministry staff); otherwise the authorities whose rows may be seen."""
    if can(user, "funding.view_ledger"):
        return None
    return list(organisations_of(user, role=Role.PROCUREMENT_OFFICER))


def export_check(*, actor: User, kind: str, file_format: str) -> None:
    if kind not in export_kinds_for(actor):
        raise NotAllowed()
    if file_format not in Export.Format.values:
        raise DomainError(_("Choose CSV or XLSX."), code="format")


def export_request(*, actor: User, kind: str, file_format: str) -> tuple[Export, bool]:
    """A background export; the same one while it is still being made is returned as is."""
    export_check(actor=actor, kind=kind, file_format=file_format)
    scope = export_scope(actor)
    organisation = None
    if scope is not None:
        organisation = scope[0] if len(scope) == 1 else None
    with transaction.atomic():
        # One active export per person and kind: lock the person to serialise double clicks.
        User.objects.select_for_update().get(pk=actor.pk)
        existing = Export.objects.filter(
            requested_by=actor, kind=kind, format=file_format, status__in=Job.ACTIVE
        ).first()
        if existing is not None:
            return existing, False
        export = Export.objects.create(
            requested_by=actor, kind=kind, format=file_format, organisation=organisation
        )
        _enqueue_export_on_commit(export)
    return export, True


def export_retry(*, export: Export, actor: User) -> Export:
    """An export whose worker was lost is made again (a failed one is simply asked again)."""
    with transaction.atomic():
        export = Export.objects.select_for_update().get(pk=export.pk)
        if export.requested_by_id != actor.pk:
            raise NotAllowed()
        if not export.worker_lost:
            raise DomainError(
                _("Only an export whose worker stopped can be tried again."), code="not_lost"
            )
        _job_requeue(export)
        _enqueue_export_on_commit(export)
    return export


def _enqueue_export_on_commit(export: Export) -> None:
    from .tasks import build_export

    transaction.on_commit(lambda: build_export.delay(export.pk))


# --- The job side (in the worker) ---------------------------------------------------------


class JobBusy(Exception):
    """Another worker is making this job and gave a sign of life recently."""

    def __init__(self, retry_in: float):
        super().__init__(f"being made by another worker; look again in {retry_in:.0f} s")
        self.retry_in = retry_in


class JobTakenOver(Exception):
    """This attempt no longer owns its job: it was lost, and another attempt took over."""


def job_begin(model: type[Job], pk: int) -> Job | None:
    """Start (or, after a worker was lost, restart) a job; None if there is nothing to do.

    Raises JobBusy while another worker is still making it (a duplicate delivery).
    """
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.status not in Job.ACTIVE:
            return None
        now = timezone.now()
        if job.status == Job.Status.RUNNING and not job.worker_lost:
            lost_at = job.last_sign_of_life + worker_lost_after()
            raise JobBusy(retry_in=max((lost_at - now).total_seconds(), 0) + 1)
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.progress = 0
        job.progress_message = ""
        job.save(
            update_fields=[
                "status", "attempts", "started_at", "heartbeat_at", "progress", "progress_message"
            ]
        )  # fmt: skip
    return job


def _owned(job: Job):
    """The job's row, if this attempt still owns it."""
    return type(job).objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)


def job_progress(job: Job, percent: int, message: str) -> None:
    """Written straight away (outside any transaction) so the page sees it while we work."""
    job.progress, job.progress_message = percent, message
    if not _owned(job).update(
        progress=percent, progress_message=message, heartbeat_at=timezone.now()
    ):
        raise JobTakenOver()


@contextmanager
def job_heartbeat(job: Job, *, enabled: bool = True) -> Iterator[None]:
    """While the block runs, a thread writes a sign of life on the job every few seconds, so
    that the page tells a long step (WeasyPrint laying out pages) from a worker that died.

    Not in-process (``enabled`` False): there the job runs inside the request that asked for
    it, which cannot outlive its own process.
    """
    if not enabled:
        yield
        return
    every = settings.JOB_HEARTBEAT_SECONDS
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    if not _owned(job).update(heartbeat_at=timezone.now()):
                        return  # taken over: the owner's own writes will notice
                except Exception:
                    logger.exception("Heartbeat of %s %s failed", type(job).__name__, job.pk)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_finish(job: Job, *, filename: str, content: bytes, **fields) -> None:
    with transaction.atomic():
        if not _owned(job).select_for_update().exists():
            raise JobTakenOver()
        if job.file:
            job.file.delete(save=False)
        job.file.save(filename, ContentFile(content), save=False)
        job.checksum = hashlib.sha256(content).hexdigest()
        job.status = Job.Status.DONE
        job.progress = 100
        job.progress_message = ""
        job.error = ""
        job.finished_at = timezone.now()
        for name, value in fields.items():
            setattr(job, name, value)
        job.save(
            update_fields=[
                "file", "checksum", "status", "progress", "progress_message", "error",
                "finished_at", *fields,
            ]
        )  # fmt: skip


def job_fail(job: Job, *, error: str, final: bool) -> None:
    """Record why an attempt failed; only the last attempt marks the job failed."""
    job.error = error[:ERROR_LIMIT]
    job.status = Job.Status.FAILED if final else Job.Status.QUEUED
    job.finished_at = timezone.now() if final else None
    if not _owned(job).update(error=job.error, status=job.status, finished_at=job.finished_at):
        raise JobTakenOver()
