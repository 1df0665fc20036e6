from django import template
from django.conf import settings

from ..oidc import providers

register = template.Library()


@register.simple_tag
def login_options() -> dict:
    """The ways to log in besides a password: eHerkenning and the organisations' providers."""
    return {"eherkenning": settings.EHERKENNING_MODE, "providers": providers()}


@register.inclusion_tag("identity/_verification_badge.html")
def verification_badge(company) -> dict:
    return {"company": company}
