"""A call's documents, its private storage, and the amendments published after it opened."""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .call import Call


def private_storage():
    """Files only some people may read; served by views after a permission check."""
    return storages["private"]


def call_document_path(instance: "CallDocument", filename: str) -> str:
    return f"calls/{instance.call_id}/{slugify(instance.title)[:50] or 'document'}.pdf"


class CallDocument(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    # Private: a draft's documents are for its officers only; calls:document serves them.
    file = models.FileField(
        _("file (PDF)"),
        storage=private_storage,
        upload_to=call_document_path,
        validators=[FileExtensionValidator(["pdf"])],
    )
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")
        ordering = ["call", "uploaded_at"]

    def __str__(self) -> str:
        return self.title


class Amendment(models.Model):
    """A recorded change to a published call (rectificatie), announced to its followers."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"), default=dict)
    previous_deadline = models.DateTimeField(_("previous deadline"), null=True, blank=True)
    new_deadline = models.DateTimeField(_("new deadline"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="amendment_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.call.reference} #{self.number}"

    def described_changes(self) -> list[tuple[str, str, str]]:
        """(label of the field, old value, new value) for each change, in this language."""
        return [
            (str(Call._meta.get_field(field).verbose_name), old, new)
            for field, (old, new) in self.changes.items()
        ]


auditlog.register(CallDocument)
auditlog.register(Amendment)
