from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    """The hooks the portal asks every app for are answered in proposals/hooks.py."""

    name = "proposals"
    verbose_name = _("Proposals and assessment")

    def ready(self) -> None:
        from calls.signals import call_ended, selection_decided

        from . import (
            permissions,  # noqa: F401  (registers the rules)
            receivers,
        )
        from .signals import decision_intended

        call_ended.connect(receivers.refuse_while_contracts_run, dispatch_uid="proposals.ended")
        decision_intended.connect(receivers.letters_once_decided, dispatch_uid="proposals.letters")
        selection_decided.connect(
            receivers.selection_letters, dispatch_uid="proposals.selection_letters"
        )

    def navigation(self, user) -> list[dict]:
        from .hooks import navigation

        return navigation(user)

    def requires_two_factor(self, user) -> bool:
        from .hooks import requires_two_factor

        return requires_two_factor(user)

    def tasks_for(self, user) -> list[dict]:
        from .hooks import tasks_for

        return tasks_for(user)

    def participation_sections(self, participation, user) -> list[dict]:
        from .hooks import participation_sections

        return participation_sections(participation, user)

    def call_sections(self, call, user, audience: str, phases: list | None) -> list[dict]:
        from .hooks import call_sections

        return call_sections(call, user, audience, phases)
