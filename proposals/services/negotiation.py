"""Innovation partnership: negotiating the initial and later tenders, then the final tenders.

After the initial tenders are opened the officer opens rounds. A round is one text of points
and questions with one deadline, sent to every tenderer of the phase at the same moment
(equal treatment: there is no way to address one tenderer alone). Tenderers submit revised
tenders as new versions; every version is kept and sealed until the round's deadline, when
the round is opened once (``round_open``, like ``phase_open`` for the initial tenders). The
last round asks for the final tenders (BAFO): no negotiation follows it, and the committee
assesses the tenders as for any phase. The minimum requirements and the award criteria are
never negotiated: they are frozen from publication (``calls.services.lifecycle``) and a
revised tender holds no field that could change them.
"""

import hashlib
import json
from datetime import datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Call, Phase
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue
from portal.templatetags.portal import euro
from portal.uploads import PDF_ONLY, check_upload

from ..models import NegotiationRound, Proposal, TenderVersion
from ..selectors.opening import phase_is_opened
from .opening import phase_open_if_due

POINTS_MAX_LENGTH = 10000
CHANGES_MAX_LENGTH = 10000


def _require_partnership(phase: Phase) -> None:
    if phase.call.instrument != Call.Instrument.INNOVATION_PARTNERSHIP:
        raise DomainError(
            _("Only an innovation partnership negotiates its tenders."), code="instrument"
        )


def negotiation_problem(phase: Phase) -> str | None:
    """Why no round can be opened for this phase now, or None."""
    if phase.call.instrument != Call.Instrument.INNOVATION_PARTNERSHIP:
        return _("Only an innovation partnership negotiates its tenders.")
    if not phase_is_opened(phase):
        return _("Negotiations start once the initial tenders have been opened.")
    rounds = list(NegotiationRound.objects.filter(phase=phase))
    if any(r.is_final for r in rounds):
        return _("The final tenders have been asked for: negotiations are closed.")
    if any(r.is_open for r in rounds):
        return _("The current round must end before the next one starts.")
    if (
        Proposal.objects.filter(phase=phase)
        .exclude(
            status__in=(Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN, Proposal.Status.SUBMITTED)
        )
        .exists()
    ):
        return _("The committee's assessment has started: negotiations are closed.")
    return None


def round_start(
    *,
    phase: Phase,
    actor: User,
    points: str,
    deadline: datetime,
    final: bool = False,
    now: datetime | None = None,
) -> NegotiationRound:
    """Send one round's points to every tenderer at once; ``final`` asks for the final tenders."""
    now = now or timezone.now()
    if not can(actor, "calls.manage_call", phase.call):
        raise NotAllowed()
    _require_partnership(phase)
    points = points.strip()
    if not points:
        raise DomainError(_("Write the points and questions of the round."), code="points")
    if len(points) > POINTS_MAX_LENGTH:
        raise DomainError(_("At most %(n)d characters.") % {"n": POINTS_MAX_LENGTH}, code="points")
    if deadline <= now:
        raise DomainError(_("The deadline of the round must lie in the future."), code="deadline")
    phase_open_if_due(phase=phase, actor=actor)
    with transaction.atomic():
        phase = Phase.objects.select_for_update().select_related("call").get(pk=phase.pk)
        if problem := negotiation_problem(phase):
            raise DomainError(problem, code="closed")
        tenderers = list(Proposal.objects.filter(phase=phase, status=Proposal.Status.SUBMITTED))
        if not tenderers:
            raise DomainError(_("There are no tenderers to negotiate with."), code="tenderers")
        number = (
            NegotiationRound.objects.filter(phase=phase).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        round_ = NegotiationRound.objects.create(
            phase=phase,
            number=number,
            kind=NegotiationRound.Kind.FINAL if final else NegotiationRound.Kind.NEGOTIATION,
            points=points,
            deadline=deadline,
            sent_at=now,
            sent_by=actor,
        )
        round_.recipients.set(tenderers)
        from ..tasks import send_negotiation_round

        for proposal in tenderers:
            outbox_enqueue(send_negotiation_round, round_.pk, proposal.pk)
    return round_


def _fingerprint(*, changes: str, price: Decimal, document_sha256: str) -> str:
    data = json.dumps(
        {"changes": changes, "price": str(price), "document": document_sha256}, sort_keys=True
    )
    return hashlib.sha256(data.encode()).hexdigest()


def tender_revise(
    *,
    round: NegotiationRound,
    proposal: Proposal,
    actor: User,
    changes: str,
    price: Decimal,
    upload: UploadedFile | None = None,
) -> TenderVersion:
    """A tenderer submits a revised (or final) tender in an open round: a new version."""
    if not can(actor, "proposals.revise_tender", proposal):
        raise NotAllowed()
    changes = changes.strip()
    if not changes:
        raise DomainError(_("Say what the revised tender changes."), code="changes")
    if len(changes) > CHANGES_MAX_LENGTH:
        raise DomainError(
            _("At most %(n)d characters.") % {"n": CHANGES_MAX_LENGTH}, code="changes"
        )
    if price is None or price <= 0:
        raise DomainError(_("The price must be more than zero."), code="price")
    document_sha = ""
    if upload is not None:
        document_sha = check_upload(upload, allowed=PDF_ONLY).sha256
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        round_ = NegotiationRound.objects.get(pk=round.pk)
        if not round_.recipients.filter(pk=proposal.pk).exists():
            raise NotAllowed(_("This round was not sent to this tender."))
        if not round_.accepts_tenders:
            raise DomainError(
                _("The deadline of the round has passed; revised tenders are no longer accepted."),
                code="deadline",
            )
        if proposal.phase.max_per_award and price > proposal.phase.max_per_award:
            raise DomainError(
                _("The price exceeds the maximum of %(max)s.")
                % {"max": euro(proposal.phase.max_per_award)},
                code="price",
            )
        number = (
            TenderVersion.objects.filter(round=round_, proposal=proposal).aggregate(
                n=Max("number")
            )["n"]
            or 0
        ) + 1
        version = TenderVersion(
            round=round_,
            proposal=proposal,
            number=number,
            changes=changes,
            price=price,
            content_hash=_fingerprint(changes=changes, price=price, document_sha256=document_sha),
            submitted_at=timezone.now(),
            submitted_by=actor,
        )
        if upload is not None:
            version.document = upload
            version.document_name = upload.name or "tender.pdf"
        version.save()
    return version


def round_open(
    *,
    round: NegotiationRound,
    actor: User | None = None,
    now: datetime | None = None,
) -> NegotiationRound:
    """At the round's deadline its revised tenders are opened, once; before it, never."""
    now = now or timezone.now()
    with transaction.atomic():
        round_ = NegotiationRound.objects.select_for_update().get(pk=round.pk)
        if round_.is_opened:
            return round_
        if now < round_.deadline:
            raise DomainError(
                _("The revised tenders open at the round's deadline, not before."), code="sealed"
            )
        round_.opened_at = now
        round_.received = (
            TenderVersion.objects.filter(round=round_).values("proposal").distinct().count()
        )
        states.transition(
            round_,
            NegotiationRound.Status.OPENED,
            actor=actor,
            extra_fields=["opened_at", "received"],
        )
    return round_


def round_open_if_due(*, round: NegotiationRound, actor: User | None = None) -> bool:
    """Open the round if its deadline has passed; whether it is open to the authority."""
    if round.is_opened:
        return True
    if timezone.now() < round.deadline:
        return False
    round_open(round=round, actor=actor)
    round.refresh_from_db()
    return True


def rounds_open_due(*, now: datetime | None = None) -> int:
    """Open every round whose deadline has passed (the beat task); returns how many."""
    now = now or timezone.now()
    due = NegotiationRound.objects.filter(
        status=NegotiationRound.Status.OPEN, deadline__lte=now
    ).order_by("pk")
    opened = 0
    for round_ in due:
        round_open(round=round_, now=now)
        opened += 1
    return opened


def negotiation_blocks_assessment(phase: Phase) -> str | None:
    """After negotiating, the committee assesses the final tenders once they are opened."""
    rounds = list(NegotiationRound.objects.filter(phase=phase))
    if not rounds:
        return None
    final = next((r for r in rounds if r.is_final), None)
    if final is None:
        return _("Ask for the final tenders before the committee assesses them.")
    if not final.is_opened and timezone.now() < final.deadline:
        return _("The committee assesses the final tenders after their deadline.")
    if not final.is_opened:
        round_open(round=final)
    return None
