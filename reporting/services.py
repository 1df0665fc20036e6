"""Asking for reports and exports, and the life of a background job: queued → running → done
or failed (→ queued again on a retry).

The request side runs in the web process; the job side runs in the Celery worker. Both only
move a job through its states here, so the page, the worker and a retry never disagree.
"""

import hashlib
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calls.models import Call
from portal.exceptions import DomainError, NotAllowed
from portal.models import Organisation, Role, User
from portal.permissions import can
from portal.selectors import organisations_of

from .models import Export, Job, ParliamentReport

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
    """A failed report goes back into the queue, keeping its record and its history."""
    if not can(actor, "reporting.generate_report"):
        raise NotAllowed()
    with transaction.atomic():
        report = ParliamentReport.objects.select_for_update().get(pk=report.pk)
        if report.status != Job.Status.FAILED:
            raise DomainError(_("Only a failed report can be tried again."), code="not_failed")
        report.status = Job.Status.QUEUED
        report.progress = 0
        report.progress_message = ""
        report.error = ""
        try:
            with transaction.atomic():
                report.save(update_fields=["status", "progress", "progress_message", "error"])
        except IntegrityError as exc:
            raise DomainError(
                _("The same report is already being made."), code="duplicate"
            ) from exc
        _enqueue_report_on_commit(report)
    return report


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


def export_check(*, actor: User, kind: str, file_format: str, csv_dialect: str = "") -> None:
    if kind not in export_kinds_for(actor):
        raise NotAllowed()
    if file_format not in Export.Format.values:
        raise DomainError(_("Choose CSV or XLSX."), code="format")
    if csv_dialect and csv_dialect not in Export.CsvDialect.values:
        raise DomainError(_("Choose the Dutch or the international CSV."), code="csv_dialect")


def export_request(
    *, actor: User, kind: str, file_format: str, csv_dialect: str = ""
) -> tuple[Export, bool]:
    """A background export; the same one while it is still being made is returned as is.

    `csv_dialect` matters only for CSV; without it a CSV is international.
    """
    export_check(actor=actor, kind=kind, file_format=file_format, csv_dialect=csv_dialect)
    if file_format == Export.Format.CSV:
        csv_dialect = csv_dialect or Export.CsvDialect.INTERNATIONAL
    else:
        csv_dialect = ""
    scope = export_scope(actor)
    organisation = None
    if scope is not None:
        organisation = scope[0] if len(scope) == 1 else None
    with transaction.atomic():
        # One active export per person and kind: lock the person to serialise double clicks.
        User.objects.select_for_update().get(pk=actor.pk)
        existing = Export.objects.filter(
            requested_by=actor,
            kind=kind,
            format=file_format,
            csv_dialect=csv_dialect,
            status__in=Job.ACTIVE,
        ).first()
        if existing is not None:
            return existing, False
        export = Export.objects.create(
            requested_by=actor,
            kind=kind,
            format=file_format,
            csv_dialect=csv_dialect,
            organisation=organisation,
        )
        from .tasks import build_export

        transaction.on_commit(lambda: build_export.delay(export.pk))
    return export, True


# --- The job side (in the worker) ---------------------------------------------------------


def job_begin(model: type[Job], pk: int) -> Job | None:
    """Start (or, after a worker died, restart) a job; None if there is nothing to do."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.status not in Job.ACTIVE:
            return None
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.progress = 0
        job.progress_message = ""
        job.save(update_fields=["status", "attempts", "started_at", "progress", "progress_message"])
    return job


def job_progress(job: Job, percent: int, message: str) -> None:
    """Written straight away (outside any transaction) so the page sees it while we work."""
    job.progress, job.progress_message = percent, message
    type(job).objects.filter(pk=job.pk).update(progress=percent, progress_message=message)


def job_finish(job: Job, *, filename: str, content: bytes, **fields) -> None:
    with transaction.atomic():
        # A file of an earlier attempt is removed by django-cleanup once this commits.
        job.file.save(filename, ContentFile(content), save=False)
        job.checksum = hashlib.sha256(content).hexdigest()
        job.status = Job.Status.DONE
        job.progress = 100
        job.progress_message = ""
        job.error = ""
        job.finished_at = timezone.now()
        for name, value in fields.items():
            setattr(job, name, value)
        job.save()


def job_fail(job: Job, *, error: str, final: bool) -> None:
    """Record why an attempt failed; only the last attempt marks the job failed."""
    job.error = error[:ERROR_LIMIT]
    job.status = Job.Status.FAILED if final else Job.Status.QUEUED
    job.finished_at = timezone.now() if final else None
    type(job).objects.filter(pk=job.pk).update(
        error=job.error, status=job.status, finished_at=job.finished_at
    )
