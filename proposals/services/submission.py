"""Writes for proposals: drafting, documents, submitting before the deadline, withdrawing.

The deadline is enforced here, on the server, in Europe/Amsterdam: the moment of the
submitting transaction counts, after the proposal row is locked, so a double click or two
colleagues submitting at once make exactly one submission.
"""

import hashlib
import json
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calls.models import Call, Phase, Question, RequiredDocument
from calls.selectors.participation import tender_invitation_problem
from calls.structures import declaration_text
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.identity.services.companies import company_submission_problem
from portal.models import Organisation, Role, User
from portal.selectors.identity import organisations_of
from portal.services.outbox import outbox_enqueue
from portal.templatetags.portal import euro
from portal.uploads import PDF_ONLY, check_upload

from ..models import Attachment, Deliverable, Proposal
from ..selectors.decisions import selection_objection_problem
from ..selectors.opening import phase_deadline

EDITABLE_FIELDS = (
    "title",
    "summary",
    "approach",
    "team",
    "planning",
    "requested_amount",
    "consortium_partners",
    "subcontracting",
    "subcontracting_share",
)
FILE_QUESTION_TYPES = ("pdf", "docx", "xlsx", "png", "jpg", "jpeg")


def _moment(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def _company_of(actor: User) -> Organisation:
    company = organisations_of(actor, role=Role.APPLICANT).first()
    if company is None:
        raise NotAllowed(_("Only people acting for a company can submit proposals."))
    return company


def _require_member(actor: User, proposal: Proposal) -> None:
    if not actor.memberships.filter(
        organisation_id=proposal.company_id, role=Role.APPLICANT
    ).exists():
        raise NotAllowed()


def phase_open_problem(phase: Phase, *, now: datetime | None = None) -> str | None:
    """Why no proposal can be submitted for this phase right now, or None if it can."""
    now = now or timezone.now()
    call = phase.call
    deadline = phase_deadline(phase)
    if call.status in (Call.Status.DRAFT, Call.Status.CANCELLED, Call.Status.COMPLETED):
        return _("This call does not accept proposals.")
    if phase.order == 1 and call.status != Call.Status.PUBLISHED and deadline and now < deadline:
        return _("This call does not accept proposals.")
    if deadline is None:
        return _("This phase has no deadline yet; proposals cannot be submitted.")
    if now >= deadline:
        return _("The deadline of %(moment)s has passed; proposals can no longer be submitted.") % {
            "moment": _moment(deadline)
        }
    return None


def funnel_problem(*, phase: Phase, company: Organisation) -> str | None:
    """A later phase is only for companies whose earlier proposal was awarded and delivered.

    SBIR: a prototype proposal needs an awarded feasibility proposal in the same call whose
    feasibility report the officer accepted.
    """
    if phase.order == 1:
        # Innovation partnership: only companies invited after stage 1 may tender.
        return tender_invitation_problem(
            call=phase.call, company=company
        ) or selection_objection_problem(phase.call)
    if (
        phase.call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP
        and not phase.call.rescore_later_phases
    ):
        return _(
            "An innovation partnership continues by a go/no-go decision against the interim "
            "targets, not by a new tender."
        )
    previous = Proposal.objects.filter(
        call_id=phase.call_id,
        phase__order=phase.order - 1,
        company=company,
        status=Proposal.Status.AWARDED,
    ).first()
    if previous is None:
        return _("Only companies whose proposal for the previous phase was awarded can apply.")
    report_accepted = Deliverable.objects.filter(
        contract__proposal=previous,
        kind=Deliverable.Kind.FEASIBILITY_REPORT,
        status=Deliverable.Status.ACCEPTED,
    ).exists()
    if phase.call.instrument == Call.Instrument.SBIR and not report_accepted:
        return _("You can apply once your feasibility report has been accepted.")
    return None


def proposal_start(*, phase: Phase, actor: User, title: str) -> Proposal:
    """A company member starts a draft for an open phase."""
    company = _company_of(actor)
    if problem := phase_open_problem(phase):
        raise DomainError(problem, code="closed")
    if problem := funnel_problem(phase=phase, company=company):
        raise NotAllowed(problem, code="funnel")
    try:
        with transaction.atomic():
            if phase.call.max_registrations:
                _require_registration_place(phase)
            return Proposal.objects.create(
                call=phase.call,
                phase=phase,
                company=company,
                created_by=actor,
                title=title.strip() or phase.call.title,
            )
    except IntegrityError as error:
        raise DomainError(
            _("Your company already has a proposal for this phase."), code="duplicate"
        ) from error


def _require_registration_place(phase: Phase) -> None:
    """A hackathon takes at most ``max_registrations`` teams: a started entry registers a
    team (a withdrawn one frees its place). The phase's row is locked while counting, so two
    teams registering for the last place at the same moment cannot both get it."""
    locked = Phase.objects.select_for_update().select_related("call").get(pk=phase.pk)
    limit = locked.call.max_registrations
    registered = (
        Proposal.objects.filter(phase=locked).exclude(status=Proposal.Status.WITHDRAWN).count()
    )
    if limit and registered >= limit:
        raise DomainError(
            ngettext(
                "This hackathon is full: its %(limit)d place has been taken.",
                "This hackathon is full: all %(limit)d places have been taken.",
                limit,
            )
            % {"limit": limit},
            code="full",
        )


def proposal_save_draft(
    *, proposal: Proposal, actor: User, fields: dict, answers: dict | None = None
) -> Proposal:
    """Store what was typed. Incomplete input is kept: completeness counts only at submit."""
    _require_member(actor, proposal)
    _check_lengths(fields, answers)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Proposal.Status.DRAFT:
            raise DomainError(_("A submitted proposal can no longer be changed."), code="frozen")
        if problem := phase_open_problem(proposal.phase):
            raise DomainError(problem, code="closed")
        for name, value in fields.items():
            if name not in EDITABLE_FIELDS:
                raise DomainError(f"Unknown field {name}")
            setattr(proposal, name, value)
        if proposal.call.is_contest and proposal.requested_amount is not None:
            raise DomainError(
                _("An entry of a prize competition or hackathon asks no amount: it wins a prize."),
                code="requested_amount",
            )
        if proposal.consortium_partners.strip() and not proposal.call.consortium_allowed:
            raise DomainError(
                _("This call does not allow consortium partners."), code="consortium_partners"
            )
        if proposal.subcontracting_share is not None and proposal.subcontracting != "yes":
            raise DomainError(
                _("A share subcontracted goes with the answer that you subcontract."),
                code="subcontracting_share",
            )
        share = proposal.subcontracting_share
        if share is not None and not Decimal("0") < share <= Decimal("100"):
            raise DomainError(
                _("The share subcontracted lies between 0 and 100 %."),
                code="subcontracting_share",
            )
        changed = [*fields, "updated_at"]
        if answers is not None:
            proposal.answers = _answers_with_snapshots(proposal, answers)
            changed.append("answers")
        proposal.save(update_fields=changed)
    return proposal


def _check_lengths(fields: dict, answers: dict | None) -> None:
    for name, limit in Proposal.TEXT_MAX_LENGTH.items():
        if len(str(fields.get(name) or "")) > limit:
            raise DomainError(
                _("%(field)s has at most %(count)s characters.")
                % {
                    "field": capfirst(Proposal._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
                    "count": limit,
                },
                code="too_long",
            )
    for value in (answers or {}).values():
        if isinstance(value, str) and len(value) > Proposal.ANSWER_MAX_LENGTH:
            raise DomainError(
                _("An answer has at most %(count)s characters.")
                % {"count": Proposal.ANSWER_MAX_LENGTH},
                code="too_long",
            )


def questions_for(phase: Phase):
    return Question.objects.filter(call_id=phase.call_id).filter(
        phase__isnull=True
    ) | Question.objects.filter(call_id=phase.call_id, phase=phase)


def _answers_with_snapshots(proposal: Proposal, answers: dict) -> list[dict]:
    """Each answer beside a copy of its question, so a later edit of the call never garbles it."""
    stored = []
    for question in questions_for(proposal.phase).order_by("order", "pk"):
        if question.kind == Question.Kind.FILE:
            continue
        value = answers.get(str(question.pk), answers.get(question.pk))
        if isinstance(value, Decimal):
            value = str(value)
        stored.append({"question": question.snapshot(), "answer": value})
    return stored


def attachment_add(
    *,
    proposal: Proposal,
    actor: User,
    upload: UploadedFile,
    required_document: RequiredDocument | None = None,
    question: Question | None = None,
) -> Attachment:
    """Check and store a document; replaces an earlier file for the same required document."""
    _require_member(actor, proposal)
    allowed = FILE_QUESTION_TYPES if question is not None else PDF_ONLY
    checked = check_upload(upload, allowed=allowed)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Proposal.Status.DRAFT:
            raise DomainError(_("A submitted proposal can no longer be changed."), code="frozen")
        if problem := phase_open_problem(proposal.phase):
            raise DomainError(problem, code="closed")
        if required_document is not None:
            if required_document.phase_id != proposal.phase_id:
                raise DomainError(_("That document is not asked for in this phase."))
            proposal.attachments.filter(required_document=required_document).delete()
        if question is not None:
            if question.call_id != proposal.call_id:
                raise DomainError(_("That question does not belong to this call."))
            proposal.attachments.filter(question=question).delete()
        return Attachment.objects.create(
            proposal=proposal,
            required_document=required_document,
            question=question,
            file=upload,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )


def proposal_missing(proposal: Proposal) -> list[str]:
    """What still keeps a draft from being submitted; empty when it is complete."""
    missing: list[str] = []
    for name in ("title", "summary", "approach", "team", "planning"):
        if not str(getattr(proposal, name) or "").strip():
            # Concrete fields of the proposal, never reverse relations (which have no label).
            label = Proposal._meta.get_field(name).verbose_name  # type: ignore[union-attr]
            missing.append(_("%(field)s is empty.") % {"field": str(label).capitalize()})
    phase = proposal.phase
    if proposal.call.is_contest:
        pass  # an entry wins a prize of the call; it asks no amount
    elif proposal.requested_amount is None:
        missing.append(_("The requested amount is empty."))
    elif proposal.requested_amount > phase.max_per_award:
        missing.append(
            _("The requested amount exceeds the maximum of %(max)s per award.")
            % {"max": euro(phase.max_per_award)}
        )
    uploaded = set(proposal.attachments.values_list("required_document_id", flat=True))
    for document in phase.required_documents.all():
        if document.pk not in uploaded:
            missing.append(_("The document “%(name)s” is missing.") % {"name": document.name})
    answered = {
        entry["question"]["id"]: entry["answer"]
        for entry in proposal.answers
        if entry.get("answer") not in (None, "")
    }
    files = set(proposal.attachments.values_list("question_id", flat=True))
    for question in questions_for(phase).filter(required=True):
        done = (
            question.pk in files if question.kind == Question.Kind.FILE else question.pk in answered
        )
        if not done:
            missing.append(_("The question “%(text)s” is not answered.") % {"text": question.text})
    return missing


def _fingerprint(proposal: Proposal) -> str:
    content: dict[str, object] = {name: str(getattr(proposal, name)) for name in EDITABLE_FIELDS}
    content["answers"] = proposal.answers
    content["attachments"] = sorted(proposal.attachments.values_list("sha256", flat=True))
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def proposal_submit(*, proposal: Proposal, actor: User, declaration_accepted: bool) -> Proposal:
    """Submit before the deadline, with the call's declaration accepted (its text and the
    moment are kept with the proposal, so a later change of the call changes nothing). A
    second click finds it submitted and changes nothing."""
    _require_member(actor, proposal)
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update()
            .select_related("phase__call", "company")
            .get(pk=proposal.pk)
        )
        if proposal.status == Proposal.Status.SUBMITTED:
            return proposal  # the double click: already in, nothing more to do
        if not declaration_accepted:
            raise DomainError(
                _(
                    "Confirm the declaration to submit: that your information is true and that "
                    "you accept the call's conditions."
                ),
                code="declaration",
            )
        if problem := company_submission_problem(proposal.company):
            raise DomainError(problem, code="unverified")
        now = timezone.now()
        if problem := phase_open_problem(proposal.phase, now=now):
            raise DomainError(problem, code="deadline")
        if missing := proposal_missing(proposal):
            raise DomainError(" ".join(missing), code="incomplete")
        states.check(proposal, Proposal.Status.SUBMITTED)
        proposal.submitted_at = now
        proposal.submission_number = (
            f"{proposal.call.reference}-{proposal.phase.order}-{proposal.pk:04d}"
        )
        proposal.content_hash = _fingerprint(proposal)
        # The declaration as the company read it, in the language it submitted in.
        language = translation.get_language() or settings.LANGUAGE_CODE
        proposal.submission_language = "en" if language.startswith("en") else "nl"
        proposal.declaration_text = declaration_text(proposal.call, proposal.submission_language)
        proposal.declared_at = now
        states.transition(
            proposal,
            Proposal.Status.SUBMITTED,
            actor=actor,
            extra_fields=[
                "submitted_at",
                "submission_number",
                "content_hash",
                "declaration_text",
                "declared_at",
                "submission_language",
                "updated_at",
            ],
        )
        from ..tasks import send_receipt

        outbox_enqueue(send_receipt, proposal.pk)
    return proposal


def proposal_withdraw(*, proposal: Proposal, actor: User) -> Proposal:
    """Withdraw a submitted proposal, only before the deadline."""
    _require_member(actor, proposal)
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update().select_related("phase__call").get(pk=proposal.pk)
        )
        if proposal.status == Proposal.Status.DRAFT:
            proposal.delete()
            return proposal
        states.check(proposal, Proposal.Status.WITHDRAWN)
        if problem := phase_open_problem(proposal.phase):
            raise DomainError(problem, code="deadline")
        proposal.withdrawn_at = timezone.now()
        states.transition(
            proposal,
            Proposal.Status.WITHDRAWN,
            actor=actor,
            extra_fields=["withdrawn_at", "updated_at"],
        )
    return proposal
