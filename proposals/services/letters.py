"""Decision letters: numbering, making the PDF, sending it, and recording that it was read.

A letter is made per company once its phase's decision is taken (``decision_letters_schedule``
enqueues one task per proposal). The task calls ``decision_letter_make``: it takes the next
number of the authority's year and creates the letter in one transaction (so a number is
never lost or shared), then renders the PDF in the company's language and keeps it in private
storage, then enqueues the e-mail. Running it twice makes one letter.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from calls.models import Phase
from portal.models import User
from portal.services.outbox import outbox_enqueue

from ..models import DecisionLetter, LetterSequence, Proposal
from ..permissions import is_company_member
from ..selectors.letters import letter_content, letter_decision, letter_language

# The standstill period until the decision's own model states it (art. 2.127 Aw 2012).
DEFAULT_STANDSTILL_DAYS = 20


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


def standstill_end_for(proposal: Proposal) -> date | None:
    """The last day of the standstill period the letter states."""
    if proposal.decided_at is None:
        return None
    return timezone.localdate(proposal.decided_at) + timedelta(days=DEFAULT_STANDSTILL_DAYS)


def decision_letters_schedule(*, phase: Phase) -> int:
    """Enqueue one letter task per decided proposal of the phase; call in the deciding
    transaction (the tasks leave after its commit). Returns how many were enqueued."""
    from ..tasks import make_decision_letter

    proposals = Proposal.objects.filter(
        phase=phase, status__in=[Proposal.Status.AWARDED, Proposal.Status.REJECTED]
    ).values_list("pk", flat=True)
    count = 0
    for pk in proposals:
        outbox_enqueue(make_decision_letter, pk)
        count += 1
    return count


def phase_is_decided(phase: Phase) -> bool:
    """Every proposal of the phase that went to the committee has its decision."""
    return not Proposal.objects.filter(
        phase=phase, status=Proposal.Status.UNDER_ASSESSMENT
    ).exists() and (
        Proposal.objects.filter(
            phase=phase, status__in=[Proposal.Status.AWARDED, Proposal.Status.REJECTED]
        ).exists()
    )


def render_letter_pdf(letter: DecisionLetter) -> bytes:
    from weasyprint import HTML

    proposal = letter.proposal
    with translation.override(letter.language):
        content = letter_content(
            proposal, standstill_ends_on=letter.standstill_ends_on, number=letter.number
        )
        html = render_to_string(
            "proposals/pdf/decision_letter.html",
            {
                "letter": letter,
                "content": content,
                "proposal": proposal,
                "call": proposal.call,
                "phase": proposal.phase,
                "authority": proposal.call.authority,
                "company": proposal.company,
            },
        )
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def decision_letter_make(*, proposal_id: int) -> DecisionLetter | None:
    """The letter for the proposal's current decision: numbered, rendered, kept, then mailed."""
    from ..models import Advice
    from ..tasks import send_decision_letter

    proposal = Proposal.objects.select_related(
        "call__authority", "phase", "company", "decided_by"
    ).get(pk=proposal_id)
    if not proposal.is_decided or proposal.decided_at is None:
        return None  # decided no longer (withdrawn meanwhile): nothing to write about
    authority_id = proposal.call.authority_id
    with transaction.atomic():
        letter = DecisionLetter.objects.filter(
            proposal=proposal, decided_at=proposal.decided_at
        ).first()
        if letter is None:
            year = timezone.localdate(proposal.decided_at).year
            sequence = letter_number_next(authority_id=authority_id, year=year)
            advice = Advice.objects.filter(committee__phase_id=proposal.phase_id).first()
            letter = DecisionLetter.objects.create(
                proposal=proposal,
                authority_id=authority_id,
                year=year,
                sequence=sequence,
                number=letter_number_format(
                    authority_id=authority_id, year=year, sequence=sequence
                ),
                decision=letter_decision(proposal, advice),
                decided_at=proposal.decided_at,
                language=letter_language(proposal.company),
                standstill_ends_on=standstill_end_for(proposal),
            )
    letter.proposal = proposal
    if not letter.pdf:
        _store_pdf(letter, render_letter_pdf(letter))
    if letter.sent_at is None:
        with transaction.atomic():
            outbox_enqueue(send_decision_letter, letter.pk)
    return letter


def _store_pdf(letter: DecisionLetter, pdf: bytes) -> None:
    """Keep the rendered PDF, unless another run of the task stored one first."""
    storage = letter.pdf.storage
    name = storage.save(
        letter.pdf.field.generate_filename(letter, letter.filename), ContentFile(pdf)
    )
    with transaction.atomic():
        current = DecisionLetter.objects.select_for_update().only("pk", "pdf").get(pk=letter.pk)
        if current.pdf:
            storage.delete(name)
            name = current.pdf.name
        else:
            current.pdf.name = name
            current.save(update_fields=["pdf"])
    letter.pdf.name = name


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
    if letter.read_at is not None or not is_company_member(actor, letter.proposal.company_id):
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
