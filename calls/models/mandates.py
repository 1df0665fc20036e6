"""Mandates: an authority lets another organisation (RVO, typically) run its calls.

A general mandate covers every call of the authority, a mandate for one call only that call.
The mandated organisation's procurement officers then act for the authority: they draft,
publish and manage its calls, and every record shows "RVO on behalf of Rijkswaterstaat".
The rule is applied in one place, calls/permissions.py.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation


class Mandate(models.Model):
    principal = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="mandates_given",
        verbose_name=_("contracting authority"),
    )
    agent = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="mandates_held",
        verbose_name=_("mandated organisation"),
    )
    call = models.ForeignKey(
        "calls.Call",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("call"),
        help_text=_("Empty: every call of the authority."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["principal", "agent", "call"],
                condition=Q(revoked_at__isnull=True),
                name="mandate_once_while_active",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("agent")), name="mandate_to_another"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} → {self.principal}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


auditlog.register(Mandate)
