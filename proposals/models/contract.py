"""Contracts of awarded proposals and their deliverables (milestones)."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import states
from portal.money import ZERO, MoneyField

from .proposal import Proposal, private_storage

# --- Contracts --------------------------------------------------------------------------------


class Contract(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        TERMINATED = "terminated", _("terminated")

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="contract")
    amount = MoneyField(_("contract amount (€)"))
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

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_terminated(self) -> bool:
        return self.status == self.Status.TERMINATED


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
        # The contract ended before it was accepted: nothing more to deliver or review.
        CANCELLED = "cancelled", _("cancelled")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    due_date = models.DateField(_("due date"))
    amount = MoneyField(_("payment on acceptance (€)"), default=ZERO)
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
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Why it was cancelled: the reason its contract ended (as the officer wrote it).
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["contract", "due_date"]

    def __str__(self) -> str:
        return self.name

    @property
    def awaits_delivery(self) -> bool:
        """Not handed in yet, or sent back to be improved."""
        return self.status in (self.Status.PENDING, self.Status.REJECTED)

    @property
    def awaits_review(self) -> bool:
        return self.status == self.Status.DELIVERED

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_open(self) -> bool:
        """Still to be delivered or reviewed: its contract runs and it is not accepted."""
        return self.awaits_delivery or self.awaits_review


D_STATUS = Deliverable.Status
# A deliverable can be handed in again until it is accepted (also after it was sent back).
# One not accepted when its contract ends is cancelled (``contract_close``); an accepted one
# stays as it is, with its payment.
DELIVERABLE_TRANSITIONS: dict[str, set[str]] = {
    D_STATUS.PENDING: {D_STATUS.DELIVERED, D_STATUS.CANCELLED},
    D_STATUS.DELIVERED: {
        D_STATUS.DELIVERED,
        D_STATUS.ACCEPTED,
        D_STATUS.REJECTED,
        D_STATUS.CANCELLED,
    },
    D_STATUS.REJECTED: {D_STATUS.DELIVERED, D_STATUS.CANCELLED},
    D_STATUS.ACCEPTED: set(),
    D_STATUS.CANCELLED: set(),
}
states.register(Contract, CONTRACT_TRANSITIONS)
states.register(Deliverable, DELIVERABLE_TRANSITIONS)

auditlog.register(Contract)
auditlog.register(Deliverable)
