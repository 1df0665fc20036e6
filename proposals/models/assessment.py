"""Assessment: the committee of a phase, its members' declarations of interest, assignments,
scores, the chair's consensus and the signed advice.
"""

from typing import TYPE_CHECKING

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Criterion, Phase
from portal import states

from .proposal import Proposal, private_storage

if TYPE_CHECKING:
    from .decision import Reassessment

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
    deputy_chair = models.ForeignKey(
        "CommitteeMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy chair"),
        help_text=_(
            "Presides instead of the chair over the proposals on which the chair declared a "
            "conflict of interest: their consensus and their place in the selection."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return str(self.phase)


class CommitteeMemberQuerySet(models.QuerySet):
    def active(self):
        """Seats the officer has not removed."""
        return self.filter(removed_at__isnull=True)


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")

    # Filled in for the committee home page by proposals.selectors.assessment.seat_overview.
    pending_declarations: int
    assignment_rows: list["Assignment"]
    assignments_total: int
    assignments_more: bool
    assignments_done: int
    reassessment: "Reassessment | None"

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
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_reason = models.TextField(_("reason for removal"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommitteeMemberQuerySet.as_manager()

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


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        """Assignments the officer has not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Assignment(models.Model):
    """A member is to score a proposal, until the officer withdraws it with a reason."""

    # Filled in by proposals.selectors.assessment.seat_overview: the assessment's status (or
    # "todo"). Its ``cleared`` (the member declared for the proposal) is set there too, and
    # annotated by assignments_for_member.
    state: str

    member = models.ForeignKey(
        CommitteeMember, on_delete=models.CASCADE, related_name="assignments"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = AssignmentQuerySet.as_manager()

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

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


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


class DeputyDecision(models.Model):
    """The deputy chair's part of the selection: a proposal on which the chair is conflicted."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="deputy_decisions"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    selected = models.BooleanField(_("advised to award"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("deputy chair's decision")
        verbose_name_plural = _("deputy chair's decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "proposal"], name="deputy_decision_once_per_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.selected}"


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
    deputy_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy chair"),
        help_text=_("Presided over the proposals on which the chair declared a conflict."),
    )
    pdf = models.FileField(storage=private_storage, upload_to="advice/", blank=True)

    class Meta:
        verbose_name = _("committee advice")
        verbose_name_plural = _("committee advice")

    def __str__(self) -> str:
        return str(self.committee)


# Submitted scores are locked; the chair can reopen them (with a reason).
ASSESSMENT_TRANSITIONS: dict[str, set[str]] = {
    Assessment.Status.DRAFT: {Assessment.Status.SUBMITTED},
    Assessment.Status.SUBMITTED: {Assessment.Status.DRAFT},
}
states.register(Assessment, ASSESSMENT_TRANSITIONS)

auditlog.register(Committee)
auditlog.register(CommitteeMember)
auditlog.register(ConflictDeclaration)
auditlog.register(Assignment)
auditlog.register(Assessment)
auditlog.register(CriterionScore)
auditlog.register(ConsensusScore)
auditlog.register(DeputyDecision)
auditlog.register(Advice)
