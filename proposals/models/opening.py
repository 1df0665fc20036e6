"""The opening of a phase's proposals at its deadline (proces-verbaal van opening).

Until a phase's deadline nobody but the company's own people sees a submitted proposal (the
rules in ``proposals.permissions`` and the selectors). At the deadline the portal records,
once, which proposals were received: number, moment of receipt, the content fingerprint
computed at submission, and the company. The record is never changed or deleted.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from calls.models import Phase
from portal.models import Organisation

from .proposal import Proposal


class ImmutableRecord(Exception):
    """An opening record is written once; nothing may change or delete it."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(f"{self.model.__name__} cannot be changed")

    def delete(self):
        raise ImmutableRecord(f"{self.model.__name__} cannot be deleted")


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(f"{type(self).__name__} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(f"{type(self).__name__} cannot be deleted")


class Opening(ImmutableModel):
    """The record of opening one phase's proposals."""

    class Method(models.TextChoices):
        SCHEDULED = "scheduled", _("by the portal at the deadline")
        ON_DEMAND = "on_demand", _("on the first visit after the deadline")

    phase = models.OneToOneField(Phase, on_delete=models.PROTECT, related_name="opening")
    deadline = models.DateTimeField(_("deadline"))
    opened_at = models.DateTimeField(_("opened at"))
    method = models.CharField(_("opened"), max_length=20, choices=Method.choices)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("opened by"),
    )
    received = models.PositiveIntegerField(_("proposals received"))
    withdrawn = models.PositiveIntegerField(_("proposals withdrawn before the deadline"))

    class Meta:
        verbose_name = _("opening record")
        verbose_name_plural = _("opening records")

    def __str__(self) -> str:
        return f"{self.phase} ({self.opened_at:%Y-%m-%d %H:%M})"


class OpeningEntry(ImmutableModel):
    """One proposal received, as it stood at the opening."""

    opening = models.ForeignKey(Opening, on_delete=models.PROTECT, related_name="entries")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    submission_number = models.CharField(_("submission number"), max_length=40)
    submitted_at = models.DateTimeField(_("received at"))
    content_hash = models.CharField(_("content fingerprint (SHA-256)"), max_length=64)
    company = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    company_name = models.CharField(_("company"), max_length=200)

    class Meta:
        verbose_name = _("opening record line")
        verbose_name_plural = _("opening record lines")
        ordering = ["opening", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "proposal"], name="opening_entry_one_per_proposal"
            )
        ]

    def __str__(self) -> str:
        return self.submission_number


auditlog.register(Opening)
auditlog.register(OpeningEntry)
