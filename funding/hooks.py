"""What funding adds to the portal's pages through FundingConfig (the portal asks every app).

- ``navigation(user)``: the ministry's budget pages; an officer's co-financing applications
  and their authority's targets.
- ``tasks_for(user)``: for ministry staff, each round with applications waiting for a
  decision (one query, whatever the number of rounds).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
            {"label": _("Rounds"), "url": reverse("cofinancing:rounds")},
            {"label": _("Targets"), "url": reverse("funding:targets")},
        ]
    elif Role.PROCUREMENT_OFFICER in roles:
        items += [
            {"label": _("Co-financing"), "url": reverse("cofinancing:mine")},
            {"label": _("Targets"), "url": reverse("funding:targets")},
        ]
    return items


def tasks_for(user) -> list[dict]:
    if not user.is_authenticated or Role.MINISTRY_STAFF not in roles_of(user):
        return []
    from .selectors.cofinancing import pending_per_round

    return [
        {
            "kind": "cofinancing_decide",
            "title": ngettext(
                "Decide on %(n)d co-financing application in %(round)s",
                "Decide on %(n)d co-financing applications in %(round)s",
                funding_round.pending_count,
            )
            % {"n": funding_round.pending_count, "round": funding_round.name},
            "url": reverse("cofinancing:review"),
            "deadline": None,
        }
        for funding_round in pending_per_round()
    ]
