"""Innovation partnership, stage 1: the published selection criteria and exclusion grounds
of a call, and each candidate's self-declaration against them (UEA/ESPD-like), with the
officer's assessment per criterion and decision per exclusion ground answered "yes".
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .call import Call
from .participation import ParticipationRequest


class SelectionCriterion(models.Model):
    """A published, objective selection criterion with its minimum level (art. 2.90 Aw)."""

    class Category(models.TextChoices):
        SUITABILITY = "suitability", _("suitability to pursue the professional activity")
        FINANCIAL = "financial", _("economic and financial standing")
        TECHNICAL = "technical", _("technical and professional ability")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="selection_criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"))
    minimum_level = models.TextField(_("minimum level"))
    evidence = models.TextField(_("requested evidence"), blank=True)

    class Meta:
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")
        ordering = ["call", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.description[:60]}"


class ExclusionGround(models.Model):
    """A ground to exclude a candidate: mandatory (art. 2.86 Aw) or discretionary (2.87)."""

    class Kind(models.TextChoices):
        MANDATORY = "mandatory", _("mandatory")
        DISCRETIONARY = "discretionary", _("discretionary")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="exclusion_grounds")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    # The standard grounds have a code and read in the reader's language; others have a name.
    code = models.CharField(_("code"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exclusion ground")
        verbose_name_plural = _("exclusion grounds")
        ordering = ["call", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def is_mandatory(self) -> bool:
        return self.kind == self.Kind.MANDATORY


class ExclusionAnswer(models.Model):
    """The candidate's answer to one exclusion ground, and the officer's decision on a yes."""

    class Decision(models.TextChoices):
        EXCLUDE = "exclude", _("exclude the candidate")
        ACCEPT = "accept", _("do not exclude (self-cleaning or no grave ground)")

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.CASCADE, related_name="exclusion_answers"
    )
    ground = models.ForeignKey(ExclusionGround, on_delete=models.PROTECT, related_name="+")
    applies = models.BooleanField(_("applies"))
    explanation = models.TextField(_("explanation"), blank=True)
    self_cleaning = models.TextField(_("self-cleaning measures"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer on an exclusion ground")
        verbose_name_plural = _("answers on exclusion grounds")
        ordering = ["request", "ground__order", "ground_id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "ground"], name="exclusion_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ground}: {'yes' if self.applies else 'no'}"

    @property
    def excludes(self) -> bool:
        return self.decision == self.Decision.EXCLUDE


class CriterionAnswer(models.Model):
    """The candidate's figures and references on one selection criterion, and the
    officer's assessment with its reason (the candidate reads it)."""

    request = models.ForeignKey(
        ParticipationRequest, on_delete=models.CASCADE, related_name="criterion_answers"
    )
    criterion = models.ForeignKey(SelectionCriterion, on_delete=models.PROTECT, related_name="+")
    response = models.TextField(_("figures and references"))
    meets = models.BooleanField(_("meets the minimum level"), null=True)
    reason = models.TextField(_("reason"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer on a selection criterion")
        verbose_name_plural = _("answers on selection criteria")
        ordering = ["request", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "criterion"], name="criterion_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.meets}"


auditlog.register(SelectionCriterion)
auditlog.register(ExclusionGround)
auditlog.register(ExclusionAnswer)
auditlog.register(CriterionAnswer)
