"""Reports for parliament and exports: records of work a Celery worker does in the background.

Each record is the single source of truth for its job: the page polls it for progress, the
worker writes progress, a heartbeat, the finished file, its checksum and, on failure, the
reason. A worker that dies mid-job leaves the record "running" with a heartbeat that stops; the
page then says the worker was lost and offers to try again, and the broker redelivers the task
(acks late) so that the next worker starts the job again from the record.
"""

from datetime import datetime, timedelta

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal import states
from portal.models import Organisation


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


# The worker records a step's code; the page shows it in the reader's language.
STEP_LABELS = {
    "ledger": _("Reading the ledger"),
    "trajectories": _("Reading the trajectories and their funnel"),
    "charts": _("Drawing the charts"),
    "layout": _("Laying out the pages"),
    "saving": _("Saving the PDF"),
    "rows": _("Writing the rows"),
}


class Job(models.Model):
    """What reports and exports share: who asked, the state of the work, and its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    progress_message = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), storage=_private_storage, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Written by the worker every JOB_HEARTBEAT_SECONDS while it makes the job.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_queued(self) -> bool:
        return self.status == self.Status.QUEUED

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def step_label(self) -> str:
        return str(STEP_LABELS.get(self.progress_message, ""))

    @property
    def last_sign_of_life(self) -> datetime | None:
        return self.heartbeat_at or self.started_at

    @property
    def worker_lost(self) -> bool:
        """Running, but its worker has missed four heartbeats: it (or its machine) stopped."""
        if self.status != self.Status.RUNNING:
            return False
        last = self.last_sign_of_life
        return last is None or timezone.now() - last > worker_lost_after()

    @property
    def redelivery_due(self) -> datetime | None:
        """When Redis hands the task to another worker by itself, if nobody retries sooner.

        The embedded broker (files, under `make run`) does not redeliver: there only a retry
        makes the job again.
        """
        if not settings.REDIS_URL or self.started_at is None:
            return None
        timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        return self.started_at + timedelta(seconds=timeout)


def worker_lost_after() -> timedelta:
    return timedelta(seconds=4 * settings.JOB_HEARTBEAT_SECONDS)


class ParliamentReport(Job):
    """A progress report for parliament (voortgangsrapportage) over a period."""

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )
    scheduled = models.BooleanField(_("made by the schedule"), default=False)
    highlighted_calls = models.ManyToManyField(
        "calls.Call", blank=True, related_name="+", verbose_name=_("highlighted trajectories")
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # The cover letter's signature and the ministry's reference number (kenmerk).
    signatory_name = models.CharField(_("signed by (name)"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signed by (title)"), max_length=200, blank=True)
    reference = models.CharField(_("reference number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            ),
            # Asking twice while one is being made never makes a second one.
            models.UniqueConstraint(
                fields=["period_start", "period_end", "language"],
                condition=Q(status__in=["queued", "running"]),
                name="report_one_active_per_period_and_language",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{date_format(self.period_start)} – {date_format(self.period_end)} ({self.language})"
        )


class Export(Job):
    """A CSV or XLSX download too large to build while the user waits."""

    class Kind(models.TextChoices):
        CALLS = "calls", _("calls")
        PROPOSALS = "proposals", _("proposals")
        AWARDS = "awards", _("awards and contracts")
        TRANSACTIONS = "transactions", _("ledger transactions")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX (Excel)"

    class CsvDialect(models.TextChoices):
        # Dutch Excel splits on semicolons and reads a comma as the decimal separator.
        DUTCH = "nl", _("Dutch: semicolons and a decimal comma (Dutch Excel)")
        INTERNATIONAL = "international", _("International: commas and a decimal point")

    kind = models.CharField(_("data"), max_length=20, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # Only for CSV; blank for XLSX (and for CSV exports from before the choice: international).
    csv_dialect = models.CharField(
        _("CSV dialect"), max_length=13, choices=CsvDialect.choices, blank=True
    )
    # Whose data: an officer's export holds only their authority's rows; None is everything
    # (ministry staff).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format})"


J_STATUS = Job.Status
# A running job is taken over by a new attempt (running again) when its worker was lost, and
# goes back into the queue for a retry; a failed one can be asked for again.
JOB_TRANSITIONS: dict[str, set[str]] = {
    J_STATUS.QUEUED: {J_STATUS.RUNNING},
    J_STATUS.RUNNING: {J_STATUS.RUNNING, J_STATUS.DONE, J_STATUS.FAILED, J_STATUS.QUEUED},
    J_STATUS.FAILED: {J_STATUS.QUEUED},
    J_STATUS.DONE: set(),
}
states.register(ParliamentReport, JOB_TRANSITIONS)
states.register(Export, JOB_TRANSITIONS)

# Progress and heartbeats change every few seconds; the audit trail keeps the status changes.
JOB_VOLATILE_FIELDS = ["progress", "progress_message", "heartbeat_at"]
auditlog.register(ParliamentReport, exclude_fields=JOB_VOLATILE_FIELDS)
auditlog.register(Export, exclude_fields=JOB_VOLATILE_FIELDS)
