from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """The hooks the portal asks every app for are answered in reporting/hooks.py."""

    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from celery.signals import worker_process_init

        from calls.signals import (
            call_amended,
            call_assessment_resumed,
            call_ended,
            call_published,
            clarifications_published,
        )
        from proposals.signals import (
            contract_awarded,
            contract_ended,
            decision_finalised,
            deliverable_accepted,
            partnership_continued,
            partnership_purchased,
            phase_opened,
        )

        from . import (
            permissions,  # noqa: F401  (registers the rules)
            receivers,
        )
        from .eforms.schematron import warm_up_on_worker_start

        # Each Celery worker process compiles the eForms Schematron rules as it starts.
        worker_process_init.connect(
            warm_up_on_worker_start, dispatch_uid="reporting.schematron_warm_up"
        )
        call_published.connect(
            receivers.prepare_competition_notice, dispatch_uid="reporting.competition_notice"
        )
        call_amended.connect(
            receivers.prepare_change_notice, dispatch_uid="reporting.change_notice"
        )
        # Open data with its history: one stored OCDS release per change.
        for signal, receiver in (
            (call_published, receivers.release_on_publication),
            (call_amended, receivers.release_on_amendment),
            (clarifications_published, receivers.release_on_clarifications),
            (call_ended, receivers.release_on_cancellation),
            (call_assessment_resumed, receivers.release_on_assessment_resumed),
            (phase_opened, receivers.release_on_opening),
            (decision_finalised, receivers.release_on_final_award),
            (contract_awarded, receivers.release_on_contract),
            (deliverable_accepted, receivers.release_on_milestone),
            (partnership_continued, receivers.release_on_partnership_go),
            (partnership_purchased, receivers.release_on_partnership_purchase),
            (contract_ended, receivers.release_on_contract_end),
        ):
            signal.connect(receiver, dispatch_uid=f"reporting.ocds.{receiver.__name__}")

    def call_sections(self, call, user, audience: str, phases: list | None) -> list[dict]:
        from .hooks import call_sections

        return call_sections(call, user, audience)

    def navigation(self, user) -> list[dict]:
        from .hooks import navigation

        return navigation(user)
