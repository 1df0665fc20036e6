"""Proposals' answers to signals (the calls app's and its own). Connected in
ProposalsConfig.ready."""

from django.utils.translation import ngettext

from portal.exceptions import DomainError

from .models import Contract


def refuse_while_contracts_run(sender, *, call, **kwargs) -> None:
    """A trajectory ends only when its contracts have: a company keeps its signed contract,
    and EZK's share of the milestones still to come must stay committed."""
    running = Contract.objects.filter(proposal__call=call, status=Contract.Status.ACTIVE).count()
    if running:
        raise DomainError(
            ngettext(
                "%(count)d contract of this call still runs; complete or terminate it first.",
                "%(count)d contracts of this call still run; complete or terminate them first.",
                running,
            )
            % {"count": running},
            code="contracts_running",
        )


def letters_once_decided(sender, *, decision, **kwargs) -> None:
    """An intended decision: once the phase is decided, every company gets its letter."""
    from .services.letters import decision_letters_schedule

    decision_letters_schedule(phase=decision.phase)


def selection_letters(sender, *, call, invited, not_invited, **kwargs) -> bool:
    """Innovation partnership: the selection is final. Every candidate gets its numbered
    letter (invitation, or not selected / excluded with the reasons per criterion and ground
    and the standstill). True: the letters carry the decision, calls sends no plain mail."""
    from .services.letters import selection_letters_schedule

    selection_letters_schedule(call=call, requests=[*invited, *not_invited])
    return True
