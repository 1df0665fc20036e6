"""What reporting adds to the portal's pages through ReportingConfig (the portal asks every app).

- ``navigation(user)``: reports for parliament (ministry staff) and exports (ministry staff
  and officers).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.permissions import can


def navigation(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    if can(user, "reporting.generate_report"):
        items.append({"label": _("Reports"), "url": reverse("reporting:reports")})
    if can(user, "reporting.export"):
        items.append({"label": _("Exports"), "url": reverse("reporting:exports")})
    return items
