from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """The hooks the portal asks every app for are answered in reporting/hooks.py."""

    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from calls.signals import call_amended, call_published

        from . import (
            permissions,  # noqa: F401  (registers the rules)
            receivers,
        )

        call_published.connect(
            receivers.prepare_competition_notice, dispatch_uid="reporting.competition_notice"
        )
        call_amended.connect(
            receivers.prepare_change_notice, dispatch_uid="reporting.change_notice"
        )

    def call_sections(self, call, user, audience: str, phases: list | None) -> list[dict]:
        from .hooks import call_sections

        return call_sections(call, user, audience)

    def navigation(self, user) -> list[dict]:
        from .hooks import navigation

        return navigation(user)
