"""Reporting's answers to the calls app's signals. Connected in ReportingConfig.ready."""

from django.utils import timezone

from calls.models import Call

from .models import Notice
from .selectors.notices import competition_notice, takes_notices
from .services.notices import notice_prepare
from .services.opendata import ocds_release_enqueue


def prepare_competition_notice(sender, *, call, actor, **kwargs) -> None:
    """A published SBIR or innovation partnership gets its contract notice, ready to check."""
    if takes_notices(call) and competition_notice(call) is None:
        notice_prepare(call=call, kind=Notice.Kind.COMPETITION, actor=actor)


def prepare_change_notice(sender, *, call, amendment, actor, **kwargs) -> None:
    """An amendment of a call with a contract notice gets a change notice."""
    if takes_notices(call) and competition_notice(call) is not None:
        notice_prepare(call=call, kind=Notice.Kind.CHANGE, actor=actor, amendment=amendment)


# --- Open data with its history (services/opendata.py) -----------------------------------------
# Each answers inside the sending service's transaction with an outbox row; the release is
# built from the committed data by the task that row sends.


def release_on_publication(sender, *, call, actor, **kwargs) -> None:
    ocds_release_enqueue(
        call_id=call.pk, event="tender", tags=["tender"], date=call.publication_date
    )


def release_on_amendment(sender, *, call, amendment, actor, **kwargs) -> None:
    ocds_release_enqueue(
        call_id=call.pk,
        event=f"amendment-{amendment.number}",
        tags=["tenderAmendment"],
        date=amendment.created_at,
    )


def release_on_clarifications(sender, *, call, release, actor, **kwargs) -> None:
    ocds_release_enqueue(
        call_id=call.pk,
        event=f"enquiries-{release.number}",
        tags=["tenderUpdate"],
        date=release.published_at,
    )


def release_on_cancellation(sender, *, call, actor, reason, **kwargs) -> None:
    if call.status == Call.Status.CANCELLED and call.publication_date is not None:
        ocds_release_enqueue(
            call_id=call.pk, event="cancelled", tags=["tenderCancellation"], date=timezone.now()
        )


def release_on_assessment_resumed(sender, *, call, actor, reason, **kwargs) -> None:
    """A decision was revoked: the call that had ended is under assessment again."""
    now = timezone.now()
    ocds_release_enqueue(
        call_id=call.pk,
        event=f"resumed-{now:%Y%m%dT%H%M%S}",
        tags=["tenderUpdate"],
        date=now,
    )


def release_on_opening(sender, *, opening, actor, **kwargs) -> None:
    """At the deadline the number of tenderers is known."""
    ocds_release_enqueue(
        call_id=opening.phase.call_id,
        event="tenderers",
        tags=["tenderUpdate"],
        date=opening.opened_at,
        phase_id=opening.phase_id,
    )


def release_on_final_award(sender, *, decision, actor, **kwargs) -> None:
    """An award is public once it is final (after the standstill)."""
    if not decision.is_award:
        return
    proposal = decision.proposal
    ocds_release_enqueue(
        call_id=proposal.phase.call_id,
        event=f"award-{proposal.pk}",
        tags=["award"],
        date=decision.finalised_at or timezone.now(),
        phase_id=proposal.phase_id,
    )


def release_on_contract(sender, *, contract, actor, **kwargs) -> None:
    proposal = contract.proposal
    ocds_release_enqueue(
        call_id=proposal.phase.call_id,
        event=f"contract-{contract.pk}",
        tags=["contract"],
        date=contract.created_at,
        phase_id=proposal.phase_id,
    )


def release_on_milestone(sender, *, deliverable, actor, **kwargs) -> None:
    """A milestone met; its payment is booked in the same transaction (funding)."""
    proposal = deliverable.contract.proposal
    ocds_release_enqueue(
        call_id=proposal.phase.call_id,
        event=f"milestone-{deliverable.pk}",
        tags=["implementation"],
        date=deliverable.reviewed_at or timezone.now(),
        phase_id=proposal.phase_id,
    )


def release_on_partnership_go(sender, *, plan, next_plan, actor, **kwargs) -> None:
    """A partnership phase finished with a go: its payment is booked (funding)."""
    proposal = plan.contract.proposal
    ocds_release_enqueue(
        call_id=proposal.phase.call_id,
        event=f"phase-{plan.pk}",
        tags=["implementation"],
        date=timezone.now(),
        phase_id=proposal.phase_id,
    )


def release_on_partnership_purchase(sender, *, plan, actor, **kwargs) -> None:
    """The authority bought the partnership's result: a contract of its own (the builder)."""
    proposal = plan.contract.proposal
    ocds_release_enqueue(
        call_id=proposal.phase.call_id,
        event=f"purchase-{plan.pk}",
        tags=["contract"],
        date=timezone.now(),
        phase_id=proposal.phase_id,
    )


def release_on_contract_end(sender, *, contract, actor, reason, **kwargs) -> None:
    proposal = contract.proposal
    ocds_release_enqueue(
        call_id=proposal.phase.call_id,
        event=f"ended-{contract.pk}",
        tags=["contractTermination"],
        date=timezone.now(),
        phase_id=proposal.phase_id,
    )
