"""Celery tasks for proposals: thin, they take ids."""

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import Role
from portal.origin import site_url

from .models import Proposal
from .selectors.proposals import answers_for_display

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def render_receipt_pdf(proposal: Proposal) -> bytes:
    """The receipt in the language the company submitted in (the declaration it quotes)."""
    from weasyprint import HTML

    with translation.override(proposal.submission_language or settings.LANGUAGE_CODE):
        html = render_to_string(
            "proposals/pdf/receipt.html",
            {
                "proposal": proposal,
                "attachments": proposal.attachments.select_related("required_document", "question"),
                "answers": answers_for_display(proposal),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


@shared_task(name="proposals.send_receipt", **RETRY)
def send_receipt(proposal_id: int) -> str:
    """The receipt of a submission: a PDF kept with the proposal and e-mailed to the company.

    Made and sent once, however often the task runs (the outbox may send it twice). It writes
    only its own fields (``receipt``, ``receipt_sent_at``), on a freshly locked row after the
    slow rendering, so a withdrawal or the start of the assessment meanwhile is never undone.
    """
    proposal = Proposal.objects.select_related(
        "call__authority", "phase", "company", "created_by"
    ).get(pk=proposal_id)
    if proposal.receipt_sent_at:
        return proposal.receipt.name
    # In the language the company submitted in, as the declaration it accepted.
    with translation.override(proposal.submission_language or settings.LANGUAGE_CODE):
        if not proposal.receipt:
            _store_receipt(proposal, render_receipt_pdf(proposal))
        context = {"proposal": proposal, "site_url": site_url()}
        subject = render_to_string("proposals/email/receipt_subject.txt", context).strip()
        body = render_to_string("proposals/email/receipt_body.txt", context)
    recipients = sorted(
        set(
            proposal.company.memberships.filter(role=Role.APPLICANT).values_list(
                "user__email", flat=True
            )
        )
    )
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    proposal.receipt.open("rb")
    try:
        message.attach(
            proposal.receipt.name.rsplit("/", 1)[-1], proposal.receipt.read(), "application/pdf"
        )
    finally:
        proposal.receipt.close()
    if not _claim_receipt_mail(proposal_id):
        return proposal.receipt.name  # another run of this task sent it meanwhile
    try:
        message.send()
    except Exception:
        # Not sent after all: the retry may claim it again.
        Proposal.objects.filter(pk=proposal_id).update(receipt_sent_at=None)
        raise
    return proposal.receipt.name


def _store_receipt(proposal: Proposal, pdf: bytes) -> None:
    """Keep the rendered PDF, unless another run of the task stored one first."""
    storage = proposal.receipt.storage
    name = storage.save(
        proposal.receipt.field.generate_filename(
            proposal, f"ontvangstbevestiging-{proposal.submission_number}.pdf"
        ),
        ContentFile(pdf),
    )
    with transaction.atomic():
        current = Proposal.objects.select_for_update().only("pk", "receipt").get(pk=proposal.pk)
        if current.receipt:
            storage.delete(name)
            name = current.receipt.name
        else:
            current.receipt.name = name
            current.save(update_fields=["receipt"])
    proposal.receipt.name = name


def _claim_receipt_mail(proposal_id: int) -> bool:
    """Mark the receipt as sent, unless it already was: exactly one run sends it."""
    with transaction.atomic():
        current = (
            Proposal.objects.select_for_update().only("pk", "receipt_sent_at").get(pk=proposal_id)
        )
        if current.receipt_sent_at:
            return False
        current.receipt_sent_at = timezone.now()
        current.save(update_fields=["receipt_sent_at"])
    return True


@shared_task(name="proposals.send_decision_withdrawn", **RETRY)
def send_decision_withdrawn(decision_id: int) -> int:
    """Tell the company that the intended decision on its proposal is withdrawn, and why.

    The decision itself reaches the company once, in the letter's e-mail
    (``send_decision_letter``); this is the only other e-mail about a decision.
    """
    from .models import Decision

    decision = Decision.objects.select_related(
        "proposal__call__authority", "proposal__phase", "proposal__company"
    ).get(pk=decision_id)
    proposal = decision.proposal
    recipients = sorted(
        set(
            proposal.company.memberships.filter(role=Role.APPLICANT).values_list(
                "user__email", flat=True
            )
        )
    )
    context = {"proposal": proposal, "decision": decision, "site_url": site_url()}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("proposals/email/decision_withdrawn_subject.txt", context)
        body = render_to_string("proposals/email/decision_withdrawn_body.txt", context)
    return EmailMessage(subject.strip(), body, settings.DEFAULT_FROM_EMAIL, recipients).send()


@shared_task(name="proposals.send_expert_invitation", **RETRY)
def send_expert_invitation(member_id: int, token: str) -> int:
    """Invite an independent expert: a link to choose a password, then two-factor set-up."""
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from .models import CommitteeMember

    member = CommitteeMember.objects.select_related(
        "user", "committee__phase__call__authority"
    ).get(pk=member_id)
    uid = urlsafe_base64_encode(force_bytes(member.user.pk))
    link = site_url() + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {"member": member, "call": member.committee.phase.call, "link": link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("proposals/email/invitation_subject.txt", context).strip()
        body = render_to_string("proposals/email/invitation_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [member.user.email]).send()


def advice_pdf_bytes(advice, *, hidden: set[int] = frozenset()) -> bytes:
    """The signed advice as PDF; without the proposals in ``hidden`` (a conflicted chair's
    copy, which also leaves out the deputy chair's notes on them)."""
    from weasyprint import HTML

    phase = advice.committee.phase
    criteria = list(phase.criteria.all())
    rows = [
        {**row, "criterion_scores": [row["scores"].get(str(c.pk), "–") for c in criteria]}
        for row in advice.ranking
        if row["proposal"] not in hidden
    ]
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "proposals/pdf/advice.html",
            {
                "advice": advice,
                "phase": phase,
                "call": phase.call,
                "criteria": criteria,
                "rows": rows,
                "left_out": len(advice.ranking) - len(rows),
                "selected": set(advice.selected.values_list("pk", flat=True)),
                "members": advice.committee.members.active().select_related("user"),
                "removed": advice.committee.members.filter(removed_at__isnull=False)
                .select_related("user")
                .order_by("removed_at"),
            },
        )
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


@shared_task(name="proposals.render_advice_pdf", **RETRY)
def render_advice_pdf(advice_id: int) -> str:
    """The committee's signed advice (ranking and selection) as a PDF."""
    from .models import Advice

    advice = Advice.objects.select_related(
        "committee__phase__call__authority", "signed_by", "deputy_chair"
    ).get(pk=advice_id)
    phase = advice.committee.phase
    pdf = advice_pdf_bytes(advice)
    advice.pdf.save(
        f"advies-{phase.call.reference}-fase-{phase.order}.pdf", ContentFile(pdf), save=False
    )
    # Only the PDF, after the slow rendering: whatever else changed meanwhile stays.
    advice.save(update_fields=["pdf"])
    return advice.pdf.name


@shared_task(name="proposals.open_due_phases", soft_time_limit=50, time_limit=60)
def open_due_phases() -> int:
    """Run by Celery beat every minute: the opening record of each phase past its deadline."""
    from .services.negotiation import rounds_open_due
    from .services.opening import phases_open_due

    return phases_open_due() + rounds_open_due()


@shared_task(name="proposals.make_decision_letter", acks_late=True, time_limit=300, **RETRY)
def make_decision_letter(decision_id: int) -> str:
    """The numbered letter on one company's decision (PDF, private), then its e-mail."""
    from .services.letters import decision_letter_make

    letter = decision_letter_make(decision_id=decision_id)
    return letter.number if letter else ""


@shared_task(name="proposals.make_selection_letter", acks_late=True, time_limit=300, **RETRY)
def make_selection_letter(request_id: int) -> str:
    """The numbered letter on one candidate's selection (PDF, private), then its e-mail."""
    from .services.letters import selection_letter_make

    letter = selection_letter_make(request_id=request_id)
    return letter.number if letter else ""


@shared_task(name="proposals.send_decision_letter", **RETRY)
def send_decision_letter(letter_id: int) -> int:
    """E-mail the decision letter as PDF to the company's people; exactly once."""
    from .models import DecisionLetter
    from .services.letters import (
        decision_letter_claim_sent,
        decision_letter_redate,
        decision_letter_unclaim_sent,
    )

    pending = DecisionLetter.objects.only("pk", "sent_at", "dated_on", "pdf").get(pk=letter_id)
    if pending.sent_at is None and (pending.dated_on != timezone.localdate() or not pending.pdf):
        # Made on an earlier day: the letter bears the day it is sent (without its PDF: an
        # earlier run dated it and stopped before the PDF was made again).
        decision_letter_redate(letter_id=letter_id)
    letter = DecisionLetter.objects.select_related(
        "proposal__call__authority",
        "proposal__phase",
        "proposal__company",
        "participation_request__call__authority",
        "participation_request__company",
        "decision",
    ).get(pk=letter_id)
    if letter.sent_at or not letter.pdf:
        return 0
    recipients = sorted(
        set(
            letter.company.memberships.filter(role=Role.APPLICANT).values_list(
                "user__email", flat=True
            )
        )
    )
    if letter.is_selection:
        # The selection's message (the decision, its motivation, the page with the reasons
        # per criterion) with the letter attached.
        participation = letter.participation_request
        context = {
            "letter": letter,
            "call": participation.call,
            "participation": participation,
            "site_url": site_url(),
            "requests_url": reverse("calls:participation_mine"),
        }
        templates = ("calls/email/participation_subject.txt", "proposals/email/selection_body.txt")
    else:
        context = {
            "letter": letter,
            "decision": letter.decision,
            "proposal": letter.proposal,
            "site_url": site_url(),
        }
        templates = ("proposals/email/letter_subject.txt", "proposals/email/letter_body.txt")
    with translation.override(letter.language):
        subject = render_to_string(templates[0], context).strip()
        body = render_to_string(templates[1], context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    letter.pdf.open("rb")
    try:
        message.attach(letter.filename, letter.pdf.read(), "application/pdf")
    finally:
        letter.pdf.close()
    if not decision_letter_claim_sent(letter_id=letter.pk):
        return 0
    try:
        return message.send()
    except Exception:
        decision_letter_unclaim_sent(letter_id=letter.pk)
        raise


def render_objection_receipt_pdf(objection) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "proposals/pdf/objection_receipt.html",
        {
            "objection": objection,
            "decision": objection.decision,
            "proposal": objection.decision.proposal,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


@shared_task(
    name="proposals.finalise_decisions", soft_time_limit=50, time_limit=60, ignore_result=False
)
def finalise_decisions() -> int:
    """Run by Celery beat: intended decisions whose standstill passed become final (an award
    gets its contract), unless an objection in their phase is open."""
    from .services.decisions import decisions_finalise_due

    return decisions_finalise_due()


@shared_task(name="proposals.send_objection_update", **RETRY)
def send_objection_update(objection_id: int) -> int:
    """Tell the company (and, for a new objection, the call's contact) where its objection
    stands: lodged (with the receipt), dismissed, upheld or withdrawn."""
    from .models import Objection

    objection = Objection.objects.select_related(
        "decision__proposal__call__authority", "decision__proposal__company"
    ).get(pk=objection_id)
    proposal = objection.decision.proposal
    recipients = set(
        proposal.company.memberships.filter(role=Role.APPLICANT).values_list(
            "user__email", flat=True
        )
    )
    if objection.is_open:
        recipients.add(proposal.call.contact_email)
    context = {"objection": objection, "proposal": proposal, "site_url": site_url()}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("proposals/email/objection_subject.txt", context).strip()
        body = render_to_string("proposals/email/objection_body.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients))
    if objection.is_open:
        with translation.override(settings.LANGUAGE_CODE):
            pdf = render_objection_receipt_pdf(objection)
        if not objection.receipt:
            # Kept with the objection, only this field written.
            objection.receipt.save(
                f"ontvangstbevestiging-{objection.number}.pdf", ContentFile(pdf), save=False
            )
            type(objection).objects.filter(pk=objection.pk, receipt="").update(
                receipt=objection.receipt.name
            )
        message.attach(f"ontvangstbevestiging-{objection.number}.pdf", pdf, "application/pdf")
    return message.send()


@shared_task(name="proposals.send_negotiation_round", **RETRY)
def send_negotiation_round(round_id: int, proposal_id: int) -> int:
    """Send a round's points to one tenderer: the same text and deadline for every tenderer."""
    from .models import NegotiationRound

    round_ = NegotiationRound.objects.select_related("phase__call__authority").get(pk=round_id)
    proposal = round_.recipients.select_related("company").get(pk=proposal_id)
    recipients = sorted(
        set(
            proposal.company.memberships.filter(role=Role.APPLICANT).values_list(
                "user__email", flat=True
            )
        )
    )
    context = {"round": round_, "call": round_.phase.call, "site_url": site_url()}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("proposals/email/round_subject.txt", context).strip()
        body = render_to_string("proposals/email/round_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()
