"""EZK's co-financing of trajectories: application rounds and an authority's applications."""

from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from portal import states
from portal.models import Organisation
from portal.money import MoneyField

from .ledger import Fund


class FundingRound(models.Model):
    """An application window for EZK co-financing, with its own limits."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("name"), max_length=200)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    max_share = models.DecimalField(
        _("maximum share of the trajectory's cost"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.500"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    max_amount = MoneyField(_("maximum per trajectory (€)"), default=Decimal("500000.00"))

    class Meta:
        verbose_name = _("funding round")
        verbose_name_plural = _("funding rounds")
        ordering = ["opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_window_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CoFinancingApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    round = models.ForeignKey(FundingRound, on_delete=models.PROTECT, related_name="applications")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="cofinancing")
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trajectory_cost = MoneyField(_("total cost of the trajectory (€)"))
    requested = MoneyField(_("requested co-financing (€)"))
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_motivation = models.TextField(_("motivation of the decision"), blank=True)

    class Meta:
        verbose_name = _("co-financing application")
        verbose_name_plural = _("co-financing applications")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(requested__gt=0), name="application_positive"),
            models.CheckConstraint(
                condition=Q(requested__lte=models.F("trajectory_cost")),
                name="application_within_cost",
            ),
            models.UniqueConstraint(
                fields=["round", "call"],
                condition=~Q(status="rejected"),
                name="application_once_per_call_and_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call} ({self.get_status_display()})"

    @property
    def awaits_decision(self) -> bool:
        return self.status == self.Status.SUBMITTED


A_STATUS = CoFinancingApplication.Status
COFINANCING_TRANSITIONS: dict[str, set[str]] = {
    A_STATUS.SUBMITTED: {A_STATUS.APPROVED, A_STATUS.REJECTED},
    A_STATUS.APPROVED: set(),
    A_STATUS.REJECTED: set(),
}
states.register(CoFinancingApplication, COFINANCING_TRANSITIONS)

auditlog.register(FundingRound)
auditlog.register(CoFinancingApplication)
