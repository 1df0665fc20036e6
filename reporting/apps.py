from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """The hooks the portal asks every app for are answered in reporting/hooks.py."""

    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)

    def navigation(self, user) -> list[dict]:
        from .hooks import navigation

        return navigation(user)
