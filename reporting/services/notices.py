"""Writes for procurement notices: prepare (build and validate), prepare again, send, and record
what the publisher answered.

A notice is prepared from the portal's data at the moment it is made: the competition notice
when the call is published, a change notice with each amendment (both from calls' signals), the
result notice when the officer asks once awards are final. Its problems (what the portal lacks,
empty mandatory business terms, the XSD's objections) are stored with it in words; only a
notice without problems may be sent. Sending records the step and hands the work to a Celery
task after the commit (the outbox); the task asks the publisher and stores its answer.
"""

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Amendment, Call
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue

from ..eforms.builder import build_notice
from ..eforms.validation import validate
from ..models import Notice
from ..selectors.notices import (
    above_eu_threshold,
    competition_notice,
    final_awards,
    goes_to_tenderned,
    notice_source,
    notice_waits_for,
    order_message,
    takes_notices,
)
from .publishers import Outcome, PublisherUnavailable, publisher

logger = logging.getLogger(__name__)


def _require(actor: User | None, call: Call) -> None:
    if actor is not None and not can(actor, "calls.manage_call", call):
        raise NotAllowed(_("Only the call's procurement officers may do this."))


def _render(
    call: Call,
    *,
    kind: str,
    notice_id: uuid.UUID,
    folder_id: uuid.UUID,
    changes: Notice | None,
    amendment: Amendment | None,
) -> tuple[str, list[dict]]:
    source = notice_source(
        call,
        kind=kind,
        notice_id=notice_id,
        folder_id=folder_id,
        issued=timezone.now(),
        changes=changes,
        amendment=amendment,
    )
    xml, gaps = build_notice(source)
    problems = [problem.as_dict() for problem in validate(xml, source.subtype, gaps)]
    return xml.decode("utf-8"), problems


def notice_prepare(
    *, call: Call, kind: str, actor: User | None, amendment: Amendment | None = None
) -> Notice:
    """Make a notice of ``kind`` for ``call`` from its current data, validated and stored."""
    _require(actor, call)
    if not takes_notices(call):
        raise DomainError(
            _("Prize competitions and hackathons are not procurements: they get no notice."),
            code="no_notice",
        )
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()  # one preparer at a time
        competition = competition_notice(call)
        if kind == Notice.Kind.COMPETITION and competition is not None:
            raise DomainError(_("The call already has its contract notice."), code="exists")
        if kind != Notice.Kind.COMPETITION and competition is None:
            raise DomainError(_("Prepare the contract notice first."), code="no_competition")
        if kind == Notice.Kind.CHANGE and amendment is None:
            raise DomainError(_("A change notice follows an amendment."), code="no_amendment")
        if kind == Notice.Kind.RESULT:
            if not final_awards(call):
                raise DomainError(
                    _("No award of this call is final yet (awarded with a contract)."),
                    code="no_awards",
                )
            if Notice.objects.filter(call=call, kind=Notice.Kind.RESULT).exists():
                raise DomainError(
                    _("The call already has its contract award notice; prepare it again."),
                    code="exists",
                )
        notice_id = uuid.uuid4()
        folder_id = competition.folder_id if competition is not None else uuid.uuid4()
        changes = competition if kind == Notice.Kind.CHANGE else None
        xml, problems = _render(
            call,
            kind=kind,
            notice_id=notice_id,
            folder_id=folder_id,
            changes=changes,
            amendment=amendment,
        )
        notice = Notice.objects.create(
            call=call,
            kind=kind,
            subtype="29" if kind == Notice.Kind.RESULT else "16",
            notice_id=notice_id,
            folder_id=folder_id,
            changes=changes,
            amendment=amendment,
            xml=xml,
            problems=problems,
            validated_at=timezone.now(),
            created_by=actor,
        )
        if not notice.blocking_problems:
            states.transition(notice, Notice.Status.VALIDATED, actor=actor)
    return notice


def notice_prepare_again(*, notice: Notice, actor: User | None) -> Notice:
    """Build and validate the notice again from the call's current data (same identifier)."""
    _require(actor, notice.call)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("call").get(pk=notice.pk)
        if not notice.may_be_prepared_again:
            raise DomainError(
                _("The notice is with the publisher or published: it can no longer change."),
                code="frozen",
            )
        xml, problems = _render(
            notice.call,
            kind=notice.kind,
            notice_id=notice.notice_id,
            folder_id=notice.folder_id,
            changes=notice.changes,
            amendment=notice.amendment,
        )
        notice.xml, notice.problems, notice.validated_at = xml, problems, timezone.now()
        fields = ["xml", "problems", "validated_at"]
        target = Notice.Status.DRAFT if notice.blocking_problems else Notice.Status.VALIDATED
        if notice.status == target:
            notice.save(update_fields=fields)
        else:
            notice.rejection_reason = ""
            states.transition(
                notice, target, actor=actor, extra_fields=[*fields, "rejection_reason"]
            )
    return notice


def notice_send(*, notice: Notice, actor: User) -> Notice:
    """Hand a validated notice to the publisher (a Celery task after the commit)."""
    _require(actor, notice.call)
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update().select_related("call__authority").get(pk=notice.pk)
        )
        states.check(notice, Notice.Status.SENT)
        if notice.blocking_problems:
            raise DomainError(_("Solve the notice's problems first."), code="problems")
        previous = notice_waits_for(notice)
        if previous is not None:
            raise DomainError(order_message(notice, previous), code="order")
        if not goes_to_tenderned(notice.call):
            raise DomainError(
                _(
                    "This call is below the EU threshold: publishing on TenderNed is optional. "
                    "Choose it in the call's publication details first."
                ),
                code="not_for_tenderned",
            )
        notice.sent_at = timezone.now()
        notice.publisher = publisher().name
        states.transition(
            notice, Notice.Status.SENT, actor=actor, extra_fields=["sent_at", "publisher"]
        )
        outbox_enqueue("reporting.send_notice", notice.pk)
    return notice


def authority_tenderned_id(notice: Notice) -> str:
    return notice.call.authority.tenderned_id or settings.TENDERNED_AUTHORITY_ID


def notice_deliver(notice_id: int) -> Outcome | None:
    """Ask the publisher to publish a sent notice and store its answer (the task's work).

    Raises ``PublisherUnavailable`` when the publisher does not answer, so the task retries;
    returns None when there is nothing (left) to do.
    """
    notice = Notice.objects.select_related("call__authority").filter(pk=notice_id).first()
    if notice is None or not notice.awaits_publisher:
        return None
    outcome = publisher().publish(
        xml=notice.xml.encode("utf-8"),
        notice_id=str(notice.notice_id),
        authority_id=authority_tenderned_id(notice),
        forward_to_ted=above_eu_threshold(notice.call),
    )
    notice_record_outcome(notice_id=notice_id, outcome=outcome)
    return outcome


def notice_record_outcome(*, notice_id: int, outcome: Outcome) -> Notice | None:
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or not notice.awaits_publisher:
            return notice  # answered before (a repeated task)
        if outcome.accepted:
            notice.publication_id = outcome.publication_id
            notice.published_at = outcome.published_at or timezone.now()
            notice.publication_url = outcome.url
            notice.ted_id = outcome.ted_id
            states.transition(
                notice,
                Notice.Status.PUBLISHED,
                actor=None,
                extra_fields=["publication_id", "published_at", "publication_url", "ted_id"],
            )
        else:
            notice.rejection_reason = outcome.reason or _("The publisher gave no reason.")
            states.transition(
                notice, Notice.Status.REJECTED, actor=None, extra_fields=["rejection_reason"]
            )
    return notice


def notice_give_up(*, notice_id: int, reason: str) -> Notice | None:
    """The publisher never answered after every retry: the notice is rejected with why."""
    return notice_record_outcome(
        notice_id=notice_id,
        outcome=Outcome(
            accepted=False,
            reason=_("The publisher could not be reached: %(reason)s") % {"reason": reason},
        ),
    )


__all__ = ["PublisherUnavailable"]
