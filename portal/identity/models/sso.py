from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from portal.models import Organisation


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect provider, through which its officials log in.

    People are matched by e-mail address *and* organisation: a provider only ever logs in
    people who already hold a role in its own organisation. The client secret may stay out of
    the database: leave it empty and set ``OIDC_CLIENT_SECRET_<SLUG>`` in the environment.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="identity_providers",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in the address."))
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Shown on the button, e.g. “RWS account”.")
    )
    issuer = models.URLField(
        _("issuer"), help_text=_("The provider's address; its discovery document is read there.")
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    mfa_amr = models.CharField(
        _("amr values meaning multi-factor"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated; empty: the portal's default (“mfa”)."),
    )
    mfa_acr = models.CharField(
        _("acr values meaning multi-factor"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. a level of assurance your provider reports."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class IdentityProviderDevice(Device):
    """The second factor an identity provider vouched for by asserting multi-factor login.

    A django-otp device, so that ``user.is_verified()`` holds after such a login exactly as
    after a TOTP code. It accepts no codes itself.
    """

    provider_slug = models.SlugField(_("identity provider"))

    class Meta:
        verbose_name = _("multi-factor login at an identity provider")
        verbose_name_plural = _("multi-factor logins at identity providers")

    def verify_token(self, token) -> bool:
        return False


class EherkenningLink(models.Model):
    """A person as eHerkenning knows them for one company: the pseudonym the broker sends."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="eherkenning_links",
        verbose_name=_("user"),
    )
    company = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="eherkenning_links",
        verbose_name=_("company"),
    )
    acting_subject_id = models.CharField(_("pseudonym of the person"), max_length=255)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("eHerkenning link")
        verbose_name_plural = _("eHerkenning links")
        constraints = [
            models.UniqueConstraint(
                fields=["acting_subject_id", "company"], name="eherkenning_one_person_per_pseudonym"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.company}"


auditlog.register(IdentityProvider, exclude_fields=["client_secret"])
auditlog.register(EherkenningLink, exclude_fields=["last_login_at"])
