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


def call_sections(call, user, audience: str) -> list[dict]:
    """On the officer's page of an SBIR or innovation partnership: its notices and where they
    stand; on the public page: links to the notices published on TenderNed."""
    from .selectors.notices import notices_of_call, published_notices, takes_notices

    if not takes_notices(call) or (call.is_draft and audience == "public"):
        return []
    if audience == "officer":
        if not can(user, "calls.manage_call", call):
            return []
        return [
            {
                "template": "reporting/notices/_officer_section.html",
                "context": {"call": call, "notices": list(notices_of_call(call))},
            }
        ]
    published = published_notices(call)
    if not published:
        return []
    return [
        {
            "template": "reporting/notices/_public_section.html",
            "context": {"call": call, "notices": published},
        }
    ]
