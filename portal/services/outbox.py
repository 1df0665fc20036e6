"""The outbox: tasks recorded with the transaction that needs them and sent after its commit.

``outbox_enqueue`` writes an ``OutboxMessage`` in the caller's transaction and sends the task
to the broker once that transaction commits. If the broker cannot take it (Redis down), the
request still succeeds: the failure is logged, and ``outbox_dispatch`` (Celery beat, every
minute) sends what is still pending once the broker is back. The tasks are idempotent, so a
task sent twice (the broker took it, but confirming that in the database failed) does no harm.
"""

import logging
from datetime import timedelta
from typing import Literal

from celery import Task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..celery import app
from ..models import OutboxMessage

logger = logging.getLogger(__name__)

Outcome = Literal["sent", "skipped", "failed"]


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
        message = OutboxMessage.objects.get(pk=pk)
        _task(message.task).apply_async(args=message.args, kwargs=message.kwargs)
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
