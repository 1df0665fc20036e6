from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from calls.signals import call_ended
        from proposals import signals

        from . import (
            permissions,  # noqa: F401  (registers the rules)
            receivers,
        )

        signals.contract_awarded.connect(receivers.commit_on_award, dispatch_uid="funding.commit")
        signals.deliverable_accepted.connect(
            receivers.pay_on_acceptance, dispatch_uid="funding.pay"
        )
        signals.contract_ended.connect(receivers.release_on_end, dispatch_uid="funding.release")
        call_ended.connect(receivers.release_on_call_end, dispatch_uid="funding.release_call")

    def navigation(self, user) -> list[dict]:
        """The ministry's budget pages; an officer's view of their authority's targets."""
        from portal.models import Role
        from portal.selectors import roles_of

        roles = roles_of(user)
        items = []
        if Role.MINISTRY_STAFF in roles:
            items += [
                {"label": _("Budget"), "url": reverse("funding:dashboard")},
                {"label": _("Co-financing"), "url": reverse("cofinancing:review")},
                {"label": _("Targets"), "url": reverse("funding:targets")},
            ]
        elif Role.PROCUREMENT_OFFICER in roles:
            items += [
                {"label": _("Co-financing"), "url": reverse("cofinancing:mine")},
                {"label": _("Targets"), "url": reverse("funding:targets")},
            ]
        return items
