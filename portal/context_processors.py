from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation_for(user) -> list[dict]:
    """The header's menu: the portal's own entries plus what each app offers this person.

    An app adds entries by giving its AppConfig a ``navigation(user)`` method, so the portal
    needs to know nothing about the apps built on it.
    """
    items = [{"label": _("Home"), "url": reverse("home")}]
    for config in apps.get_app_configs():
        if hasattr(config, "navigation"):
            items += config.navigation(user)
    if user.is_authenticated:
        items.append({"label": _("My dashboard"), "url": reverse("dashboard")})
        items.append({"label": _("My account"), "url": reverse("account")})
    if user.is_staff:
        items.append({"label": _("Audit trail"), "url": reverse("audit_trail")})
        items.append({"label": _("System status"), "url": reverse("system_status")})
    return items


def portal(request) -> dict:
    return {
        "THEME_STYLESHEET": settings.THEME_STYLESHEET,
        "THEME_CLASS": settings.THEME_CLASS,
        "navigation": navigation_for(request.user),
    }
