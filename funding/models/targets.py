"""Targets (streefcijfers, motie Bruins) agreed with contracting authorities."""

from auditlog.registry import auditlog
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation
from portal.money import MONEY_DIGITS, MoneyField


class AuthorityTarget(models.Model):
    """A target agreed with a contracting authority for a year (motie Bruins)."""

    class Measure(models.TextChoices):
        SHARE = "share", _("share of the procurement budget (%)")
        TRAJECTORIES = "trajectories", _("number of trajectories")
        AMOUNT = "amount", _("amount (€)")

    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    # A percentage, a number of trajectories or an amount: as wide as money.
    target = models.DecimalField(_("target"), **MONEY_DIGITS)
    procurement_budget = MoneyField(_("procurement budget (€)"), null=True, blank=True)

    class Meta:
        verbose_name = _("authority target")
        verbose_name_plural = _("authority targets")
        ordering = ["year", "authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "measure"], name="target_once_per_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.year}: {self.target}"


auditlog.register(AuthorityTarget)
