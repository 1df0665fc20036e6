"""Innovation partnership, stage 1: requests to participate, selection and invitations.

The procedure has two stages. Until the call's deadline for requests to participate,
companies ask to take part with a self-declaration against the call's published exclusion
grounds and selection criteria, and a PDF. After that deadline the authority assesses each
request per criterion, decides on every exclusion ground answered "yes", selects, rejects
or excludes with a motivation, then sends the invitations to tender (at least the call's
minimum unless fewer qualify, with the reason); only invited companies may tender.
"""

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
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

from ..models import Call, CriterionAnswer, ExclusionAnswer, ParticipationRequest
from ..selectors.participation import is_partnership, participation_open_problem
from ..selectors.selection import qualifying_requests
from ..signals import selection_decided
from .selection import CriterionAssessment, GroundAnswer, GroundDecision

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


def _declaration_problem(
    call: Call,
    exclusions: Mapping[int, GroundAnswer],
    criteria: Mapping[int, str],
) -> DomainError | None:
    """Every exclusion ground answered (a "yes" explained), every criterion with figures."""
    grounds = list(call.exclusion_grounds.all())
    if missing := [ground for ground in grounds if ground.pk not in exclusions]:
        return DomainError(
            _("Answer every exclusion ground (%(ground)s is not answered).")
            % {"ground": missing[0].display_name},
            code="exclusions",
        )
    for ground in grounds:
        answer = exclusions[ground.pk]
        if answer.applies and not answer.explanation.strip():
            return DomainError(
                _("Explain your “yes” on %(ground)s, with any self-cleaning measures.")
                % {"ground": ground.display_name},
                code="exclusions",
            )
    for criterion in call.selection_criteria.all():
        if not criteria.get(criterion.pk, "").strip():
            return DomainError(
                _("Give the requested figures or references for every selection criterion."),
                code="criteria",
            )
    if set(exclusions) - {ground.pk for ground in grounds} or set(criteria) - set(
        call.selection_criteria.values_list("pk", flat=True)
    ):
        return DomainError(_("Answer only the grounds and criteria of this call."), code="invalid")
    return None


def participation_request_submit(
    *,
    call: Call,
    actor: User,
    document: UploadedFile,
    motivation: str = "",
    exclusions: Mapping[int, GroundAnswer] | None = None,
    criteria: Mapping[int, str] | None = None,
) -> ParticipationRequest:
    """A company asks to be invited to tender with its self-declaration (UEA-like: every
    exclusion ground yes/no, the figures and references per selection criterion) and a PDF;
    one live request per company per call."""
    company = _company_of(actor)
    exclusions, criteria = exclusions or {}, criteria or {}
    if problem := company_submission_problem(company):
        raise DomainError(problem, code="unverified")
    structured = call.selection_criteria.exists() or call.exclusion_grounds.exists()
    if not structured and not motivation.strip():
        raise DomainError(_("Describe your experience and capacity."), code="motivation")
    if refusal := _declaration_problem(call, exclusions, criteria):
        raise refusal
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
            participation = ParticipationRequest.objects.create(
                call=call,
                company=company,
                submitted_by=actor,
                motivation=motivation.strip(),
                document=document,
            )
            ExclusionAnswer.objects.bulk_create(
                ExclusionAnswer(
                    request=participation,
                    ground_id=ground_id,
                    applies=answer.applies,
                    explanation=answer.explanation.strip() if answer.applies else "",
                    self_cleaning=answer.self_cleaning.strip() if answer.applies else "",
                )
                for ground_id, answer in exclusions.items()
            )
            CriterionAnswer.objects.bulk_create(
                CriterionAnswer(
                    request=participation, criterion_id=criterion_id, response=text.strip()
                )
                for criterion_id, text in criteria.items()
            )
            return participation
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


def _assess(
    request: ParticipationRequest,
    actor: User,
    now: datetime,
    exclusions: Mapping[int, GroundDecision],
    criteria: Mapping[int, CriterionAssessment],
) -> tuple[bool, bool]:
    """Store the officer's decisions on the grounds answered "yes" and the assessment per
    criterion; returns (excluded, meets every criterion). Every "yes" needs a decision and
    every criterion an assessment, each with its reason."""
    answers = {answer.ground_id: answer for answer in request.exclusion_answers.all()}
    if set(exclusions) - {pk for pk, answer in answers.items() if answer.applies}:
        raise DomainError(
            _("Decide only on the exclusion grounds the candidate answered “yes”."),
            code="exclusions",
        )
    for ground_id, decision in exclusions.items():
        if not decision.reason.strip():
            raise DomainError(
                _("Give the reason of your decision on every exclusion ground."),
                code="exclusions",
            )
        answer = answers[ground_id]
        answer.decision = (
            ExclusionAnswer.Decision.EXCLUDE
            if decision.exclude
            else ExclusionAnswer.Decision.ACCEPT
        )
        answer.decision_reason = decision.reason.strip()
        answer.decided_by = actor
        answer.decided_at = now
        answer.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    if any(answer.applies and not answer.decision for answer in answers.values()):
        raise DomainError(
            _(
                "The candidate answered “yes” on an exclusion ground: decide whether to "
                "exclude it, with the reason."
            ),
            code="exclusions",
        )
    assessed = {answer.criterion_id: answer for answer in request.criterion_answers.all()}
    if set(criteria) - set(assessed):
        raise DomainError(_("Assess only the criteria of this call."), code="criteria")
    for criterion_id, assessment in criteria.items():
        if not assessment.reason.strip():
            raise DomainError(
                _("Give the reason of your assessment on every selection criterion."),
                code="criteria",
            )
        criterion_answer = assessed[criterion_id]
        criterion_answer.meets = assessment.meets
        criterion_answer.reason = assessment.reason.strip()
        criterion_answer.assessed_by = actor
        criterion_answer.assessed_at = now
        criterion_answer.save(update_fields=["meets", "reason", "assessed_by", "assessed_at"])
    if any(answer.meets is None for answer in assessed.values()):
        raise DomainError(
            _("Assess every selection criterion: meets the minimum level or not, and why."),
            code="criteria",
        )
    excluded = any(answer.excludes for answer in answers.values())
    return excluded, all(answer.meets for answer in assessed.values())


def participation_request_decide(
    *,
    request: ParticipationRequest,
    actor: User,
    selected: bool,
    motivation: str,
    exclusions: Mapping[int, GroundDecision] | None = None,
    criteria: Mapping[int, CriterionAssessment] | None = None,
) -> ParticipationRequest:
    """Assess a request and decide on it, with a motivation the company will read.

    Every exclusion ground the candidate answered "yes" needs the officer's decision, every
    selection criterion an assessment, each with its reason (given now or earlier). A
    candidate excluded on a ground is excluded; one that misses a minimum level cannot be
    selected.
    """
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
        if request.status == Status.WITHDRAWN:
            raise DomainError(_("The company withdrew this request."), code="state")
        excluded, qualifies = _assess(request, actor, now, exclusions or {}, criteria or {})
        if excluded:
            to_state = Status.EXCLUDED
        elif selected and not qualifies:
            raise DomainError(
                _("A candidate that does not meet every minimum level cannot be selected."),
                code="decision",
            )
        else:
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


def participation_invitations_send(*, call: Call, actor: User, fewer_reason: str = "") -> int:
    """Invite every selected company to tender and tell the others; returns the invited.

    At least the call's minimum (three by default) are invited, unless fewer candidates
    qualify (not excluded, every minimum level met): then every qualifying candidate is
    invited and the reason is recorded (art. 65(2) of Directive 2014/24; art. 2.99 Aw).
    """
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
        fewer_reason = fewer_reason.strip()
        if counts["selected"] < call.min_invitations:
            qualifying = qualifying_requests(call).count()
            if qualifying > counts["selected"]:
                raise DomainError(
                    ngettext(
                        "Invite at least %(minimum)d candidates: %(qualifying)d qualifies and "
                        "only %(selected)d is selected.",
                        "Invite at least %(minimum)d candidates: %(qualifying)d qualify and "
                        "only %(selected)d are selected.",
                        qualifying,
                    )
                    % {
                        "minimum": call.min_invitations,
                        "qualifying": qualifying,
                        "selected": counts["selected"],
                    },
                    code="minimum",
                )
            if not fewer_reason:
                raise DomainError(
                    _(
                        "Fewer candidates than the minimum of %(minimum)d qualify: record the "
                        "reason for inviting only %(selected)d."
                    )
                    % {"minimum": call.min_invitations, "selected": counts["selected"]},
                    code="fewer_reason",
                )
        else:
            fewer_reason = ""
        if call.deadline <= now:
            raise DomainError(
                _("The deadline for tenders has passed; amend the call to extend it first."),
                code="deadline",
            )
        standstill_ends_on = selection_standstill_end(call, now)
        if standstill_ends_on is not None and timezone.localdate(call.deadline) <= (
            standstill_ends_on
        ):
            raise DomainError(
                _(
                    "The deadline for tenders falls within the standstill period of the "
                    "selection (until and including %(date)s); amend the call to extend it first."
                )
                % {"date": date_format(standstill_ends_on)},
                code="deadline",
            )
        call.participation_requests.filter(status=Status.SELECTED).update(invited_at=now)
        call.invitations_sent_at = now
        call.fewer_invitations_reason = fewer_reason
        call.selection_standstill_ends_on = standstill_ends_on
        call.save(
            update_fields=[
                "invitations_sent_at",
                "fewer_invitations_reason",
                "selection_standstill_ends_on",
                "updated_at",
            ]
        )
        decided = list(
            call.participation_requests.filter(
                status__in=[Status.SELECTED, Status.REJECTED, Status.EXCLUDED]
            ).select_related("company")
        )
        answers = selection_decided.send(
            sender=Call,
            call=call,
            actor=actor,
            invited=[request for request in decided if request.status == Status.SELECTED],
            not_invited=[request for request in decided if request.status != Status.SELECTED],
        )
        if not any(handled for _receiver, handled in answers):
            # No app sends letters: the plain e-mail with the decision and its motivation.
            from ..tasks import send_participation_decisions

            outbox_enqueue(send_participation_decisions, call.pk)
    return counts["selected"]


def selection_standstill_end(call: Call, now: datetime) -> date | None:
    """The last day of the standstill after the selection: the call's standstill period
    (at least 20 days for a partnership) from the day the decisions go out, when a candidate
    was not selected or was excluded; None when every candidate was selected (nobody to
    object, the tender stage opens at once)."""
    if not call.participation_requests.filter(
        status__in=[Status.REJECTED, Status.EXCLUDED]
    ).exists():
        return None
    return _selection_standstill_end_from(call, timezone.localdate(now))


def _selection_standstill_end_from(call: Call, sent_on: date) -> date:
    return sent_on + timedelta(days=call.standstill_days)


def selection_standstill_from_sending(
    *, call_id: int, decided_at: datetime, sent_on: date
) -> date | None:
    """The standstill runs from the day the letter is sent (Aw 2012 art. 2.127): a selection
    letter that leaves after the day of the selection moves the selection's end so that the
    full period follows the letter's own date; it never shortens it, so the selection ends
    after the last letter's period (an invitation, which states when tenders open, counts
    too). Returns the end of a candidate's period from this letter (None when the selection
    has no standstill, or is no longer the one the letter is on).

    Locks the call, as the selection's services do; call inside the transaction that dates
    the letter. Writes only ``selection_standstill_ends_on`` (the audit trail records it)."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call_id)
        if call.selection_standstill_ends_on is None or call.invitations_sent_at != decided_at:
            return None
        ends_on = _selection_standstill_end_from(call, sent_on)
        if call.selection_standstill_ends_on < ends_on:
            call.selection_standstill_ends_on = ends_on
            call.save(update_fields=["selection_standstill_ends_on", "updated_at"])
    return ends_on


def selection_reopen(*, call: Call, actor: User) -> Call:
    """An objection to the selection was upheld (the objection's answer is the reason): the
    selection is no longer final. The invitations are taken back; the officer decides again
    and sends the decisions again, with new letters and a new standstill."""
    _require_manager(actor, call)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.invitations_sent_at is None:
            raise DomainError(_("The selection is not final yet."), code="state")
        call.participation_requests.filter(invited_at__isnull=False).update(invited_at=None)
        call.invitations_sent_at = None
        call.selection_standstill_ends_on = None
        call.save(
            update_fields=["invitations_sent_at", "selection_standstill_ends_on", "updated_at"]
        )
    return call
