"""Celery tasks for proposals: thin, they take ids."""

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from portal.models import Role

from .models import Proposal

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def render_receipt_pdf(proposal: Proposal) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "proposals/pdf/receipt.html",
        {"proposal": proposal, "attachments": proposal.attachments.all()},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


@shared_task(name="proposals.send_receipt", **RETRY)
def send_receipt(proposal_id: int) -> str:
    """The receipt of a submission: a PDF kept with the proposal and e-mailed to the company."""
    proposal = Proposal.objects.select_related(
        "call__authority", "phase", "company", "created_by"
    ).get(pk=proposal_id)
    with translation.override(settings.LANGUAGE_CODE):
        if not proposal.receipt:
            pdf = render_receipt_pdf(proposal)
            proposal.receipt.save(
                f"ontvangstbevestiging-{proposal.submission_number}.pdf", ContentFile(pdf)
            )
        context = {"proposal": proposal, "site_url": settings.SITE_URL}
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
    message.send()
    return proposal.receipt.name
