"""The outbox: tasks recorded with the transaction that needs them and sent after its commit.

``outbox_enqueue`` writes an ``OutboxMessage`` in the caller's transaction and sends the task
to the broker once that transaction commits. If the broker cannot take it (Redis down), the
request still succeeds: the failure is logged, and ``outbox_dispatch`` (Celery beat, every
minute) sends what is still pending once the broker is back. The tasks are idempotent, so a
task sent twice (the broker took it, but confirming that in the database failed) does no harm.
Without a broker (no ``REDIS_URL``: ``manage.py`` on its own, a shell, the tests) the task
runs in-process after the commit, and its failure is the task's to record, never the
request's: see ``_run_here``.
"""

import logging
from datetime import timedelta
from typing import Literal

from celery import Task
from celery.exceptions import Retry
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..celery import app
from ..models import OutboxMessage

logger = logging.getLogger(__name__)

Outcome = Literal["sent", "skipped", "failed"]
# Without a broker: how often a task that sets no ``max_retries`` of its own is tried again.
EAGER_MAX_RETRIES = 3


def outbox_enqueue(task: Task | str, /, *args, secret: bool = False, **kwargs) -> OutboxMessage:
    """Record ``task(*args, **kwargs)`` in the current transaction; send it after the commit.

    ``secret`` arguments (a token for a link) are erased once the broker has the task.
    """
    message = OutboxMessage.objects.create(
        task=task if isinstance(task, str) else task.name,
        args=list(args),
        kwargs=kwargs,
        secret=secret,
    )
    transaction.on_commit(lambda: outbox_send(message.pk))
    return message


def _task(name: str) -> Task:
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def outbox_send(pk: int) -> Outcome:
    """Hand one pending message to the broker; never raises for a broker that is down."""
    if app.conf.task_always_eager:
        # No broker: the task runs here and now, as ``.delay()`` would run it.
        now = timezone.now()
        if not OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True).update(
            sent_at=now, attempts=1
        ):
            return "skipped"
        _run_here(OutboxMessage.objects.get(pk=pk))
        return "sent"
    with transaction.atomic():
        # Locked without waiting: the commit's own send and the periodic job never both send.
        locked = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True)
            .first()
        )
        if locked is None:
            return "skipped"
        message = locked
        message.attempts += 1
        try:
            _task(message.task).apply_async(
                args=message.args,
                kwargs=message.kwargs,
                # Results are not kept for these tasks, and asking the result store to
                # listen would wait for a Redis that is down.
                ignore_result=True,
                retry_policy=settings.OUTBOX_PUBLISH_RETRY_POLICY,
            )
        except Exception as error:
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            wait = min(2**message.attempts, settings.OUTBOX_MAX_BACKOFF_SECONDS)
            message.available_at = timezone.now() + timedelta(seconds=wait)
            message.save(update_fields=["attempts", "last_error", "available_at"])
            logger.warning(
                "Outbox: the broker did not take %s (message %s, attempt %s): %s. "
                "The periodic job sends it again.",
                message.task,
                message.pk,
                message.attempts,
                message.last_error,
            )
            return "failed"
        message.sent_at = timezone.now()
        fields = ["attempts", "sent_at"]
        if message.secret:
            message.args, message.kwargs = [], {}
            fields += ["args", "kwargs"]
        message.save(update_fields=fields)
    return "sent"


def _run_here(message: OutboxMessage) -> None:
    """Run the task in this process (no broker), as a worker would run it for the request.

    A worker runs a task after the request has been answered: the task's error never reaches
    the person who asked, a retry comes later and the task records its own failures (a notice
    rejected after its last attempt, a report marked failed). Here the request is still being
    answered, so the task's error is caught, logged and kept in ``last_error`` instead of
    becoming the request's 500; a retry runs straight away, as a worker would run it after
    the pause, until the task's own ``max_retries`` (``EAGER_MAX_RETRIES`` for a task without
    a limit), so that the task's own handling of its last attempt runs and leaves its record.
    """
    task = _task(message.task)
    limit = task.max_retries if task.max_retries is not None else EAGER_MAX_RETRIES
    retries = 0
    while True:
        try:
            # ``apply_async`` (eager: serialised as for a broker, then run here), the door
            # every task leaves by.
            task.apply_async(args=message.args, kwargs=message.kwargs, retries=retries, throw=True)
        except Retry as retry:
            if retries < limit:
                retries += 1
                continue
            error: BaseException = retry.exc or retry
        except Exception as exc:
            error = exc
        else:
            return
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.attempts = retries + 1
        message.save(update_fields=["attempts", "last_error"])
        logger.error(
            "Outbox: task %s (message %s) failed in-process after %s attempt(s): %s",
            message.task,
            message.pk,
            message.attempts,
            message.last_error,
            exc_info=error,
        )
        return


def outbox_dispatch(*, limit: int = 500) -> int:
    """Send what is pending (oldest first) and forget what was sent long ago.

    Stops at the first message the broker refuses: it is down, the next run tries again.
    Returns how many messages were sent.
    """
    now = timezone.now()
    pending = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, available_at__lte=now)
        .order_by("available_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in pending:
        outcome = outbox_send(pk)
        if outcome == "failed":
            break
        sent += outcome == "sent"
    if sent:
        logger.info("Outbox: sent %s pending task(s).", sent)
    OutboxMessage.objects.filter(
        sent_at__lt=now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    ).delete()
    return sent
