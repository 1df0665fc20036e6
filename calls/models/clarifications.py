"""Clarification questions and the releases that publish their answers (nota van inlichtingen)."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import states
from portal.models import Organisation

from .call import Call


class ClarificationRelease(models.Model):
    """A nota van inlichtingen: every answered question published at once, also as PDF."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="clarification_releases")
    number = models.PositiveSmallIntegerField(_("number"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.FileField(_("PDF"), upload_to="calls/clarifications/", blank=True)

    class Meta:
        verbose_name = _("clarification release")
        verbose_name_plural = _("clarification releases")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="release_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.call.reference} NvI {self.number}"


class ClarificationQuestion(models.Model):
    class Status(models.TextChoices):
        ASKED = "asked", _("asked")
        ANSWERED = "answered", _("answered")
        PUBLISHED = "published", _("published")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="clarification_questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("question"))
    public_text = models.TextField(
        _("question as published"),
        blank=True,
        help_text=_("Anonymised wording: no names of companies or people."),
    )
    answer = models.TextField(_("answer"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ASKED, db_index=True
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    release = models.ForeignKey(
        ClarificationRelease,
        on_delete=models.PROTECT,
        related_name="questions",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")
        ordering = ["call", "asked_at"]

    def __str__(self) -> str:
        return self.text[:80]


Q_STATUS = ClarificationQuestion.Status
# An answer can be rewritten until it is published with the next nota van inlichtingen.
CLARIFICATION_TRANSITIONS: dict[str, set[str]] = {
    Q_STATUS.ASKED: {Q_STATUS.ANSWERED},
    Q_STATUS.ANSWERED: {Q_STATUS.ANSWERED, Q_STATUS.PUBLISHED},
    Q_STATUS.PUBLISHED: set(),
}
states.register(ClarificationQuestion, CLARIFICATION_TRANSITIONS)

auditlog.register(ClarificationRelease)
auditlog.register(ClarificationQuestion)
