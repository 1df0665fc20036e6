"""Decision letters: numbering, making the PDF, sending it, and recording that it was read.

A letter is made per company once its phase's decisions are intended
(``decision_letters_schedule``, on the ``decision_intended`` signal, enqueues one task per
decision). The task calls ``decision_letter_make``: it takes the next
number of the authority's year and creates the letter in one transaction (so a number is
never lost or shared), then renders the PDF in the company's language and keeps it in private
storage, then enqueues the e-mail. Running it twice makes one letter.
"""

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from calls.models import Call, ParticipationRequest, Phase
from calls.selectors.selection import selection_outcome
from calls.services.participation import selection_standstill_from_sending
from portal.models import User
from portal.services.outbox import outbox_enqueue

from ..models import Decision, DecisionLetter, LetterSequence
from ..models.decision import awb_objection_end
from ..models.letter import SELECTION_KINDS
from ..permissions import is_company_member
from ..selectors.letters import letter_content, letter_language


def letter_number_next(*, authority_id: int, year: int) -> int:
    """The next number of this authority's year; call inside the transaction that uses it.

    The sequence row is created if missing (concurrent creators: one insert wins, the other
    is ignored) and then locked, so numbers run 1, 2, 3 … without gaps or doubles.
    """
    LetterSequence.objects.bulk_create(
        [LetterSequence(authority_id=authority_id, year=year)], ignore_conflicts=True
    )
    sequence = LetterSequence.objects.select_for_update().get(authority_id=authority_id, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def letter_number_format(*, authority_id: int, year: int, sequence: int) -> str:
    return f"B-{authority_id:04d}-{year}-{sequence:05d}"


def decision_letters_schedule(*, phase: Phase) -> int:
    """Once every proposal of the phase that went to the committee has its (intended)
    decision, enqueue one letter task per standing decision that has no letter yet: a letter
    to a company that was not awarded names the winners, so the phase must be decided first.
    Call inside the deciding transaction; the tasks leave after its commit."""
    from ..tasks import make_decision_letter
    from .decisions import phase_awaits_decisions

    if phase_awaits_decisions(phase.pk):
        return 0
    _standstill_from_today(phase)
    pending = (
        Decision.objects.filter(phase=phase, letter__isnull=True)
        .exclude(status=Decision.Status.WITHDRAWN)
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in pending:
        outbox_enqueue(make_decision_letter, pk)
        count += 1
    return count


def _standstill_from_today(phase: Phase) -> None:
    """The standstill runs from the day the letters go out (Aw 2012 art. 2.127: the period
    starts the day after the decision is sent), so every company of the phase gets the full
    period from its letter, also those decided on earlier days."""
    today = timezone.localdate()
    for decision in Decision.objects.filter(
        phase=phase, status=Decision.Status.INTENDED, letter__isnull=True
    ).only("pk", "standstill_days", "standstill_ends_on"):
        ends_on = Decision.standstill_end(today, decision.standstill_days)
        if decision.standstill_ends_on < ends_on:
            decision.standstill_ends_on = ends_on
            decision.save(update_fields=["standstill_ends_on"])


def render_letter_pdf(letter: DecisionLetter) -> bytes:
    from weasyprint import HTML

    decision = letter.decision
    assert decision is not None  # a letter on a proposal's decision
    proposal = decision.proposal
    with translation.override(letter.language):
        content = letter_content(decision, number=letter.number)
        html = render_to_string(
            "proposals/pdf/decision_letter.html",
            {
                "letter": letter,
                "content": content,
                "decision": decision,
                "proposal": proposal,
                "call": proposal.call,
                "phase": proposal.phase,
                "company": proposal.company,
                # The letter bears the day it is sent (``decision_letter_redate``): the six
                # weeks for an objection under the Awb run from it, as on the company's page
                # (``Decision.objection_ends_on``).
                "objection_ends_on": awb_objection_end(letter.dated_on)
                if decision.under_awb
                else None,
            },
        )
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def decision_letter_make(
    *, decision_id: int, send: bool = True, on: date | None = None
) -> DecisionLetter | None:
    """The letter on this decision: numbered, rendered, kept, then mailed (``send``: the demo's
    history makes its letters without mailing them again). Idempotent. The letter is dated
    the day it is made (``on``, today by default: the demo's history dates its letters in the
    past) and the standstill runs from then (``decision_standstill_from_sending``), so a
    letter task that ran past midnight gives the full period from the letter's date."""
    from ..tasks import send_decision_letter
    from .decisions import decision_standstill_from_sending

    with transaction.atomic():
        # Lock order as the decision services: the phase, then the decision. The decision's
        # row is the lock: two runs of the task make one letter.
        phase_id = Decision.objects.values_list("phase_id", flat=True).get(pk=decision_id)
        Phase.objects.select_for_update().only("pk").get(pk=phase_id)
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("proposal__call__authority", "proposal__phase", "proposal__company")
            .get(pk=decision_id)
        )
        letter = DecisionLetter.objects.filter(decision=decision).first()
        if letter is None:
            if decision.is_withdrawn:
                return None  # withdrawn before its letter was made: nothing to state
            dated_on = on or timezone.localdate()
            ends_on = decision_standstill_from_sending(decision_id=decision.pk, sent_on=dated_on)
            if ends_on is not None:
                decision.standstill_ends_on = ends_on
            proposal = decision.proposal
            authority_id = proposal.call.authority_id
            year = timezone.localdate(decision.decided_at).year
            sequence = letter_number_next(authority_id=authority_id, year=year)
            letter = DecisionLetter.objects.create(
                decision=decision,
                proposal=proposal,
                authority_id=authority_id,
                year=year,
                sequence=sequence,
                number=letter_number_format(
                    authority_id=authority_id, year=year, sequence=sequence
                ),
                kind=decision.kind,
                decided_at=decision.decided_at,
                dated_on=dated_on,
                language=letter_language(proposal.company),
                standstill_ends_on=decision.standstill_ends_on
                if decision.standstill_days
                else None,
            )
    letter.decision = decision
    if not letter.pdf:
        _store_pdf(letter, render_letter_pdf(letter))
    if send and letter.sent_at is None:
        with transaction.atomic():
            outbox_enqueue(send_decision_letter, letter.pk)
    return letter


def selection_letters_schedule(*, call, requests: list[ParticipationRequest]) -> int:
    """Innovation partnership: the selection is final; one letter task per candidate
    (invited, not selected or excluded). Call inside the deciding transaction."""
    from ..tasks import make_selection_letter

    for request in requests:
        outbox_enqueue(make_selection_letter, request.pk)
    return len(requests)


def selection_letter_make(
    *, request_id: int, send: bool = True, on: date | None = None
) -> DecisionLetter | None:
    """The letter on a candidate's selection: numbered like every decision letter, rendered
    with the reasons per selection criterion and exclusion ground, kept, then mailed. One
    letter per request and selection (the moment it was made final); idempotent. None when
    the selection is no longer final (an upheld objection reopened it). A letter made after
    the day of the selection (a queue that waited past midnight) is dated the day it is made
    (``on``, today by default: the demo's history dates its letters in the past) and its
    standstill runs from then, as when it is dated again at sending."""
    from ..tasks import send_decision_letter

    with transaction.atomic():
        # Lock order as the selection's services: the call, then the request.
        call_id = ParticipationRequest.objects.values_list("call_id", flat=True).get(pk=request_id)
        Call.objects.select_for_update().only("pk").get(pk=call_id)
        request = (
            ParticipationRequest.objects.select_for_update(of=("self",))
            .select_related("call__authority", "company")
            .get(pk=request_id)
        )
        call = request.call
        if call.invitations_sent_at is None or not request.is_decided:
            return None
        letter = DecisionLetter.objects.filter(
            participation_request=request, decided_at=call.invitations_sent_at
        ).first()
        if letter is None:
            dated_on = on or timezone.localdate()
            standstill_ends_on = selection_standstill_from_sending(
                call_id=call.pk, decided_at=call.invitations_sent_at, sent_on=dated_on
            )
            call.refresh_from_db(fields=["selection_standstill_ends_on"])
            year = timezone.localdate(call.invitations_sent_at).year
            sequence = letter_number_next(authority_id=call.authority_id, year=year)
            letter = DecisionLetter.objects.create(
                participation_request=request,
                authority_id=call.authority_id,
                year=year,
                sequence=sequence,
                number=letter_number_format(
                    authority_id=call.authority_id, year=year, sequence=sequence
                ),
                kind=SELECTION_KINDS[request.status],
                decided_at=call.invitations_sent_at,
                dated_on=dated_on,
                language=letter_language(request.company),
                standstill_ends_on=None if request.is_invited else standstill_ends_on,
            )
    letter.participation_request = request
    if not letter.pdf:
        _store_pdf(letter, render_selection_letter_pdf(letter))
    if send and letter.sent_at is None:
        with transaction.atomic():
            outbox_enqueue(send_decision_letter, letter.pk)
    return letter


def render_selection_letter_pdf(letter: DecisionLetter) -> bytes:
    from weasyprint import HTML

    request = letter.participation_request
    assert request is not None  # a letter on the selection
    with translation.override(letter.language):
        html = render_to_string(
            "proposals/pdf/selection_letter.html",
            {
                "letter": letter,
                "outcome": selection_outcome(request),
                "participation": request,
                "call": request.call,
                "company": request.company,
                "tender_from": request.call.selection_standstill_ends_on,
            },
        )
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def _store_pdf(letter: DecisionLetter, pdf: bytes) -> None:
    """Keep the rendered PDF, unless another run of the task stored one first."""
    storage = letter.pdf.storage
    name: str = storage.save(
        letter.pdf.field.generate_filename(letter, letter.filename), ContentFile(pdf)
    )
    with transaction.atomic():
        current = DecisionLetter.objects.select_for_update().only("pk", "pdf").get(pk=letter.pk)
        if current.pdf:
            storage.delete(name)
            name = current.pdf.name or name
        else:
            current.pdf.name = name
            current.save(update_fields=["pdf"])
    letter.pdf.name = name


def render_pdf_of(letter: DecisionLetter) -> bytes:
    """The letter's PDF as it reads now: on a decision, or on a selection."""
    if letter.participation_request_id is not None:
        return render_selection_letter_pdf(letter)
    return render_letter_pdf(letter)


def decision_letter_redate(*, letter_id: int, on: date | None = None) -> DecisionLetter:
    """Date the letter ``on`` (today by default) and make its PDF again with that date: a
    letter bears the day it is sent, so a letter made one day and sent the next (a retry, a
    queue that waited past midnight) is dated again before it leaves, and the PDF kept is the
    one the company received. The standstill runs from that day (Aw 2012 art. 2.127), so the
    decision's end moves with it (``decision_standstill_from_sending``), or for a selection
    letter the selection's (``selection_standstill_from_sending``), and the letter states
    the new end. Nothing happens when the date is right already or the letter was sent.

    Two steps, so that the locks of the phase, the decision or the call are not held while
    the PDF is made (seconds: a phase whose letters all leave the next day would send them
    one after another, and an objection or the finalisation would wait with them). First the
    new date and end are committed with the old PDF taken off the letter (a letter without
    its PDF is not sent); then the PDF is made and stored under the letter's row lock only.
    A second run of the task (delivered twice) waits for that lock, then finds the letter
    with its PDF (or sent) and leaves it alone; a run that stopped between the steps is
    completed by the next, which finds the letter dated but without its PDF."""
    from .decisions import decision_standstill_from_sending

    on = on or timezone.localdate()
    old = ""
    with transaction.atomic():
        locked = (
            DecisionLetter.objects.select_for_update()
            .only("pk", "pdf", "sent_at", "dated_on")
            .get(pk=letter_id)
        )
        if locked.sent_at is not None or (locked.dated_on == on and locked.pdf):
            return _letter_to_render(letter_id)
        if locked.dated_on != on:
            letter = _letter_to_render(letter_id)
            if letter.decision_id is not None:
                # Lock order as elsewhere after the letter: the phase, then the decision.
                ends_on = decision_standstill_from_sending(
                    decision_id=letter.decision_id, sent_on=on
                )
                if ends_on is not None:
                    letter.standstill_ends_on = ends_on
            else:
                # A selection letter: the selection's end moves (an invitation states it too).
                request = letter.participation_request
                assert request is not None
                ends_on = selection_standstill_from_sending(
                    call_id=request.call_id, decided_at=letter.decided_at, sent_on=on
                )
                if ends_on is not None and letter.standstill_ends_on is not None:
                    letter.standstill_ends_on = ends_on
            old = locked.pdf.name or ""
            letter.dated_on = on
            letter.pdf.name = ""
            letter.save(update_fields=["dated_on", "standstill_ends_on", "pdf"])
    storage = DecisionLetter.pdf.field.storage
    kept = ""
    try:
        with transaction.atomic():
            locked = (
                DecisionLetter.objects.select_for_update()
                .only("pk", "pdf", "sent_at")
                .get(pk=letter_id)
            )
            letter = _letter_to_render(letter_id)
            if locked.sent_at is None and not locked.pdf:
                name: str = storage.save(
                    letter.pdf.field.generate_filename(letter, letter.filename),
                    ContentFile(render_pdf_of(letter)),
                )
                try:
                    letter.pdf.name = name
                    letter.save(update_fields=["pdf"])
                except Exception:
                    storage.delete(name)
                    raise
            kept = letter.pdf.name or ""
    finally:
        if old and old != kept:
            storage.delete(old)  # the PDF with the old date, no longer the letter's
    return letter


def _letter_to_render(letter_id: int) -> DecisionLetter:
    return DecisionLetter.objects.select_related(
        "decision__proposal__call__authority",
        "decision__proposal__phase",
        "decision__proposal__company",
        "participation_request__call__authority",
        "participation_request__company",
    ).get(pk=letter_id)


def decision_letter_claim_sent(*, letter_id: int) -> bool:
    """Mark the letter as sent, unless it already was: exactly one run sends it."""
    with transaction.atomic():
        current = DecisionLetter.objects.select_for_update().only("pk", "sent_at").get(pk=letter_id)
        if current.sent_at:
            return False
        current.sent_at = timezone.now()
        current.save(update_fields=["sent_at"])
    return True


def decision_letter_unclaim_sent(*, letter_id: int) -> None:
    """The e-mail failed after all: the retry may claim it again."""
    with transaction.atomic():
        current = DecisionLetter.objects.select_for_update().only("pk", "sent_at").get(pk=letter_id)
        current.sent_at = None
        current.save(update_fields=["sent_at"])


def decision_letter_mark_read(*, letter: DecisionLetter, actor: User) -> DecisionLetter:
    """The first download by someone of the company records when it was read (and by whom);
    officers' downloads do not count."""
    if letter.read_at is not None or not is_company_member(actor, letter.company_id):
        return letter
    with transaction.atomic():
        current = (
            DecisionLetter.objects.select_for_update()
            .only("pk", "read_at", "read_by")
            .get(pk=letter.pk)
        )
        if current.read_at is None:
            current.read_at = timezone.now()
            current.read_by = actor
            current.save(update_fields=["read_at", "read_by"])
        letter.read_at, letter.read_by_id = current.read_at, current.read_by_id
    return letter
