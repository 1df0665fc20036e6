from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)

    def navigation(self, user) -> list[dict]:
        if not user.is_authenticated:
            return []
        items = []
        if user.has_perm("reporting.generate_report"):
            items.append({"label": _("Reports"), "url": reverse("reporting:reports")})
        if user.has_perm("reporting.export"):
            items.append({"label": _("Exports"), "url": reverse("reporting:exports")})
        return items
