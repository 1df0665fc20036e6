"""Reads of the sealed opening: when a phase's proposals open, and its opening record."""

from datetime import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from calls.models import Phase

from ..models import Opening, OpeningEntry, Proposal


def phase_deadline(phase: Phase) -> datetime | None:
    """When proposals for this phase must be in: its own deadline, else the call's."""
    return phase.deadline or (phase.call.deadline if phase.order == 1 else None)


def deadline_of_phase(
    order: int, own: datetime | None, call_deadline: datetime | None
) -> datetime | None:
    """``phase_deadline`` from plain values: the phase's own deadline, else (for the first
    phase only) the call's."""
    return own or (call_deadline if order == 1 else None)


def phase_is_opened(phase: Phase, *, now: datetime | None = None) -> bool:
    """Whether the phase's proposals may be read by anyone besides their own company."""
    deadline = phase_deadline(phase)
    return deadline is not None and deadline <= (now or timezone.now())


def received_counts(**filters) -> dict[int, int]:
    """{phase_id: proposals received (submitted, not withdrawn)}: what an officer may know of
    a sealed phase."""
    rows = (
        Proposal.objects.filter(**filters)
        .exclude(status__in=(Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN))
        .values_list("phase_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def opening_of(phase: Phase) -> Opening | None:
    return Opening.objects.filter(phase=phase).select_related("opened_by").first()


def opening_entries(opening: Opening) -> QuerySet[OpeningEntry]:
    return opening.entries.order_by("submitted_at", "pk")


def phases_due_for_opening(now: datetime | None = None) -> QuerySet[Phase]:
    """Phases whose deadline has passed and that have no opening record yet."""
    from ..models import opened_q

    return (
        Phase.objects.filter(opened_q("", now), opening__isnull=True)
        .exclude(call__status="draft")
        .select_related("call")
    )
