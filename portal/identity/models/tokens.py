from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A named credential a person hands to a system to use the API on their behalf.

    Only the SHA-256 of the key is stored; the key is shown once. A token expires, can be
    read-only, and dies with the password it was made under and the memberships it was made
    in (``password_fingerprint``, ``membership_ids``), whichever path changed them.
    """

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        READ_WRITE = "read_write", _("read and write")

    class RevokeReason(models.TextChoices):
        OWNER = "owner", _("revoked by its owner")
        PASSWORD_CHANGED = "password_changed", _("the password was changed")
        MEMBERSHIP_ENDED = "membership_ended", _("a membership ended")
        ADMINISTRATOR = "administrator", _("revoked by a portal administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    prefix = models.CharField(_("first characters"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    password_fingerprint = models.CharField(max_length=64, editable=False)
    membership_ids = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(
        _("reason"), max_length=30, choices=RevokeReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def allows_writing(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


auditlog.register(
    ApiToken,
    exclude_fields=["key_hash", "password_fingerprint", "last_used_at", "last_used_ip"],
)
