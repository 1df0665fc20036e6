from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailConfirmation(models.Model):
    """An address someone typed themselves, waiting for its owner to follow the link sent to it.

    While one is unconfirmed the account can do nothing but confirm (see the middleware).
    Accounts made by others from a known address (invitations, the demo, the admin) have none.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_confirmation",
        verbose_name=_("user"),
    )
    email = models.EmailField(_("e-mail address"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail confirmation")
        verbose_name_plural = _("e-mail confirmations")

    def __str__(self) -> str:
        return self.email

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None


auditlog.register(EmailConfirmation)
