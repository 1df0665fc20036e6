"""What trusted identity adds to the portal's pages through IdentityConfig.

- ``navigation(user)``: the header's entries: the company's team for people of a company, the
  companies to verify for ministry staff.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.permissions import can

from .permissions import can_see_team


def navigation(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    if can_see_team(user):
        items.append({"label": _("Company team"), "url": reverse("identity:team")})
    if can(user, "identity.verify_company"):
        items.append({"label": _("Companies"), "url": reverse("identity:companies")})
    return items
