"""Objections to an intended decision, lodged by the company during the standstill.

An open objection holds up every intended decision of its phase (no contract is made). The
officer answers: *dismissed* (the decisions stand; they become final once the standstill
has passed), *upheld* (the phase's intended decisions are withdrawn, with the reason), or the
company *withdraws* it. On upholding the officer chooses what follows: a new decision by the
officer (the proposals await it at once), or a reassessment by the committee (the affected
proposals' assessments are reopened with the reason; the officer decides after the new
advice). Either way the new decisions get new letters and a new standstill period. Every step
is audited, sends a signal and e-mails the company (and the call's contact on lodging) via the
outbox: one e-mail per event (the objecting company hears of the withdrawal in the answer).

A prize decision of an administrative body is a decision under the Awb, final when sent and
open to objection for six weeks: upheld, the objection revokes that decision alone (art. 7:11
Awb) and the entry awaits its new decision, from the officer or after the jury reassessed it.

Other objections still open against a decision that an upheld objection withdrew (or, in a
selection, against the selection taken back) *lapse*: they have nothing left to contest. They
are closed with that reason as their answer, the officer sees it on the objection and the
company is told by e-mail; the new decision can be objected to again.
"""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from calls.models import Call, Phase
from calls.services.participation import selection_reopen
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue
from portal.uploads import PDF_ONLY, CheckedFile, check_upload

from ..models import Decision, DecisionLetter, Objection, ObjectionDocument, Proposal
from ..selectors.letters import letter_language
from ..signals import objection_answered, objection_lodged
from .assessment import reassessment_start
from .decisions import decision_revoke, phase_decisions_withdraw

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
    text = _objection_text(text)
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


def selection_objection_lodge(*, letter: DecisionLetter, actor: User, text: str) -> Objection:
    """Innovation partnership: a candidate not selected (or excluded) objects to the
    selection within its standstill. While the objection is open the tender stage stays
    closed, also after the standstill's last day (``selection_objection_problem``)."""
    if not can(actor, "proposals.lodge_selection_objection", letter):
        raise NotAllowed()
    text = _objection_text(text)
    request = letter.participation_request
    assert request is not None  # the permission asked for a selection letter
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=request.call_id)
        if call.invitations_sent_at != letter.decided_at:
            raise DomainError(_("This selection is no longer final."), code="period_ended")
        if request.objections.filter(status=Objection.Status.OPEN).exists():
            raise DomainError(
                _("An objection to this decision is already open."), code="already_open"
            )
        count = request.objections.count() + 1
        objection = Objection.objects.create(
            participation_request=request,
            number=f"BZW-{call.reference}-S{request.pk:05d}-{count}",
            text=text,
            lodged_by=actor,
        )
        objection_lodged.send(sender=Objection, objection=objection, actor=actor)
    return objection


def objection_dismiss(*, objection: Objection, actor: User, answer: str) -> Objection:
    """The decision stands; it becomes final once its standstill has passed."""
    return _answer(objection, actor, answer, Objection.Status.DISMISSED)


def objection_uphold(
    *,
    objection: Objection,
    actor: User,
    answer: str,
    follow_up: str = Objection.FollowUp.NEW_DECISION,
    reassess: Sequence[Proposal] = (),
) -> Objection:
    """The objection is right: the phase's intended decisions are withdrawn, with the answer
    as the reason. ``follow_up`` is the officer's choice of what follows: a new decision by
    the officer, or a reassessment of ``reassess`` (by default the objecting company's
    proposal) by the committee before the officer decides again.

    A prize decision under the Awb is final already: upholding the objection (the decision
    on the objection, art. 7:11 Awb) revokes that decision alone, and ``follow_up`` decides
    how its new decision comes: from the officer, or after the jury reassessed the entry.

    Objections still open against a decision that is withdrawn or revoked lapse: they are
    closed with the reason and their companies told; the new decision can be objected to."""
    if follow_up not in Objection.FollowUp.values:
        raise DomainError(_("Choose what follows the upheld objection."), code="follow_up")
    return _answer(
        objection, actor, answer, Objection.Status.UPHELD, follow_up=follow_up, reassess=reassess
    )


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
    """Lock what the objection holds up: the phase of a decision, the call of a selection."""
    if objection.participation_request_id is not None:
        Call.objects.select_for_update().get(
            participation_requests=objection.participation_request_id
        )
        return (
            Objection.objects.select_for_update(of=("self",))
            .select_related("participation_request__call")
            .get(pk=objection.pk)
        )
    decision = Decision.objects.only("phase_id").get(objections=objection.pk)
    Phase.objects.select_for_update().get(pk=decision.phase_id)
    return (
        # Only the objection's row: the decision is the nullable side of an outer join now.
        Objection.objects.select_for_update(of=("self",))
        .select_related("decision__proposal__call")
        .get(pk=objection.pk)
    )


def _answer(
    objection: Objection,
    actor: User,
    answer: str,
    to_state: str,
    *,
    follow_up: str = "",
    reassess: Sequence[Proposal] = (),
) -> Objection:
    if not can(actor, "proposals.answer_objection", objection):
        raise NotAllowed()
    answer = answer.strip()
    if not answer:
        raise DomainError(_("Give the reasons for the answer."), code="answer")
    with transaction.atomic():
        objection = _locked(objection)
        states.check(objection, to_state)
        if objection.decision is not None and objection.decision.is_withdrawn:
            # Left open by the code before objections lapsed: upholding it now would withdraw
            # the phase's new decisions. It has nothing left to contest.
            raise DomainError(
                _(
                    "The decision this objection contests has been withdrawn; the objection "
                    "can no longer be answered. A new decision can be objected to again."
                ),
                code="decision_withdrawn",
            )
        objection.answer = answer
        objection.answered_by = actor
        objection.answered_at = timezone.now()
        objection.follow_up = follow_up
        states.transition(
            objection,
            to_state,
            actor=actor,
            extra_fields=["answer", "answered_by", "answered_at", "follow_up"],
        )
        if to_state == Objection.Status.UPHELD and objection.participation_request is not None:
            # The selection is made again: new decisions, new letters, a new standstill.
            call = objection.participation_request.call
            selection_reopen(call=call, actor=actor)
            _lapse(
                Objection.objects.filter(
                    participation_request__call=call, status=Objection.Status.OPEN
                ).exclude(pk=objection.pk),
                upheld=objection,
                actor=actor,
            )
        elif to_state == Objection.Status.UPHELD and objection.decision is not None:
            _uphold_on_decision(objection, actor, answer, follow_up, reassess)
        objection_answered.send(sender=Objection, objection=objection, actor=actor)
        _tell_on_commit(objection)
    return objection


def _uphold_on_decision(
    objection: Objection,
    actor: User,
    answer: str,
    follow_up: str,
    reassess: Sequence[Proposal],
) -> None:
    """What an upheld objection to a decision undoes; the caller holds the phase's lock.

    A procurement's intended decisions of the phase are withdrawn together (the ranking
    compares them). A final prize decision under the Awb is revoked alone (art. 7:11 Awb):
    the other entrants' decisions are final. Either way the objections still open against a
    decision that goes have lapsed, and the follow-up is a new decision by the officer or the
    committee's reassessment first."""
    decision = objection.decision
    assert decision is not None
    phase = Phase.objects.get(pk=decision.phase_id)
    reason = _("Objection %(number)s was upheld: %(answer)s") % {
        "number": objection.number,
        "answer": answer,
    }
    objecting = decision.proposal_id
    if objection.revokes_final_decision:
        outside = [p for p in reassess if p.pk != objecting]
        if outside:
            raise DomainError(
                _(
                    "Only the entry whose decision is revoked is reassessed; the other "
                    "entrants' decisions are final."
                ),
                code="proposals",
            )
        decision_revoke(decision=decision, actor=actor, reason=reason)
    else:
        moot = Objection.objects.filter(
            decision__phase=phase,
            decision__status=Decision.Status.INTENDED,
            status=Objection.Status.OPEN,
        ).exclude(pk=objection.pk)
        told = {objecting, *moot.values_list("decision__proposal_id", flat=True)}
        # The objecting companies hear it in the answer to their objections.
        phase_decisions_withdraw(phase=phase, actor=actor, reason=reason, told_otherwise=told)
        _lapse(
            Objection.objects.filter(
                decision__phase=phase,
                decision__status=Decision.Status.WITHDRAWN,
                status=Objection.Status.OPEN,
            ).exclude(pk=objection.pk),
            upheld=objection,
            actor=actor,
        )
    if follow_up == Objection.FollowUp.REASSESSMENT:
        reassessment_start(
            phase=phase,
            objection=objection,
            actor=actor,
            reason=reason,
            proposals=list(reassess) or [decision.proposal],
        )


def _lapse(objections, *, upheld: Objection, actor: User) -> int:
    """Close the open ``objections`` whose decision went with an upheld objection: they have
    no object any more (what they contest was withdrawn), so they lapse with that reason in
    their answer, and each company is told. The new decision is open to objection again."""
    lapsed = 0
    for other in (
        objections.select_for_update(of=("self",))
        .select_related("decision__proposal__company", "participation_request__company")
        .order_by("pk")
    ):
        # The answer is the company's to read: in the language its letters are in, not in
        # the officer's (it is stored once, as written).
        company = (
            other.participation_request.company
            if other.participation_request_id is not None
            else other.decision.proposal.company
        )
        with translation.override(letter_language(company)):
            other.answer = _(
                "Objection %(number)s was upheld and the decision you objected to was "
                "withdrawn with it, so your objection has lapsed: it has nothing left to "
                "contest. A new decision follows, with a new letter; you may object to that "
                "decision within its own period."
            ) % {"number": upheld.number}
        other.answered_by = actor
        other.answered_at = timezone.now()
        other.lapsed_with = upheld
        states.transition(
            other,
            Objection.Status.LAPSED,
            actor=actor,
            extra_fields=["answer", "answered_by", "answered_at", "lapsed_with"],
        )
        objection_answered.send(sender=Objection, objection=other, actor=actor)
        _tell_on_commit(other)
        lapsed += 1
    return lapsed


def _objection_text(text: str) -> str:
    """The objection's text, stripped; refused when empty or longer than the model holds."""
    text = text.strip()
    if not text:
        raise DomainError(_("Write down your objection."), code="text")
    if len(text) > Objection.TEXT_MAX_LENGTH:
        raise DomainError(
            _("The objection may hold at most %(max)d characters.")
            % {"max": Objection.TEXT_MAX_LENGTH},
            code="too_long",
        )
    return text


def _tell_on_commit(objection: Objection) -> None:
    from ..tasks import send_objection_update

    if objection.is_selection:
        return  # the candidate follows its objection on the page of its request

    outbox_enqueue(send_objection_update, objection.pk)
