from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation_for(user) -> list[dict]:
    """The header's menu: public entries for everyone, then what the person's roles use."""
    items = [{"label": _("Home"), "url": reverse("home"), "name": "home"}]
    if not user.is_authenticated:
        return items
    items.append({"label": _("My dashboard"), "url": reverse("dashboard"), "name": "dashboard"})
    items.append({"label": _("My account"), "url": reverse("account"), "name": "account"})
    if user.is_staff:
        items.append(
            {"label": _("Audit trail"), "url": reverse("audit_trail"), "name": "audit_trail"}
        )
        items.append(
            {"label": _("System status"), "url": reverse("system_status"), "name": "status"}
        )
    return items


def portal(request) -> dict:
    return {
        "THEME_STYLESHEET": settings.THEME_STYLESHEET,
        "THEME_CLASS": settings.THEME_CLASS,
        "navigation": navigation_for(request.user),
    }
