"""Calls for innovation: what an authority asks for, in which phases, judged on what."""

from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Mission(models.Model):
    """A mission of the Kennis- en Innovatieagenda's 2020–2023 (seeded by a migration)."""

    code = models.SlugField(_("code"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name_nl


class Call(models.Model):
    class Instrument(models.TextChoices):
        SBIR = "sbir", _("SBIR")
        INNOVATION_PARTNERSHIP = "innovation_partnership", _("innovation partnership")
        PRIZE_COMPETITION = "prize_competition", _("prize competition")
        HACKATHON = "hackathon", _("hackathon")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("open for proposals")
        CLOSED = "closed", _("closed")
        UNDER_ASSESSMENT = "under_assessment", _("under assessment")
        AWARDED = "awarded", _("awarded")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class TieBreak(models.TextChoices):
        HEAVIEST_CRITERION = (
            "heaviest_criterion",
            _("higher score on the criterion with the highest weight"),
        )
        EARLIEST_SUBMISSION = "earliest_submission", _("earlier submission")

    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("contracting authority"),
        limit_choices_to={"kind": Organisation.Kind.AUTHORITY},
    )
    instrument = models.CharField(_("instrument"), max_length=30, choices=Instrument.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    challenge = models.TextField(
        _("challenge"), help_text=_("What the authority wants solved, and why.")
    )
    challenge_en = models.TextField(_("challenge in English"), blank=True)
    missions = models.ManyToManyField(
        Mission, related_name="calls", blank=True, verbose_name=_("missions")
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail address"))
    total_budget = models.DecimalField(_("total budget (€)"), **MONEY)
    publication_date = models.DateTimeField(_("publication date"), null=True, blank=True)
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Date and time in Europe/Amsterdam.")
    )
    questions_deadline = models.DateTimeField(
        _("deadline for questions"),
        help_text=_("Companies can ask clarification questions until this moment."),
    )
    # Innovation partnership: first requests to participate, then tenders by invitation.
    participation_deadline = models.DateTimeField(
        _("deadline for requests to participate"), null=True, blank=True
    )
    max_partners = models.PositiveSmallIntegerField(
        _("maximum number of partners"), null=True, blank=True
    )
    invitations_sent_at = models.DateTimeField(
        _("invitations to tender sent at"), null=True, blank=True, editable=False
    )
    reserves_right_to_stop = models.BooleanField(
        _("may stop after any phase or reduce the number of partners"),
        default=False,
        help_text=_("An innovation partnership must state this in advance."),
    )
    consortium_allowed = models.BooleanField(
        _("consortium partners allowed"),
        default=True,
        help_text=_("Whether a company may submit a proposal together with partners."),
    )
    blind_assessment = models.BooleanField(
        _("blind assessment"),
        default=False,
        help_text=_("Assessors see no company names or people, only the content."),
    )
    tie_break = models.CharField(
        _("tie-break rule"),
        max_length=30,
        choices=TieBreak.choices,
        default=TieBreak.HEAVIEST_CRITERION,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["deadline"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["authority", "status"]),
            models.Index(fields=["-publication_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(questions_deadline__lte=models.F("deadline")),
                name="call_questions_close_before_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="call_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def reference(self) -> str:
        """Stable, human-quotable number, e.g. IL-2026-00042."""
        year = (self.created_at or timezone.now()).year
        return f"IL-{year}-{self.pk or 0:05d}"

    @property
    def display_title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title

    @property
    def display_challenge(self) -> str:
        return self.challenge_en if get_language() == "en" and self.challenge_en else self.challenge

    @property
    def slug(self) -> str:
        return slugify(self.title)[:60] or "call"

    @property
    def is_public(self) -> bool:
        """Published at some point: a draft cancelled before publication stays private."""
        return self.status != self.Status.DRAFT and self.publication_date is not None

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED and timezone.now() < self.deadline

    @property
    def accepts_questions(self) -> bool:
        return self.status == self.Status.PUBLISHED and timezone.now() < self.questions_deadline


# Each status's allowed next statuses; calls/services.py refuses any other move.
CALL_TRANSITIONS: dict[str, set[str]] = {
    Call.Status.DRAFT: {Call.Status.PUBLISHED, Call.Status.CANCELLED},
    Call.Status.PUBLISHED: {Call.Status.CLOSED, Call.Status.CANCELLED},
    Call.Status.CLOSED: {Call.Status.UNDER_ASSESSMENT, Call.Status.CANCELLED},
    Call.Status.UNDER_ASSESSMENT: {Call.Status.AWARDED, Call.Status.CANCELLED},
    Call.Status.AWARDED: {Call.Status.COMPLETED},
    Call.Status.COMPLETED: set(),
    Call.Status.CANCELLED: set(),
}


class Phase(models.Model):
    class Kind(models.TextChoices):
        FEASIBILITY = "feasibility", _("feasibility study")
        PROTOTYPE = "prototype", _("R&D / prototype")
        RD = "rd", _("R&D phase")
        PURCHASE = "purchase", _("purchase phase")
        SINGLE_ROUND = "single_round", _("single round with prizes")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    budget = models.DecimalField(_("budget (€)"), **MONEY)
    max_per_award = models.DecimalField(_("maximum per award (€)"), **MONEY)
    planned_awards = models.PositiveSmallIntegerField(
        _("planned number of awards"), validators=[MinValueValidator(1)]
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    deadline = models.DateTimeField(
        _("deadline for proposals"),
        null=True,
        blank=True,
        help_text=_("Later phases may get their deadline once the earlier phase is decided."),
    )
    interim_targets = models.TextField(
        _("interim targets"),
        blank=True,
        help_text=_("Innovation partnership: what must be reached to continue."),
    )
    overall_threshold = models.DecimalField(
        _("minimum weighted score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("On the criteria's scale; proposals below it are not eligible."),
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["call", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="phase_unique_order"),
            models.CheckConstraint(
                condition=Q(max_per_award__lte=models.F("budget")),
                name="phase_award_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def display_name(self) -> str:
        """The English name on English pages when there is one; the Dutch name otherwise."""
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def deadline_ahead(self) -> bool:
        return self.deadline is not None and timezone.now() < self.deadline


class Prize(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="prizes")
    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1)])
    amount = models.DecimalField(_("amount (€)"), **MONEY)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["phase", "rank"]
        constraints = [models.UniqueConstraint(fields=["phase", "rank"], name="prize_unique_rank")]

    def __str__(self) -> str:
        return f"{self.rank}: {self.amount}"


class Criterion(models.Model):
    """A weighted assessment criterion of one phase; frozen once the call is published."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    threshold = models.PositiveSmallIntegerField(
        _("minimum score"),
        null=True,
        blank=True,
        help_text=_("A proposal scoring lower on this criterion is not eligible."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["phase", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=models.F("scale_max")), name="criterion_scale_ordered"
            ),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True)
                | (
                    Q(threshold__gte=models.F("scale_min"))
                    & Q(threshold__lte=models.F("scale_max"))
                ),
                name="criterion_threshold_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def display_description(self) -> str:
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description


class RequiredDocument(models.Model):
    """A document every proposal for a phase must include (e.g. project plan)."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="required_documents")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["phase", "order"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A call-specific question added to the standard proposal form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        NUMBER = "number", _("number")
        YES_NO = "yes_no", _("yes/no")
        CHOICE = "choice", _("choice")
        FILE = "file", _("file")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    phase = models.ForeignKey(
        Phase,
        on_delete=models.CASCADE,
        related_name="questions",
        null=True,
        blank=True,
        verbose_name=_("phase"),
        help_text=_("Leave empty to ask it in every phase."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice question: one option per line.")
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["call", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def snapshot(self) -> dict:
        """What a proposal stores beside its answer, so later edits never garble it."""
        return {
            "id": self.pk,
            "text": self.text,
            "kind": self.kind,
            "choices": self.choice_list,
            "required": self.required,
        }


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


class Follower(models.Model):
    """Someone who wants an e-mail when a call's Q&A or amendments are published."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_calls"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="follower_unique_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.call.reference}"


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
    def is_invited(self) -> bool:
        return self.invited_at is not None


# Each status's allowed next statuses; calls/participation.py refuses any other move.
# Selections can be changed until the invitations to tender are sent.
PARTICIPATION_TRANSITIONS: dict[str, set[str]] = {
    ParticipationRequest.Status.SUBMITTED: {
        ParticipationRequest.Status.WITHDRAWN,
        ParticipationRequest.Status.SELECTED,
        ParticipationRequest.Status.REJECTED,
    },
    ParticipationRequest.Status.SELECTED: {ParticipationRequest.Status.REJECTED},
    ParticipationRequest.Status.REJECTED: {ParticipationRequest.Status.SELECTED},
    ParticipationRequest.Status.WITHDRAWN: set(),
}


for model in (
    ParticipationRequest,
    Phase,
    Prize,
    Criterion,
    RequiredDocument,
    Question,
    CallDocument,
    Amendment,
    ClarificationRelease,
    ClarificationQuestion,
):
    auditlog.register(model)
auditlog.register(Call, m2m_fields={"missions"})
