"""Proposals per phase and their documents."""

from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Call, Phase, Question, RequiredDocument
from portal import states
from portal.models import Organisation
from portal.money import MoneyField


def private_storage():
    """Proposal documents never live under MEDIA_ROOT: a view checks who may read them."""
    return storages["private"]


def opened_q(prefix: str = "", now=None, *, call: str | None = None) -> Q:
    """Phases (``prefix`` leads from the queried model to the phase) whose deadline has passed.

    A phase's deadline is its own, else (for the first phase) the call's: the same rule as
    ``proposals.services.submission.phase_deadline``. ``call`` leads to the phase's call by
    a shorter way when the queried model has one (a proposal's own call is its phase's).
    """
    now = now or timezone.now()
    call = f"{prefix}call__" if call is None else call
    return Q(**{f"{prefix}deadline__lte": now}) | Q(
        **{
            f"{prefix}deadline__isnull": True,
            f"{prefix}order": 1,
            f"{call}deadline__lte": now,
        }
    )


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def opened(self, now=None) -> "ProposalQuerySet":
        """Only proposals whose phase's deadline has passed: the others are sealed to everyone
        but their own company. The call's deadline is read from the proposal's own call (its
        phase's call), so that a list joins the call once."""
        return self.filter(opened_q("phase__", now, call="call__"))


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        UNDER_ASSESSMENT = "under_assessment", _("under assessment")
        AWARDED = "awarded", _("awarded")
        REJECTED = "rejected", _("rejected")

    # The most characters each text may hold: the form says it, the form, the API and the
    # service refuse more (a few pages of A4 each; the approach the longest).
    TEXT_MAX_LENGTH = {
        "summary": 3000,
        "approach": 20000,
        "team": 8000,
        "planning": 8000,
        "consortium_partners": 3000,
    }
    ANSWER_MAX_LENGTH = 5000  # an answer to one of the call's own questions

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="proposals")
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="proposals",
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    approach = models.TextField(_("approach"), blank=True)
    team = models.TextField(_("team"), blank=True)
    planning = models.TextField(_("planning"), blank=True)
    requested_amount = MoneyField(
        _("requested amount (€)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    consortium_partners = models.TextField(
        _("consortium partners"),
        blank=True,
        help_text=_("Name and KvK number of each partner, one per line."),
    )
    # Whether the company would subcontract part of the work (eForms BT-773, BT-555).
    subcontracting = models.CharField(
        _("subcontracting"),
        max_length=10,
        blank=True,
        choices=[
            ("yes", _("Yes, part of the work goes to subcontractors")),
            ("no", _("No, we do all the work ourselves")),
            ("unknown", _("Not known yet")),
        ],
    )
    subcontracting_share = models.DecimalField(
        _("share subcontracted (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("100"))],
        help_text=_("The part of the work subcontractors do, as a percentage of the price."),
    )
    # The call's own questions as they were when answered: {"question": snapshot, "answer": …}
    answers = models.JSONField(_("answers"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submission_number = models.CharField(
        _("submission number"), max_length=40, blank=True, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    content_hash = models.CharField(_("content fingerprint (SHA-256)"), max_length=64, blank=True)
    # The declaration the company accepted when it submitted, as it read then, and when.
    declaration_text = models.TextField(_("declaration accepted on submission"), blank=True)
    declared_at = models.DateTimeField(_("declaration accepted at"), null=True, blank=True)
    # The language the company submitted in: its receipt (PDF and e-mail) speaks it too.
    submission_language = models.CharField(
        _("language of the submission"), max_length=10, blank=True
    )
    receipt = models.FileField(
        _("receipt"), storage=private_storage, upload_to="receipts/", blank=True
    )
    # When the receipt went out by e-mail: it is made and sent once, however often its task runs.
    receipt_sent_at = models.DateTimeField(_("receipt sent at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    decision_motivation = models.TextField(_("motivation of the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["phase", "submitted_at", "pk"]
        indexes = [
            models.Index(fields=["phase", "status"]),
            models.Index(fields=["company", "status"]),
            # The lists' order (newest first): a page is read from the index, not sorted.
            models.Index(fields=["created_at", "id"], name="proposal_created_idx"),
        ]
        constraints = [
            # One live proposal per company per phase; a withdrawn one may be replaced.
            models.UniqueConstraint(
                fields=["phase", "company"],
                condition=~Q(status="withdrawn"),
                name="proposal_one_live_per_company_and_phase",
            ),
            models.UniqueConstraint(
                fields=["submission_number"],
                condition=~Q(submission_number=""),
                name="proposal_unique_submission_number",
            ),
        ]

    def __str__(self) -> str:
        return self.submission_number or f"{self.title} ({self.get_status_display()})"

    # What pages ask about the state; templates ask these instead of comparing statuses.
    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def awaits_decision(self) -> bool:
        return self.status == self.Status.UNDER_ASSESSMENT

    @property
    def is_awarded(self) -> bool:
        return self.status == self.Status.AWARDED

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.AWARDED, self.Status.REJECTED)


PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    Proposal.Status.DRAFT: {Proposal.Status.SUBMITTED},
    Proposal.Status.SUBMITTED: {Proposal.Status.WITHDRAWN, Proposal.Status.UNDER_ASSESSMENT},
    Proposal.Status.WITHDRAWN: set(),
    Proposal.Status.UNDER_ASSESSMENT: {Proposal.Status.AWARDED, Proposal.Status.REJECTED},
    # A prize decision under the Awb revoked on objection: the entry awaits a new decision.
    # Only then (``PROPOSAL_GUARDS``): a procurement's decided proposal stays decided.
    Proposal.Status.AWARDED: {Proposal.Status.UNDER_ASSESSMENT},
    Proposal.Status.REJECTED: {Proposal.Status.UNDER_ASSESSMENT},
}


def _awb_decision_revoked(proposal: Proposal) -> bool:
    """The proposal's decision was a final decision under the Awb, revoked on objection
    (``decision_revoke`` withdraws it before it reopens the proposal): its latest decision is
    under the Awb, was final and is withdrawn. One query."""
    latest = (
        proposal.decisions.order_by("-pk")  # type: ignore[attr-defined]  # reverse relation
        .values("under_awb", "status", "finalised_at")
        .first()
    )
    return (
        latest is not None
        and latest["under_awb"]
        and latest["status"] == "withdrawn"
        and latest["finalised_at"] is not None
    )


PROPOSAL_GUARDS = {
    (Proposal.Status.AWARDED, Proposal.Status.UNDER_ASSESSMENT): _awb_decision_revoked,
    (Proposal.Status.REJECTED, Proposal.Status.UNDER_ASSESSMENT): _awb_decision_revoked,
}


class Attachment(models.Model):
    """A document of a proposal: for a required document of the phase, or a file question."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    required_document = models.ForeignKey(
        RequiredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="proposals/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["proposal", "uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "required_document"],
                condition=Q(required_document__isnull=False),
                name="attachment_one_per_required_document",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


auditlog.register(Proposal)
auditlog.register(Attachment)
states.register(Proposal, PROPOSAL_TRANSITIONS, guards=PROPOSAL_GUARDS)
