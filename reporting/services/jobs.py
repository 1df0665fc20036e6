"""The life of a background job (reports and exports): queued → running → done or failed
(→ queued again on a retry, or when its worker was lost).

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

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from portal import states
from portal.models import User

from ..models import Job
from ..models.jobs import worker_lost_after

logger = logging.getLogger(__name__)

ERROR_LIMIT = 2000  # characters of a failure's reason kept on the record


class JobBusy(Exception):
    """Another worker is making this job and gave a sign of life recently."""

    def __init__(self, retry_in: float):
        super().__init__(f"being made by another worker; look again in {retry_in:.0f} s")
        self.retry_in = retry_in


class JobTakenOver(Exception):
    """This attempt no longer owns its job: it was lost, and another attempt took over."""


# --- The request side: a retry ----------------------------------------------------------------


def job_requeue(job: Job, *, actor: User | None) -> None:
    """Back into the queue (the caller holds the row's lock and enqueues the task on commit)."""
    job.progress = 0
    job.progress_message = ""
    job.error = ""
    job.finished_at = None
    states.transition(
        job,
        Job.Status.QUEUED,
        actor=actor,
        extra_fields=["progress", "progress_message", "error", "finished_at"],
    )


# --- The job side (in the worker) ---------------------------------------------------------


def job_begin(model: type[Job], pk: int) -> Job | None:
    """Start (or, after a worker was lost, restart) a job; None if there is nothing to do.

    Raises JobBusy while another worker is still making it (a duplicate delivery).
    """
    with transaction.atomic():
        job = model._default_manager.select_for_update().filter(pk=pk).first()
        if job is None or job.status not in Job.ACTIVE:
            return None
        now = timezone.now()
        last = job.last_sign_of_life
        if job.status == Job.Status.RUNNING and not job.worker_lost and last is not None:
            lost_at = last + worker_lost_after()
            raise JobBusy(retry_in=max((lost_at - now).total_seconds(), 0) + 1)
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.progress = 0
        job.progress_message = ""
        states.transition(
            job,
            Job.Status.RUNNING,
            actor=None,
            extra_fields=["attempts", "started_at", "heartbeat_at", "progress", "progress_message"],
        )
    return job


def _owned(job: Job):
    """The job's row, if this attempt still owns it."""
    return type(job)._default_manager.filter(
        pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts
    )


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
        # A file of an earlier attempt is removed by django-cleanup once this commits.
        job.file.save(filename, ContentFile(content), save=False)
        job.checksum = hashlib.sha256(content).hexdigest()
        job.progress = 100
        job.progress_message = ""
        job.error = ""
        job.finished_at = timezone.now()
        for name, value in fields.items():
            setattr(job, name, value)
        states.transition(
            job,
            Job.Status.DONE,
            actor=None,
            extra_fields=[
                "file", "checksum", "progress", "progress_message", "error", "finished_at",
                *fields,
            ],
        )  # fmt: skip


def job_fail(job: Job, *, error: str, final: bool) -> None:
    """Record why an attempt failed; only the last attempt marks the job failed."""
    with transaction.atomic():
        # Locked, then moved: only the attempt that still owns the job records its failure.
        if not _owned(job).select_for_update().exists():
            raise JobTakenOver()
        job.error = error[:ERROR_LIMIT]
        job.finished_at = timezone.now() if final else None
        states.transition(
            job,
            Job.Status.FAILED if final else Job.Status.QUEUED,
            actor=None,
            extra_fields=["error", "finished_at"],
        )
