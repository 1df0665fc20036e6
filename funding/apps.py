from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """The hooks the portal asks every app for are answered in funding/hooks.py."""

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
        signals.partnership_continued.connect(
            receivers.commit_next_phase_on_go, dispatch_uid="funding.partnership_go"
        )
        signals.partnership_purchased.connect(
            receivers.record_partnership_purchase, dispatch_uid="funding.partnership_purchase"
        )
        call_ended.connect(receivers.release_on_call_end, dispatch_uid="funding.release_call")

    def navigation(self, user) -> list[dict]:
        from .hooks import navigation

        return navigation(user)

    def tasks_for(self, user) -> list[dict]:
        from .hooks import tasks_for

        return tasks_for(user)
