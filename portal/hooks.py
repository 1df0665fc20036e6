"""The hooks through which apps add to the portal's pages, so that the portal (the lowest
layer) needs to know nothing about the apps built on it.

An app answers a hook by giving its AppConfig the method (each app's own answers live in its
``hooks.py``):

- ``navigation(user)``: entries for the header's menu, dicts with label and url;
- ``tasks_for(user)``: "My tasks" on the dashboard, dicts with title, url, deadline (an aware
  datetime or None) and kind; each app answers only for its own objects;
- ``home_sections(request)``: sections of the public home page, dicts with a template name
  and the context for it;
- ``call_sections(call, user, audience, phases)``: sections of a call's page, dicts with a
  template name and the context for it; ``audience`` is "officer" (the officer's page of the
  call) or "public" (the call's public page, below its phases; ``phases`` are the call's
  phases as that page loaded them);
- ``participation_sections(participation, user)``: sections of the company's page of its
  request to participate (innovation partnership), dicts with a template name and context;
- ``requires_two_factor(user)``: True if the app holds something of this person's that needs
  the second factor even without a role that asks for it (a committee seat).

The portal asks every installed app in INSTALLED_APPS order, which is the order apps depend.
"""

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _answers(hook: str, argument) -> list[dict]:
    answers = []
    for config in apps.get_app_configs():
        if hasattr(config, hook):
            answers += getattr(config, hook)(argument)
    return answers


def navigation_for(user) -> list[dict]:
    """The header's menu: the portal's own entries around what each app offers this person."""
    items = [{"label": _("Home"), "url": reverse("home")}]
    items += _answers("navigation", user)
    if user.is_authenticated:
        items.append({"label": _("My dashboard"), "url": reverse("dashboard")})
        items.append({"label": _("My account"), "url": reverse("account")})
    if user.is_staff:
        items.append({"label": _("Audit trail"), "url": reverse("audit_trail")})
        items.append({"label": _("System status"), "url": reverse("system_status")})
    return items


def tasks_for(user) -> list[dict]:
    """What waits for this person, soonest deadline first (none last)."""
    tasks = _answers("tasks_for", user)
    return sorted(tasks, key=lambda task: (task["deadline"] is None, task["deadline"] or 0))


def home_sections(request) -> list[dict]:
    """What the apps show on the home page, below the introduction."""
    return _answers("home_sections", request)


def call_sections(call, user, audience: str, phases: list | None = None) -> list[dict]:
    """What the apps show on a call's page (officer's or public), below the call's own parts."""
    sections: list[dict] = []
    for config in apps.get_app_configs():
        if hasattr(config, "call_sections"):
            sections += config.call_sections(call, user, audience, phases)
    return sections


def participation_sections(participation, user) -> list[dict]:
    """What the apps show on the company's page of its request to participate."""
    sections: list[dict] = []
    for config in apps.get_app_configs():
        if hasattr(config, "participation_sections"):
            sections += config.participation_sections(participation, user)
    return sections


def two_factor_required_by_apps(user) -> bool:
    return any(
        config.requires_two_factor(user)
        for config in apps.get_app_configs()
        if hasattr(config, "requires_two_factor")
    )
