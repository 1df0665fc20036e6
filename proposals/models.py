"""Proposals per phase, their documents, the assessment by committees, decisions, contracts."""

from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Call, Criterion, Phase, Question, RequiredDocument
from portal.models import Organisation


def private_storage():
    """Proposal documents never live under MEDIA_ROOT: a view checks who may read them."""
    return storages["private"]


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        UNDER_ASSESSMENT = "under_assessment", _("under assessment")
        AWARDED = "awarded", _("awarded")
        REJECTED = "rejected", _("rejected")

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
    requested_amount = models.DecimalField(
        _("requested amount (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    consortium_partners = models.TextField(
        _("consortium partners"),
        blank=True,
        help_text=_("Name and KvK number of each partner, one per line."),
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
    receipt = models.FileField(
        _("receipt"), storage=private_storage, upload_to="receipts/", blank=True
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    decision_motivation = models.TextField(_("motivation of the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["phase", "submitted_at", "pk"]
        indexes = [
            models.Index(fields=["phase", "status"]),
            models.Index(fields=["company", "status"]),
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


PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    Proposal.Status.DRAFT: {Proposal.Status.SUBMITTED},
    Proposal.Status.SUBMITTED: {Proposal.Status.WITHDRAWN, Proposal.Status.UNDER_ASSESSMENT},
    Proposal.Status.WITHDRAWN: set(),
    Proposal.Status.UNDER_ASSESSMENT: {Proposal.Status.AWARDED, Proposal.Status.REJECTED},
    Proposal.Status.AWARDED: set(),
    Proposal.Status.REJECTED: set(),
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


# --- Assessment -------------------------------------------------------------------------------


class Committee(models.Model):
    """The assessment committee of one phase of a call."""

    phase = models.OneToOneField(Phase, on_delete=models.PROTECT, related_name="committee")
    code_of_conduct = models.TextField(
        _("code of conduct and confidentiality"),
        help_text=_("Every member accepts this before any proposal opens."),
    )
    assessors_per_proposal = models.PositiveSmallIntegerField(
        _("assessors per proposal"), default=3, validators=[MinValueValidator(1)]
    )
    assessment_deadline = models.DateTimeField(
        _("assessment deadline"),
        null=True,
        blank=True,
        help_text=_("When declarations, scores and the advice are due; shown in My tasks."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return str(self.phase)


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)
    is_independent = models.BooleanField(
        _("independent expert"),
        default=False,
        help_text=_("Belongs to no organisation in the portal."),
    )
    code_accepted_at = models.DateTimeField(_("code of conduct accepted at"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="member_once_per_committee"),
            models.UniqueConstraint(
                fields=["committee"], condition=Q(role="chair"), name="committee_one_chair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ConflictDeclaration(models.Model):
    """A member's declaration about one proposal, made before seeing its content."""

    member = models.ForeignKey(
        CommitteeMember, on_delete=models.CASCADE, related_name="declarations"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="declarations")
    has_conflict = models.BooleanField(_("conflict of interest"))
    explanation = models.TextField(_("explanation"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declaration of interests")
        verbose_name_plural = _("declarations of interests")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "proposal"], name="declaration_once_per_member_and_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} / {self.proposal}: {self.has_conflict}"


class Assignment(models.Model):
    """A member is to score a proposal."""

    member = models.ForeignKey(
        CommitteeMember, on_delete=models.CASCADE, related_name="assignments"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["member", "proposal"], name="assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.proposal}"


class Assessment(models.Model):
    """One member's scores of one proposal; locked once submitted, reopened only by the chair."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="assessment"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopened_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return str(self.assignment)


class CriterionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    motivation = models.TextField(_("motivation"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="score_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class ConsensusScore(models.Model):
    """The committee's agreed score per criterion, recorded by the chair."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="consensus")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    motivation = models.TextField(_("motivation"))
    minority_view = models.TextField(_("minority view"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion"], name="consensus_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal} / {self.criterion}: {self.score}"


class Advice(models.Model):
    """The committee's advice for a phase: ranking and selection, signed off by the chair."""

    committee = models.OneToOneField(Committee, on_delete=models.PROTECT, related_name="advice")
    ranking = models.JSONField(_("ranking"), default=list)
    selected = models.ManyToManyField(Proposal, related_name="+", blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))
    pdf = models.FileField(storage=private_storage, upload_to="advice/", blank=True)

    class Meta:
        verbose_name = _("committee advice")
        verbose_name_plural = _("committee advice")

    def __str__(self) -> str:
        return str(self.committee)


# --- Contracts --------------------------------------------------------------------------------


class Contract(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        TERMINATED = "terminated", _("terminated")

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="contract")
    amount = models.DecimalField(_("contract amount (€)"), max_digits=14, decimal_places=2)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="contract_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} – {self.amount}"


CONTRACT_TRANSITIONS: dict[str, set[str]] = {
    Contract.Status.ACTIVE: {Contract.Status.COMPLETED, Contract.Status.TERMINATED},
    Contract.Status.COMPLETED: set(),
    Contract.Status.TERMINATED: set(),
}


class Deliverable(models.Model):
    """A milestone's deliverable, e.g. the feasibility report; payments follow acceptance."""

    class Kind(models.TextChoices):
        FEASIBILITY_REPORT = "feasibility_report", _("feasibility report")
        PROTOTYPE = "prototype", _("prototype demonstration")
        PROGRESS_REPORT = "progress_report", _("progress report")
        FINAL_REPORT = "final_report", _("final report")

    class Status(models.TextChoices):
        PENDING = "pending", _("to be delivered")
        DELIVERED = "delivered", _("delivered")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("not accepted")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(
        _("payment on acceptance (€)"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(storage=private_storage, upload_to="deliverables/%Y/", blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["contract", "due_date"]

    def __str__(self) -> str:
        return self.name


for model in (
    Proposal,
    Attachment,
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    Assignment,
    Assessment,
    CriterionScore,
    ConsensusScore,
    Advice,
    Contract,
    Deliverable,
):
    auditlog.register(model)
