"""The job side of reports and exports, in the worker: begin, progress, finish, fail."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..models import Job

ERROR_LIMIT = 2000  # characters of a failure's reason kept on the record


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
