from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    """The hooks the portal asks every app for are answered in calls/hooks.py."""

    name = "calls"
    verbose_name = _("Calls")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)

    def navigation(self, user) -> list[dict]:
        from .hooks import navigation

        return navigation(user)

    def tasks_for(self, user) -> list[dict]:
        from .hooks import tasks_for

        return tasks_for(user)

    def home_sections(self, request) -> list[dict]:
        from .hooks import home_sections

        return home_sections(request)
