"""The opening of a phase's proposals at its deadline (proces-verbaal van opening).

``phase_open`` writes the opening record once: Celery beat runs ``proposals.open_due_phases``
every minute, and the first officer or committee member to look after the deadline opens the
phase on the spot if beat has not yet. Both lock the phase row, so the record is written once.
The fingerprints in the record are the ones computed at submission (``Proposal.content_hash``
over the answers and the documents' SHA-256), so the record shows nothing changed since.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Phase
from portal.exceptions import DomainError
from portal.models import User

from ..models import Opening, OpeningEntry, Proposal
from ..selectors.opening import phase_deadline, phases_due_for_opening
from ..signals import phase_opened


def phase_open(*, phase: Phase, actor: User | None = None, now: datetime | None = None) -> Opening:
    """Record the opening of the phase's proposals; the existing record if already opened.

    ``actor`` is the person whose visit opened it, or None for the portal's scheduled task.
    """
    now = now or timezone.now()
    with transaction.atomic():
        phase = Phase.objects.select_for_update().select_related("call").get(pk=phase.pk)
        existing = Opening.objects.filter(phase=phase).first()
        if existing is not None:
            return existing
        deadline = phase_deadline(phase)
        if deadline is None or now < deadline:
            raise DomainError(_("The proposals open at the deadline, not before."), code="sealed")
        proposals = list(
            Proposal.objects.filter(phase=phase)
            .exclude(status__in=(Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN))
            .select_related("company")
            .order_by("submitted_at", "pk")
        )
        # A proposal can only be withdrawn before the deadline.
        withdrawn = Proposal.objects.filter(phase=phase, status=Proposal.Status.WITHDRAWN).count()
        opening = Opening.objects.create(
            phase=phase,
            deadline=deadline,
            opened_at=now,
            method=Opening.Method.SCHEDULED if actor is None else Opening.Method.ON_DEMAND,
            opened_by=actor,
            received=len(proposals),
            withdrawn=withdrawn,
        )
        for proposal in proposals:  # one by one: each line goes into the audit trail
            OpeningEntry.objects.create(
                opening=opening,
                proposal=proposal,
                submission_number=proposal.submission_number,
                submitted_at=proposal.submitted_at,  # type: ignore[misc]  # received: has a time
                content_hash=proposal.content_hash,
                company=proposal.company,
                company_name=proposal.company.name,
            )
        phase_opened.send(sender=Opening, opening=opening, actor=actor)
    return opening


def phase_open_if_due(*, phase: Phase, actor: User | None = None) -> Opening | None:
    """The phase's opening record, writing it if the deadline has passed; None while sealed."""
    existing = Opening.objects.filter(phase=phase).first()
    if existing is not None:
        return existing
    deadline = phase_deadline(phase)
    if deadline is None or timezone.now() < deadline:
        return None
    return phase_open(phase=phase, actor=actor)


def phases_open_due(*, now: datetime | None = None) -> int:
    """Open every phase whose deadline has passed (the beat task); returns how many."""
    opened = 0
    for phase in phases_due_for_opening(now):
        phase_open(phase=phase, now=now)
        opened += 1
    return opened
