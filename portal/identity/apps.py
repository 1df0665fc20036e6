from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """The hooks the portal asks every app for are answered in portal/identity/hooks.py."""

    name = "portal.identity"
    label = "identity"
    verbose_name = _("Trusted identity")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)

    def navigation(self, user) -> list[dict]:
        from .hooks import navigation

        return navigation(user)
