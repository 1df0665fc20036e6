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


def default_instruments() -> list[str]:
    return [Call.Instrument.SBIR, Call.Instrument.INNOVATION_PARTNERSHIP]


class FundingRound(models.Model):
    """An application window for EZK co-financing, with its own limits.

    Ministry staff prepare a round (draft), open it and close it; applications are accepted
    while it is open and its window runs. An authority applies with its draft call (the
    proposed competition); what is approved stays committed to that call once published, and
    is released when the call is not published by ``publish_by``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("in preparation")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Allocation(models.TextChoices):
        FIRST_COME = "first_come", _("first come, first served")
        RANKED = "ranked", _("ranked after the round closes")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    allocation = models.CharField(
        _("allocation"), max_length=20, choices=Allocation.choices, default=Allocation.FIRST_COME
    )
    instruments = models.JSONField(
        _("instruments"),
        default=default_instruments,
        help_text=_("The instruments a trajectory may use to be co-financed in this round."),
    )
    mission_required = models.BooleanField(
        _("the call must serve a mission"),
        default=True,
        help_text=_("A mission of the knowledge and innovation agendas 2020–2023."),
    )
    publish_by = models.DateField(
        _("the call must be published by"),
        null=True,
        blank=True,
        help_text=_("A commitment whose call is still unpublished after this day is released."),
    )
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

    @property
    def can_open(self) -> bool:
        return states.can_move(self, self.Status.OPEN)

    @property
    def can_close(self) -> bool:
        return states.can_move(self, self.Status.CLOSED)

    @property
    def is_first_come(self) -> bool:
        return self.allocation == self.Allocation.FIRST_COME

    def instrument_labels(self) -> list[str]:
        labels = dict(Call.Instrument.choices)
        return [str(labels.get(code, code)) for code in self.instruments]


ROUND_TRANSITIONS: dict[str, set[str]] = {
    FundingRound.Status.DRAFT: {FundingRound.Status.OPEN},
    FundingRound.Status.OPEN: {FundingRound.Status.CLOSED},
    FundingRound.Status.CLOSED: set(),
}
states.register(FundingRound, ROUND_TRANSITIONS)


class CoFinancingApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        # Approved, but the call was not published by the round's date: released.
        LAPSED = "lapsed", _("lapsed: call not published in time")

    round = models.ForeignKey(FundingRound, on_delete=models.PROTECT, related_name="applications")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="cofinancing")
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trajectory_cost = MoneyField(_("total cost of the trajectory (€)"))
    requested = MoneyField(_("requested co-financing (€)"))
    motivation = models.TextField(_("motivation"))
    plan = models.TextField(
        _("plan of the competition"),
        blank=True,
        help_text=_("When the call will be published, its phases and how the cost is made up."),
    )
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

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.SUBMITTED


APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    CoFinancingApplication.Status.SUBMITTED: {
        CoFinancingApplication.Status.APPROVED,
        CoFinancingApplication.Status.REJECTED,
    },
    CoFinancingApplication.Status.APPROVED: {CoFinancingApplication.Status.LAPSED},
    CoFinancingApplication.Status.REJECTED: set(),
    CoFinancingApplication.Status.LAPSED: set(),
}
states.register(CoFinancingApplication, APPLICATION_TRANSITIONS)

auditlog.register(FundingRound)
auditlog.register(CoFinancingApplication)
