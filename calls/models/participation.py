"""Innovation partnership, stage 1: requests to participate."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import states
from portal.models import Organisation

from .call import Call
from .documents import private_storage


def participation_document_path(instance: "ParticipationRequest", filename: str) -> str:
    return f"participation/{instance.call_id}/{instance.company_id}-suitability.pdf"


class ParticipationRequest(models.Model):
    """Innovation partnership, stage 1: a company asks to be invited to tender.

    The authority selects on suitability (experience, capacity) after the deadline for
    requests to participate; only selected companies are invited to submit a tender.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        SELECTED = "selected", _("selected")
        REJECTED = "rejected", _("not selected")
        EXCLUDED = "excluded", _("excluded")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="participation_requests")
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participation_requests",
        verbose_name=_("company"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    motivation = models.TextField(
        _("experience and capacity"),
        blank=True,
        help_text=_("Briefly: comparable work you did, and the people and means you have."),
    )
    document = models.FileField(
        _("suitability document (PDF)"),
        storage=private_storage,
        upload_to=participation_document_path,
        max_length=200,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_motivation = models.TextField(_("motivation of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited to tender at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to participate")
        verbose_name_plural = _("requests to participate")
        ordering = ["call", "submitted_at", "pk"]
        indexes = [
            # The API's order (newest first): a page is read from the index, not sorted.
            models.Index(fields=["submitted_at", "id"], name="participation_submitted_idx"),
        ]
        constraints = [
            # One live request per company per call; after withdrawing it may ask again.
            models.UniqueConstraint(
                fields=["call", "company"],
                condition=~Q(status="withdrawn"),
                name="participation_one_per_company",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call.reference} {self.company}"

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_invited(self) -> bool:
        return self.invited_at is not None

    @property
    def is_excluded(self) -> bool:
        return self.status == self.Status.EXCLUDED

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.SELECTED, self.Status.REJECTED, self.Status.EXCLUDED)


# Each status's allowed next statuses; portal.states.transition refuses any other move.
# Selections can be changed until the invitations to tender are sent.
PARTICIPATION_TRANSITIONS: dict[str, set[str]] = {
    ParticipationRequest.Status.SUBMITTED: {
        ParticipationRequest.Status.WITHDRAWN,
        ParticipationRequest.Status.SELECTED,
        ParticipationRequest.Status.REJECTED,
        ParticipationRequest.Status.EXCLUDED,
    },
    ParticipationRequest.Status.SELECTED: {
        ParticipationRequest.Status.REJECTED,
        ParticipationRequest.Status.EXCLUDED,
    },
    ParticipationRequest.Status.REJECTED: {
        ParticipationRequest.Status.SELECTED,
        ParticipationRequest.Status.EXCLUDED,
    },
    ParticipationRequest.Status.EXCLUDED: {
        ParticipationRequest.Status.SELECTED,
        ParticipationRequest.Status.REJECTED,
    },
    ParticipationRequest.Status.WITHDRAWN: set(),
}


auditlog.register(ParticipationRequest)
states.register(ParticipationRequest, PARTICIPATION_TRANSITIONS)
