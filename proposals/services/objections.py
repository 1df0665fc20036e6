"""Objections to an intended decision, lodged by the company during the standstill.

An open objection holds up every intended decision of its phase (no contract is made). The
officer answers: *dismissed* (the decisions stand; they become final once the standstill
has passed), *upheld* (the phase's intended decisions are withdrawn, with the reason, and
its proposals await a new decision), or the company *withdraws* it. Every step is audited,
sends a signal and e-mails the company (and the call's contact on lodging) via the outbox.
"""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Phase
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue
from portal.uploads import PDF_ONLY, CheckedFile, check_upload

from ..models import Decision, Objection, ObjectionDocument
from ..signals import objection_answered, objection_lodged
from .decisions import phase_decisions_withdraw

MAX_DOCUMENTS = 5


def _objection_number(decision: Decision) -> str:
    """BZW-<call>-<decision>-<n>: unique, since the caller holds the decision's lock."""
    count = decision.objections.count() + 1
    return f"BZW-{decision.proposal.call.reference}-{decision.pk:05d}-{count}"


def objection_lodge(
    *,
    decision: Decision,
    actor: User,
    text: str,
    uploads: Sequence[UploadedFile] = (),
) -> Objection:
    """The company objects to the intended decision on its own proposal, within the period."""
    if not can(actor, "proposals.lodge_objection", decision):
        raise NotAllowed()
    text = text.strip()
    if not text:
        raise DomainError(_("Write down your objection."), code="text")
    if len(text) > Objection.TEXT_MAX_LENGTH:
        raise DomainError(
            _("The objection may hold at most %(max)d characters.")
            % {"max": Objection.TEXT_MAX_LENGTH},
            code="too_long",
        )
    if len(uploads) > MAX_DOCUMENTS:
        raise DomainError(
            _("Add at most %(max)d documents.") % {"max": MAX_DOCUMENTS}, code="documents"
        )
    # Check and scan every file before anything is written: a refusal loses nothing else.
    checked: list[tuple[UploadedFile, CheckedFile]] = [
        (upload, check_upload(upload, allowed=PDF_ONLY)) for upload in uploads
    ]
    with transaction.atomic():
        Phase.objects.select_for_update().get(pk=decision.phase_id)
        decision = (
            Decision.objects.select_for_update()
            .select_related("proposal__call")
            .get(pk=decision.pk)
        )
        if not decision.open_to_objection:
            raise DomainError(
                _(
                    "The objection period of six weeks has ended; an objection can no longer "
                    "be lodged."
                )
                if decision.under_awb
                else _("The standstill period has ended; an objection can no longer be lodged."),
                code="period_ended",
            )
        if decision.objections.filter(status=Objection.Status.OPEN).exists():
            raise DomainError(
                _("An objection to this decision is already open."), code="already_open"
            )
        objection = Objection.objects.create(
            decision=decision,
            number=_objection_number(decision),
            text=text,
            lodged_by=actor,
        )
        for upload, facts in checked:
            ObjectionDocument.objects.create(
                objection=objection,
                file=upload,
                original_name=facts.name,
                content_type=facts.content_type,
                size=facts.size,
                sha256=facts.sha256,
            )
        objection_lodged.send(sender=Objection, objection=objection, actor=actor)
        _tell_on_commit(objection)
    return objection


def objection_dismiss(*, objection: Objection, actor: User, answer: str) -> Objection:
    """The decision stands; it becomes final once its standstill has passed."""
    return _answer(objection, actor, answer, Objection.Status.DISMISSED)


def objection_uphold(*, objection: Objection, actor: User, answer: str) -> Objection:
    """The objection is right: the phase's intended decisions are withdrawn, with the answer
    as the reason, and its proposals await a new decision.

    A prize decision under the Awb is final already: upholding the objection (the decision
    on the objection, art. 7:11 Awb) is recorded and told to the company; revoking or
    changing the prize is then a new decision of the officer, outside this service."""
    return _answer(objection, actor, answer, Objection.Status.UPHELD)


def objection_withdraw(*, objection: Objection, actor: User) -> Objection:
    """The company takes its objection back."""
    if not can(actor, "proposals.withdraw_objection", objection):
        raise NotAllowed()
    with transaction.atomic():
        objection = _locked(objection)
        states.check(objection, Objection.Status.WITHDRAWN)
        objection.answered_by = actor
        objection.answered_at = timezone.now()
        states.transition(
            objection,
            Objection.Status.WITHDRAWN,
            actor=actor,
            extra_fields=["answered_by", "answered_at"],
        )
        objection_answered.send(sender=Objection, objection=objection, actor=actor)
        _tell_on_commit(objection)
    return objection


def _locked(objection: Objection) -> Objection:
    decision = Decision.objects.only("phase_id").get(pk=objection.decision_id)
    Phase.objects.select_for_update().get(pk=decision.phase_id)
    return (
        Objection.objects.select_for_update()
        .select_related("decision__proposal__call")
        .get(pk=objection.pk)
    )


def _answer(objection: Objection, actor: User, answer: str, to_state: str) -> Objection:
    if not can(actor, "proposals.answer_objection", objection):
        raise NotAllowed()
    answer = answer.strip()
    if not answer:
        raise DomainError(_("Give the reasons for the answer."), code="answer")
    with transaction.atomic():
        objection = _locked(objection)
        states.check(objection, to_state)
        objection.answer = answer
        objection.answered_by = actor
        objection.answered_at = timezone.now()
        states.transition(
            objection,
            to_state,
            actor=actor,
            extra_fields=["answer", "answered_by", "answered_at"],
        )
        if to_state == Objection.Status.UPHELD:
            phase = Phase.objects.get(pk=objection.decision.phase_id)
            reason = _("Objection %(number)s was upheld: %(answer)s") % {
                "number": objection.number,
                "answer": answer,
            }
            phase_decisions_withdraw(phase=phase, actor=actor, reason=reason)
        objection_answered.send(sender=Objection, objection=objection, actor=actor)
        _tell_on_commit(objection)
    return objection


def _tell_on_commit(objection: Objection) -> None:
    from ..tasks import send_objection_update

    outbox_enqueue(send_objection_update, objection.pk)
