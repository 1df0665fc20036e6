"""Innovation partnership after the initial tenders: negotiation rounds, revised tenders,
and the partnership's phases with interim targets, go/no-go decisions and the purchase.

A negotiation round is one text (the points and questions) with one deadline, sent to every
tenderer of the phase at the same moment: nothing in the model can hold a point for one
tenderer only. Revised tenders are kept as immutable versions, sealed until the round's
deadline like any tender (``TenderVersion.objects.opened()``). The last round asks for the
final tenders (BAFO): no round may follow it.

Each partner's contract holds a plan per phase of the call (``PhasePlan``): its maximum cost
and its measurable interim targets with the evidence they need. At the end of a phase the
partner reports per target; the officer then records go or no-go with a reason.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Phase
from portal import states
from portal.money import MoneyField

from .contract import Contract
from .opening import ImmutableModel, ImmutableQuerySet
from .proposal import Proposal, private_storage

# --- Negotiation rounds -----------------------------------------------------------------------


class NegotiationRound(models.Model):
    class Kind(models.TextChoices):
        NEGOTIATION = "negotiation", _("negotiation round")
        FINAL = "final", _("final tenders (no further negotiation)")

    class Status(models.TextChoices):
        OPEN = "open", _("open for revised tenders")
        OPENED = "opened", _("deadline passed, tenders opened")

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="negotiation_rounds")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    points = models.TextField(
        _("points and questions"),
        help_text=_("The same text goes to every tenderer at the same moment."),
    )
    deadline = models.DateTimeField(_("deadline for revised tenders"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The tenderers it went to, fixed when it was sent (the same text and moment for all).
    recipients = models.ManyToManyField(
        Proposal, related_name="negotiation_rounds", verbose_name=_("tenderers")
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    received = models.PositiveIntegerField(_("revised tenders received"), default=0)

    class Meta:
        verbose_name = _("negotiation round")
        verbose_name_plural = _("negotiation rounds")
        ordering = ["phase", "number"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "number"], name="round_unique_number"),
            models.UniqueConstraint(
                fields=["phase"], condition=Q(kind="final"), name="round_one_final_per_phase"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase} – {self.number}"

    @property
    def is_final(self) -> bool:
        return self.kind == self.Kind.FINAL

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_opened(self) -> bool:
        return self.status == self.Status.OPENED

    @property
    def accepts_tenders(self) -> bool:
        return self.is_open and timezone.now() < self.deadline


ROUND_TRANSITIONS: dict[str, set[str]] = {
    NegotiationRound.Status.OPEN: {NegotiationRound.Status.OPENED},
    NegotiationRound.Status.OPENED: set(),
}


class TenderVersionQuerySet(ImmutableQuerySet):
    def opened(self, now=None) -> "TenderVersionQuerySet":
        """Only versions whose round's deadline has passed: the others are sealed to everyone
        but their own company."""
        return self.filter(round__deadline__lte=now or timezone.now())


class TenderVersion(ImmutableModel):
    """A revised (or final) tender of one tenderer in one round; never changed, all kept."""

    objects = TenderVersionQuerySet.as_manager()

    round = models.ForeignKey(NegotiationRound, on_delete=models.PROTECT, related_name="versions")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    changes = models.TextField(_("what the tender changes"))
    price = MoneyField(_("price (€)"))
    document = models.FileField(
        _("revised tender (PDF)"), storage=private_storage, upload_to="tenders/%Y/", blank=True
    )
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_hash = models.CharField(_("content fingerprint (SHA-256)"), max_length=64)
    submitted_at = models.DateTimeField(_("received at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("revised tender")
        verbose_name_plural = _("revised tenders")
        ordering = ["round", "proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "proposal", "number"], name="tender_version_unique_number"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="tender_version_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} v{self.number}"


# --- The partnership's phases -----------------------------------------------------------------


class PhasePlan(models.Model):
    """One phase of one partner's contract: its maximum cost, its targets and its outcome."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        REPORTED = "reported", _("reported against the targets")
        GO = "go", _("go: the partnership continues")
        NO_GO = "no_go", _("no-go: the partnership ends")
        CANCELLED = "cancelled", _("not reached")
        PURCHASED = "purchased", _("purchased")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="phase_plans")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="plans")
    max_cost = MoneyField(_("maximum cost (€)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The purchase phase: what the authority bought at the agreed levels.
    purchase_amount = MoneyField(_("purchase amount (€)"), null=True, blank=True)
    purchased_on = models.DateField(_("date of the purchase"), null=True, blank=True)
    purchase_description = models.CharField(_("what was bought"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("phase of a partnership")
        verbose_name_plural = _("phases of a partnership")
        ordering = ["contract", "phase__order"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "phase"], name="plan_one_per_phase"),
            models.CheckConstraint(condition=Q(max_cost__gt=0), name="plan_max_cost_positive"),
            models.CheckConstraint(
                condition=Q(purchase_amount__isnull=True)
                | Q(purchase_amount__lte=models.F("max_cost")),
                name="plan_purchase_within_max_cost",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["go", "no_go"]) | ~Q(decision_reason=""),
                name="plan_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.proposal} – {self.phase}"

    @property
    def is_purchase(self) -> bool:
        return self.phase.kind == Phase.Kind.PURCHASE

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def awaits_report(self) -> bool:
        return self.status == self.Status.RUNNING and not self.is_purchase

    @property
    def awaits_decision(self) -> bool:
        return self.status == self.Status.REPORTED

    @property
    def awaits_purchase(self) -> bool:
        return self.status == self.Status.RUNNING and self.is_purchase

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_go(self) -> bool:
        return self.status == self.Status.GO

    @property
    def is_no_go(self) -> bool:
        return self.status == self.Status.NO_GO


P = PhasePlan.Status
PLAN_TRANSITIONS: dict[str, set[str]] = {
    P.PLANNED: {P.RUNNING, P.CANCELLED},
    P.RUNNING: {P.REPORTED, P.NO_GO, P.PURCHASED},
    P.REPORTED: {P.GO, P.NO_GO},
    P.GO: set(),
    P.NO_GO: set(),
    P.CANCELLED: set(),
    P.PURCHASED: set(),
}


class InterimTarget(models.Model):
    """A measurable target of one phase of a partnership, with the evidence it needs."""

    plan = models.ForeignKey(PhasePlan, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    description = models.CharField(_("target"), max_length=300)
    measure = models.CharField(
        _("measurable level"), max_length=200, help_text=_("E.g. “range ≥ 40 km per charge”.")
    )
    evidence_required = models.CharField(_("evidence required"), max_length=300)

    class Meta:
        verbose_name = _("interim target")
        verbose_name_plural = _("interim targets")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.description


class TargetReport(models.Model):
    """The partner's result against one interim target, with its evidence."""

    target = models.OneToOneField(InterimTarget, on_delete=models.PROTECT, related_name="report")
    result = models.TextField(_("result"))
    evidence = models.FileField(
        _("evidence (PDF)"), storage=private_storage, upload_to="targets/%Y/"
    )
    evidence_name = models.CharField(_("file name"), max_length=255)
    evidence_sha256 = models.CharField(_("SHA-256"), max_length=64)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report against a target")
        verbose_name_plural = _("reports against targets")

    def __str__(self) -> str:
        return f"{self.target}: {self.result[:40]}"


states.register(NegotiationRound, ROUND_TRANSITIONS)
states.register(PhasePlan, PLAN_TRANSITIONS)
auditlog.register(NegotiationRound)
auditlog.register(TenderVersion)
auditlog.register(PhasePlan)
auditlog.register(InterimTarget)
auditlog.register(TargetReport)
