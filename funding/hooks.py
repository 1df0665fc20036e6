"""What funding adds to the portal's pages through FundingConfig (the portal asks every app).

- ``navigation(user)``: the ministry's budget pages; an officer's co-financing applications
  and their authority's targets.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Role
from portal.selectors.identity import roles_of


def navigation(user) -> list[dict]:
    roles = roles_of(user)
    items = []
    if Role.MINISTRY_STAFF in roles:
        items += [
            {"label": _("Budget"), "url": reverse("funding:dashboard")},
            {"label": _("Funds"), "url": reverse("funding:funds")},
            {"label": _("Co-financing"), "url": reverse("cofinancing:review")},
            {"label": _("Targets"), "url": reverse("funding:targets")},
        ]
    elif Role.PROCUREMENT_OFFICER in roles:
        items += [
            {"label": _("Co-financing"), "url": reverse("cofinancing:mine")},
            {"label": _("Targets"), "url": reverse("funding:targets")},
        ]
    return items
