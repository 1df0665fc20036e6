"""Asking for reports and exports, and the life of a background job: queued → running → done
or failed (→ queued again on a retry, or when its worker was lost).

The request side runs in the web process; the job side runs in the Celery worker. Both only
move a job through its states here, so the page, the worker and a retry never disagree.

A job is made once, however often its message is delivered: the attempt that begins it owns it
(its number is ``attempts``), writes a heartbeat while it works, and only the owner may write
progress or the result. A second delivery while the owner gives signs of life waits; one after
the owner was lost (no heartbeat for four beats) takes over as a new attempt.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calls.models import Call
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue

from ..models import Job, ParliamentReport
from .jobs import job_requeue

MAX_HIGHLIGHTS = 5


# --- Parliament reports: the request side -------------------------------------------------


def report_request(
    *,
    actor: User | None,
    period_start: date,
    period_end: date,
    language: str = ParliamentReport.Language.DUTCH,
    highlighted: list[Call] | tuple = (),
    regenerate: bool = False,
    signatory_name: str = "",
    signatory_title: str = "",
    reference: str = "",
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
                    signatory_name=(signatory_name or settings.REPORT_SIGNATORY_NAME).strip(),
                    signatory_title=(signatory_title or settings.REPORT_SIGNATORY_TITLE).strip(),
                    reference=reference.strip(),
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
                job_requeue(report, actor=actor)
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
    from ..tasks import generate_parliament_report

    outbox_enqueue(generate_parliament_report, report.pk)
