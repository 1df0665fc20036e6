"""A call's documents, its private storage, and the amendments published after it opened."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from auditlog.registry import auditlog
from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from .call import Call, validity_in_words


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

    def described_changes(self) -> list["AmendmentChange"]:
        """Each change with its field's label and its old and new value, in the language of the
        reader: ``changes`` holds values (a moment in ISO 8601, a number, the text), rendered
        here. Text that an amendment of before migration 0019 stored already rendered, in the
        language of whoever made it, and that the migration could not read, is shown as it is.
        """
        described = []
        for name, (old, new) in self.changes.items():
            field = Call._meta.get_field(name)
            described.append(
                AmendmentChange(
                    label=capfirst(str(field.verbose_name)),
                    old=_shown(field, old) if name != "tender_validity" else _validity(old),
                    new=_shown(field, new) if name != "tender_validity" else _validity(new),
                    long=isinstance(field, models.TextField),
                    english=name.endswith("_en"),
                )
            )
        return described


@dataclass(frozen=True)
class AmendmentChange:
    """One changed field of an amendment, as a reader sees it. ``long``: a text of several
    lines, shown as the old and the new block rather than inline; ``english``: the text of the
    call's English version."""

    label: str
    old: str
    new: str
    long: bool = False
    english: bool = False


def amendment_value(value) -> str:
    """How an amendment stores an old or new value: a value, never text in someone's language.
    A moment in ISO 8601 with its offset in Europe/Amsterdam, a date in ISO 8601, a number as
    written by Decimal, text as it is; nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)  # a Decimal as "1500000.00"


def validity_value(value: int | None, unit: str) -> str:
    """How an amendment stores a validity period: its number and unit ("3 MONTH")."""
    return f"{value} {unit}" if value else ""


def _validity(stored: str) -> str:
    """A stored validity period in words in the active language: "3 maanden"."""
    value, _space, unit = (stored or "").partition(" ")
    return validity_in_words(int(value), unit) if value.isdigit() else "–"


def _shown(field: models.Field, stored: str) -> str:
    """A stored value in the active language: 6 januari 2027 17:00 CET on a Dutch page."""
    if stored in ("", None):
        return "–"
    try:
        if isinstance(field, models.DateTimeField):
            local = timezone.localtime(datetime.fromisoformat(stored))
            return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"
        if isinstance(field, models.DateField):
            return date_format(date.fromisoformat(stored), "DATE_FORMAT")
        if isinstance(field, models.DecimalField):
            return number_format(Decimal(stored), force_grouping=True)
    except (ValueError, TypeError, InvalidOperation):
        return str(stored)  # rendered text of an old amendment that could not be read
    return str(stored)


auditlog.register(CallDocument)
auditlog.register(Amendment)
