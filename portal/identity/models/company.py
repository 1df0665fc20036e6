from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation


class VerificationMethod(models.TextChoices):
    EHERKENNING = "eherkenning", _("eHerkenning")
    EIDAS = "eidas", _("eIDAS (eHerkenning for companies from abroad)")
    REGISTER_CHECK = "register_check", _("check in the trade register by ministry staff")


class CompanyVerification(models.Model):
    """One proof that a company is who it says it is: who proved it, when and how.

    Append-only: a verification made in error is revoked, never deleted. The company's
    ``verified_at`` follows the newest live verification, so lists read it without a join.
    """

    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="verifications",
        verbose_name=_("company"),
    )
    method = models.CharField(_("method"), max_length=20, choices=VerificationMethod.choices)
    identifier = models.CharField(
        _("identifier proven"),
        max_length=40,
        help_text=_("The KvK number, VAT number or EUID that was proven."),
    )
    level_of_assurance = models.CharField(_("level of assurance"), max_length=100, blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What was checked, e.g. the date and reference of the trade register extract."),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("company verification")
        verbose_name_plural = _("company verifications")
        ordering = ["-verified_at", "-pk"]
        indexes = [models.Index(fields=["company", "-verified_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="verification_revoked_by_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.get_method_display()} – {self.verified_at:%Y-%m-%d}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class IdentifierClaim(models.Model):
    """A company identifier (KvK number, VAT number, EUID) taken back from an unverified
    company by the company that proved with eHerkenning or eIDAS that it is theirs."""

    class Kind(models.TextChoices):
        KVK_NUMBER = "kvk_number", _("KvK number")
        VAT_NUMBER = "vat_number", _("VAT number")
        EUID = "euid", _("EUID")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    identifier = models.CharField(_("identifier"), max_length=40, db_index=True)
    taken_from = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="identifiers_lost",
        verbose_name=_("taken from"),
    )
    claimed_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="identifiers_claimed",
        verbose_name=_("claimed by"),
    )
    claimed_by_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("claimed by person"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)

    class Meta:
        verbose_name = _("claim of a company identifier")
        verbose_name_plural = _("claims of company identifiers")
        ordering = ["-claimed_at"]

    def __str__(self) -> str:
        return f"{self.identifier}: {self.taken_from} → {self.claimed_by}"


auditlog.register(CompanyVerification)
auditlog.register(IdentifierClaim)
