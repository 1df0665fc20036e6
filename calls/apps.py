from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)

    def navigation(self, user) -> list[dict]:
        """The header's entries for calls: the public overview, and an officer's own calls."""
        items = [{"label": _("Calls"), "url": reverse("calls:list")}]
        if user.is_authenticated and user.has_perm("calls.add_call"):
            items.append({"label": _("My calls"), "url": reverse("calls:officer_list")})
        return items

    def tasks_for(self, user) -> list[dict]:
        """My tasks: requests to participate to review, invitations to tender to send."""
        from .dashboard import tasks_for

        return tasks_for(user)

    def home_sections(self, request) -> list[dict]:
        """The home page: the calls open for proposals now."""
        from .home import home_sections

        return home_sections(request)
