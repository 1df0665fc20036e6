from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)

    def navigation(self, user) -> list[dict]:
        """The ministry's budget pages; an officer's view of their authority's targets."""
        from portal.models import Role
        from portal.selectors import roles_of

        roles = roles_of(user)
        if Role.MINISTRY_STAFF in roles:
            return [{"label": _("Budget"), "url": reverse("funding:dashboard")}]
        if Role.PROCUREMENT_OFFICER in roles:
            return [{"label": _("Targets"), "url": reverse("funding:targets")}]
        return []
