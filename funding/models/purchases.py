"""Follow-up purchases (phase 3): after an SBIR or innovation partnership the authority buys
the developed solution. The commercial purchase is ordinary procurement outside the portal's
calls; an officer records it here so that the report to parliament can list it."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from portal.models import Organisation
from portal.money import MoneyField
from proposals.models import PhasePlan


class FollowUpPurchase(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="follow_up_purchases", verbose_name=_("call")
    )
    supplier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supplier"),
        limit_choices_to={"kind": Organisation.Kind.COMPANY},
    )
    amount = MoneyField(_("amount (€)"))
    purchased_on = models.DateField(_("date of the purchase"), db_index=True)
    description = models.CharField(_("what was bought"), max_length=500)
    # An innovation partnership's purchase phase, recorded by the go/no-go flow.
    phase_plan = models.OneToOneField(
        PhasePlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_purchase",
        verbose_name=_("purchase phase of the partnership"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up purchase")
        verbose_name_plural = _("follow-up purchases")
        ordering = ["purchased_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="purchase_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.call} – {self.supplier} ({self.purchased_on})"


auditlog.register(FollowUpPurchase)
