"""Celery tasks for calls: thin, they take ids and call services or renderers."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal.origin import site_url

from .models import Call, ClarificationRelease, ParticipationRequest

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(name="calls.close_expired_calls", soft_time_limit=50, time_limit=60)
def close_expired_calls() -> int:
    """Run by Celery beat every minute: calls close by themselves at their deadline."""
    from .services.lifecycle import calls_close_expired

    return calls_close_expired()


@shared_task(name="calls.render_clarification_pdf", **RETRY)
def render_clarification_pdf(release_id: int) -> str:
    """The nota van inlichtingen as one PDF: every published question and answer so far."""
    from weasyprint import HTML

    release = ClarificationRelease.objects.select_related("call__authority").get(pk=release_id)
    call = release.call
    questions = (
        call.clarification_questions.filter(release__number__lte=release.number)
        .select_related("release")
        .order_by("release__number", "asked_at")
    )
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "calls/pdf/clarifications.html",
            {"call": call, "release": release, "questions": questions},
        )
        pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
    name = f"nota-van-inlichtingen-{call.reference}-{release.number}.pdf"
    release.pdf.save(name, ContentFile(pdf), save=False)
    release.save(update_fields=["pdf"])
    return release.pdf.name


@shared_task(name="calls.notify_followers", **RETRY)
def notify_followers(call_id: int, event: str, **ids) -> int:
    """E-mail everyone who follows a call about new answers, an amendment or cancellation."""
    call = Call.objects.select_related("authority").get(pk=call_id)
    recipients = list(call.followers.values_list("user__email", flat=True))
    if not recipients:
        return 0
    context = {"call": call, "event": event, "site_url": site_url(), **ids}
    if "amendment_id" in ids:
        context["amendment"] = call.amendments.get(pk=ids["amendment_id"])
    if "release_id" in ids:
        context["release"] = call.clarification_releases.get(pk=ids["release_id"])
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("calls/email/follower_subject.txt", context).strip()
        body = render_to_string("calls/email/follower_body.txt", context)
    # One message per person: followers must not see each other's addresses.
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
    return send_mass_mail(messages, fail_silently=False)


@shared_task(name="calls.send_participation_decisions", **RETRY)
def send_participation_decisions(call_id: int) -> int:
    """Innovation partnership: the invitation to tender, or the rejection with its motivation.

    Every company member (applicant) of each company that asked to participate gets one
    message of their own.
    """
    from portal.models import Membership, Role

    call = Call.objects.select_related("authority").get(pk=call_id)
    decided = call.participation_requests.filter(
        status__in=[
            ParticipationRequest.Status.SELECTED,
            ParticipationRequest.Status.REJECTED,
            ParticipationRequest.Status.EXCLUDED,
        ]
    ).select_related("company")
    members = Membership.objects.filter(
        organisation_id__in=decided.values("company_id"), role=Role.APPLICANT
    ).values_list("organisation_id", "user__email")
    recipients: dict[int, list[str]] = {}
    for company_id, email in members:
        recipients.setdefault(company_id, []).append(email)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for participation in decided:
            context = {
                "call": call,
                "participation": participation,
                "site_url": site_url(),
                "requests_url": reverse("calls:participation_mine"),
            }
            subject = render_to_string("calls/email/participation_subject.txt", context).strip()
            body = render_to_string("calls/email/participation_body.txt", context)
            messages += [
                (subject, body, settings.DEFAULT_FROM_EMAIL, [email])
                for email in recipients.get(participation.company_id, [])
            ]
    return send_mass_mail(messages, fail_silently=False) if messages else 0
