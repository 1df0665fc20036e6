from django.conf import settings

from .hooks import navigation_for
from .permissions import RulePerms


def portal(request) -> dict:
    return {
        "THEME_STYLESHEET": settings.THEME_STYLESHEET,
        "THEME_CLASS": settings.THEME_CLASS,
        "navigation": navigation_for(request.user),
        # Replaces django.contrib.auth's ``perms``: pages ask the same rules as API and tasks.
        "perms": RulePerms(request.user),
    }
