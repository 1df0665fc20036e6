from django.conf import settings

from .hooks import navigation_for


def portal(request) -> dict:
    return {
        "THEME_STYLESHEET": settings.THEME_STYLESHEET,
        "THEME_CLASS": settings.THEME_CLASS,
        "navigation": navigation_for(request.user),
    }
