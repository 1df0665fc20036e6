from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "portal.identity"
    label = "identity"
    verbose_name = _("Trusted identity")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)

    def navigation(self, user) -> list[dict]:
        """Header entries: a company's team, and the companies to verify for ministry staff."""
        from .permissions import can_see_team

        if not user.is_authenticated:
            return []
        items = []
        if can_see_team(user):
            items.append({"label": _("Company team"), "url": reverse("identity:team")})
        if user.has_perm("identity.verify_company"):
            items.append({"label": _("Companies"), "url": reverse("identity:companies")})
        return items
