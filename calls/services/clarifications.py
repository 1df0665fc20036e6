"""Clarification questions: a company asks, the call's officers answer and publish the
answers for everyone (nota van inlichtingen).
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue

from .. import signals
from ..models import Call, ClarificationQuestion, ClarificationRelease, Follower
from .lifecycle import _locked, _moment, _notify_followers_on_commit, _require


def clarification_ask(*, call: Call, actor: User, text: str) -> ClarificationQuestion:
    if not text.strip():
        raise DomainError(_("Write your question."), code="text")
    if not can(actor, "calls.ask_question", call):
        if call.status == Call.Status.PUBLISHED and timezone.now() >= call.questions_deadline:
            raise DomainError(
                _("Questions could be asked until %(moment)s.")
                % {"moment": _moment(call.questions_deadline)},
                code="closed",
            )
        raise NotAllowed(_("Only companies can ask questions about an open call."))
    from portal.selectors.identity import organisations_of

    organisation = organisations_of(actor, role="applicant").first()
    with transaction.atomic():
        question = ClarificationQuestion.objects.create(
            call=call, asked_by=actor, organisation=organisation, text=text.strip()
        )
        Follower.objects.get_or_create(call=call, user=actor)
    return question


def clarification_answer(
    *, question: ClarificationQuestion, actor: User, answer: str, public_text: str = ""
) -> ClarificationQuestion:
    _require(actor, "calls.manage_call", question.call)
    if not answer.strip():
        raise DomainError(_("Write the answer."), code="answer")
    with transaction.atomic():
        question = ClarificationQuestion.objects.select_for_update().get(pk=question.pk)
        if question.status == ClarificationQuestion.Status.PUBLISHED:
            raise DomainError(
                _("This answer is published already; publish a correction in a new answer."),
                code="published",
            )
        question.answer = answer.strip()
        question.public_text = public_text.strip() or question.text
        question.answered_by = actor
        question.answered_at = timezone.now()
        states.transition(
            question,
            ClarificationQuestion.Status.ANSWERED,
            actor=actor,
            extra_fields=["answer", "public_text", "answered_by", "answered_at"],
        )
    return question


def clarification_publish(*, call: Call, actor: User) -> ClarificationRelease:
    """Publish every answered question at once, for everyone: a new nota van inlichtingen."""
    _require(actor, "calls.manage_call", call)
    with transaction.atomic():
        call = _locked(call)
        if call.status != Call.Status.PUBLISHED:
            raise DomainError(_("Answers can only be published while the call is open."))
        answered = call.clarification_questions.select_for_update().filter(
            status=ClarificationQuestion.Status.ANSWERED
        )
        if not answered.exists():
            raise DomainError(_("There are no answered questions to publish."), code="empty")
        number = (call.clarification_releases.aggregate(n=Max("number"))["n"] or 0) + 1
        release = ClarificationRelease.objects.create(call=call, number=number, published_by=actor)
        for question in answered:  # one by one: each move is checked and audited
            question.release = release
            states.transition(
                question,
                ClarificationQuestion.Status.PUBLISHED,
                actor=actor,
                extra_fields=["release"],
            )
        signals.clarifications_published.send(sender=Call, call=call, release=release, actor=actor)
        from ..tasks import render_clarification_pdf

        outbox_enqueue(render_clarification_pdf, release.pk)
        _notify_followers_on_commit(call, "clarifications", release_id=release.pk)
    return release
