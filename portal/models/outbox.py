"""The outbox: what must happen after a commit, recorded in the same transaction."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task to send once the transaction that wrote this row has committed.

    The row is written in the transaction that makes the task necessary (a submission, a
    decision), so the two are never apart: if the broker cannot take the task right after
    the commit, the row stays pending and the periodic job ``portal.outbox_dispatch`` sends
    it again once the broker is back. ``sent_at`` means the broker confirmed it has the task.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    # Arguments that must not outlive their sending (a token in an invitation link).
    secret = models.BooleanField(_("secret arguments"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    available_at = models.DateTimeField(_("send from"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                condition=Q(sent_at__isnull=True),
                name="outbox_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"
