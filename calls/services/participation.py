"""Innovation partnership, stage 1: requests to participate, selection and invitations.

The procedure has two stages. Until the call's deadline for requests to participate,
companies ask to take part (suitability: experience and capacity, with a PDF). After that
deadline the authority selects or rejects each request with a motivation, then sends the
invitations to tender; only invited companies may submit a tender for the first phase.
"""

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.identity.services.companies import company_submission_problem
from portal.models import Membership, Organisation, Role, User
from portal.permissions import can
from portal.selectors.identity import organisations_of
from portal.services.outbox import outbox_enqueue
from portal.uploads import PDF_ONLY, check_upload

from ..models import Call, ParticipationRequest
from ..selectors.participation import is_partnership, participation_open_problem

Status = ParticipationRequest.Status


def _company_of(actor: User) -> Organisation:
    company = None
    if actor.is_authenticated:
        company = organisations_of(actor, role=Role.APPLICANT).first()
    if company is None:
        raise NotAllowed(_("Only people acting for a company can ask to participate."))
    return company


def _require_member(actor: User, request: ParticipationRequest) -> None:
    if not Membership.objects.filter(
        user=actor, organisation_id=request.company_id, role=Role.APPLICANT
    ).exists():
        raise NotAllowed()


def _require_manager(actor: User, call: Call) -> None:
    if not can(actor, "calls.manage_call", call):
        raise NotAllowed()


def participation_request_submit(
    *, call: Call, actor: User, motivation: str, document: UploadedFile
) -> ParticipationRequest:
    """A company asks to be invited to tender; one live request per company per call."""
    company = _company_of(actor)
    if problem := company_submission_problem(company):
        raise DomainError(problem, code="unverified")
    if not motivation.strip():
        raise DomainError(_("Describe your experience and capacity."), code="motivation")
    check_upload(document, allowed=PDF_ONLY)
    try:
        with transaction.atomic():
            call = Call.objects.select_for_update().get(pk=call.pk)
            if problem := participation_open_problem(call):
                raise DomainError(problem, code="closed")
            live = call.participation_requests.filter(company=company).exclude(
                status=Status.WITHDRAWN
            )
            if live.exists():
                raise DomainError(
                    _("Your company has already asked to participate in this call."),
                    code="duplicate",
                )
            return ParticipationRequest.objects.create(
                call=call,
                company=company,
                submitted_by=actor,
                motivation=motivation.strip(),
                document=document,
            )
    except IntegrityError as error:  # a colleague's request won the race
        raise DomainError(
            _("Your company has already asked to participate in this call."), code="duplicate"
        ) from error


def participation_request_withdraw(
    *, request: ParticipationRequest, actor: User
) -> ParticipationRequest:
    """The company takes its request back, before the deadline for requests."""
    _require_member(actor, request)
    with transaction.atomic():
        request = ParticipationRequest.objects.select_for_update().get(pk=request.pk)
        call = Call.objects.get(pk=request.call_id)
        if problem := participation_open_problem(call):
            raise DomainError(problem, code="closed")
        request.withdrawn_at = timezone.now()
        states.transition(request, Status.WITHDRAWN, actor=actor, extra_fields=["withdrawn_at"])
    return request


def _review_problem(call: Call, now: datetime) -> str | None:
    if not is_partnership(call) or call.participation_deadline is None:
        return _("Only an innovation partnership takes requests to participate.")
    if now < call.participation_deadline:
        return _("Requests to participate can be reviewed once their deadline has passed.")
    if call.status == Call.Status.CANCELLED:
        return _("The call is cancelled.")
    if call.invitations_sent_at is not None:
        return _("The invitations to tender have been sent; the selection is final.")
    return None


def participation_request_decide(
    *, request: ParticipationRequest, actor: User, selected: bool, motivation: str
) -> ParticipationRequest:
    """Select or reject a request on suitability, with a motivation the company will read."""
    call = Call.objects.get(pk=request.call_id)
    _require_manager(actor, call)
    if not motivation.strip():
        raise DomainError(_("Give the motivation of your decision."), code="motivation")
    now = timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if problem := _review_problem(call, now):
            raise DomainError(problem, code="state")
        request = ParticipationRequest.objects.select_for_update().get(pk=request.pk)
        to_state = Status.SELECTED if selected else Status.REJECTED
        request.decision_motivation = motivation.strip()
        request.decided_by = actor
        request.decided_at = now
        decision = ["decision_motivation", "decided_by", "decided_at"]
        if request.status != to_state:
            states.transition(request, to_state, actor=actor, extra_fields=decision)
        else:  # the same decision again, with a new motivation
            request.save(update_fields=decision)
    return request


def participation_invitations_send(*, call: Call, actor: User) -> int:
    """Invite every selected company to tender and tell the others; returns the invited."""
    _require_manager(actor, call)
    now = timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if problem := _review_problem(call, now):
            raise DomainError(problem, code="state")
        counts = call.participation_requests.aggregate(
            undecided=Count("pk", filter=Q(status=Status.SUBMITTED)),
            selected=Count("pk", filter=Q(status=Status.SELECTED)),
        )
        if counts["undecided"]:
            raise DomainError(
                ngettext(
                    "Decide on every request to participate first (%(count)d request left).",
                    "Decide on every request to participate first (%(count)d requests left).",
                    counts["undecided"],
                )
                % {"count": counts["undecided"]},
                code="undecided",
            )
        if not counts["selected"]:
            raise DomainError(_("Select at least one company to invite."), code="none_selected")
        if call.deadline <= now:
            raise DomainError(
                _("The deadline for tenders has passed; amend the call to extend it first."),
                code="deadline",
            )
        call.participation_requests.filter(status=Status.SELECTED).update(invited_at=now)
        call.invitations_sent_at = now
        call.save(update_fields=["invitations_sent_at", "updated_at"])
        from ..tasks import send_participation_decisions

        outbox_enqueue(send_participation_decisions, call.pk)
    return counts["selected"]
