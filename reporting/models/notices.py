"""Procurement notices (eForms) of a call, as sent to TenderNed and on to TED.

A notice keeps its XML, the report of its last validation, and where it stands: a *draft* has
problems; a *validated* one may be sent; *sent* waits for the publisher's answer; *published*
carries TenderNed's (and later TED's) identifier and date; *rejected* the publisher's reason,
after which the officer fixes the data and prepares it again.
"""

import uuid

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from calls.models import Amendment, Call
from portal import states


class Notice(models.Model):
    class Kind(models.TextChoices):
        COMPETITION = "competition", _("contract notice")
        CHANGE = "change", _("change notice")
        RESULT = "result", _("contract award notice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft (has problems)")
        VALIDATED = "validated", _("validated, ready to send")
        SENT = "sent", _("sent, awaiting publication")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subtype = models.CharField(_("notice subtype"), max_length=4)
    notice_id = models.UUIDField(_("notice identifier"), default=uuid.uuid4, unique=True)
    folder_id = models.UUIDField(_("procedure identifier"))
    changes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changed_by",
        verbose_name=_("changes notice"),
    )
    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("amendment"),
    )
    xml = models.TextField(_("XML"))
    problems = models.JSONField(_("validation report"), default=list, blank=True)
    validated_at = models.DateTimeField(_("validated at"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=30, blank=True)
    publication_id = models.CharField(_("TenderNed identifier"), max_length=100, blank=True)
    ted_id = models.CharField(_("TED identifier"), max_length=100, blank=True)
    publication_url = models.URLField(_("publication address"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["call", "created_at", "pk"]
        indexes = [models.Index(fields=["call", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.notice_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def may_be_sent(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def awaits_publisher(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    @property
    def may_be_prepared_again(self) -> bool:
        """Not yet with the publisher: its XML may be made again from the current data."""
        return self.status in (self.Status.DRAFT, self.Status.VALIDATED, self.Status.REJECTED)

    @property
    def blocking_problems(self) -> list[dict]:
        """The problems that stop sending: all but the SDK's business rules, unless the settings
        make those block too (``NOTICE_RULES_BLOCK``)."""
        if settings.NOTICE_RULES_BLOCK:
            return list(self.problems)
        return [problem for problem in self.problems if problem.get("source") != "rules"]

    @property
    def problem_messages(self) -> list[str]:
        """The blocking problems in words, in the reader's language (they are stored as codes)."""
        from ..eforms.validation import describe

        return [describe(problem) for problem in self.blocking_problems]

    @property
    def rule_findings(self) -> list[str]:
        """The SDK's business rules the notice breaks, in words, when they do not block."""
        from ..eforms.validation import describe

        if settings.NOTICE_RULES_BLOCK:
            return []
        return [describe(problem) for problem in self.problems if problem.get("source") == "rules"]

    @property
    def version(self) -> str:
        return "01"


NOTICE_TRANSITIONS: dict[str, set[str]] = {
    Notice.Status.DRAFT: {Notice.Status.VALIDATED},
    Notice.Status.VALIDATED: {Notice.Status.DRAFT, Notice.Status.SENT},
    Notice.Status.SENT: {Notice.Status.PUBLISHED, Notice.Status.REJECTED},
    Notice.Status.PUBLISHED: set(),
    Notice.Status.REJECTED: {Notice.Status.DRAFT, Notice.Status.VALIDATED},
}

auditlog.register(Notice, exclude_fields=["xml"])
states.register(Notice, NOTICE_TRANSITIONS)
