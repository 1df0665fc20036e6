"""E-mails of trusted identity, sent by a worker: thin tasks that take ids."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.models import Membership, Organisation, Role, TeamRole, User
from portal.origin import absolute_url, site_url

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def _send(template: str, context: dict, recipients: list[str]) -> int:
    if not recipients:
        return 0
    context = {**context, "site_url": site_url()}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"identity/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"identity/email/{template}_body.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()


def _administrators(company: Organisation) -> list[str]:
    emails = list(
        Membership.objects.filter(
            organisation=company, role=Role.APPLICANT, team_role=TeamRole.ADMINISTRATOR
        ).values_list("user__email", flat=True)
    )
    return emails or list(
        Membership.objects.filter(organisation=company, role=Role.APPLICANT).values_list(
            "user__email", flat=True
        )
    )


@shared_task(name="identity.send_registration_mail", **RETRY)
def send_registration_mail(kind: str, user_id: int, company_id: int | None = None) -> int:
    """The one e-mail a registration sends to the address typed (and, when the company was
    registered already, a note to that company's administrators)."""
    from .services.accounts import email_confirmation_token

    user = User.objects.get(pk=user_id)
    context: dict = {"user": user, "login_link": absolute_url(reverse("login"))}
    if kind in ("confirm", "confirm_company_known"):
        confirmation = user.email_confirmation
        context["confirm_link"] = absolute_url(
            reverse("identity:email_confirm", args=[email_confirmation_token(confirmation)])
        )
    sent = 0
    if kind == "confirm_company_known" and company_id:
        company = Organisation.objects.get(pk=company_id)
        context["company"] = company
        sent += _send("registration_attempt", context, _administrators(company))
    context["reset_link"] = absolute_url(reverse("password_reset"))
    return sent + _send(f"registration_{kind}", context, [user.email])


@shared_task(name="identity.process_registration", **RETRY)
def process_registration(payload: dict) -> str:
    """A sign-up from the form, queued by the page so that it answers alike for everyone."""
    from .services.accounts import registration_process

    return registration_process(payload=payload)


@shared_task(name="identity.send_password_reset", **RETRY)
def send_password_reset(email: str, *, domain: str, use_https: bool) -> int:
    """The reset link for each active account with this address, or, for an address without
    one, a note saying so (at most once a quarter of an hour)."""
    from .services.accounts import password_reset_mail_unknown_allowed

    protocol = "https" if use_https else "http"
    users = list(User.objects.filter(email=email, is_active=True))
    if not users:
        if not password_reset_mail_unknown_allowed(email):
            return 0
        return _send(
            "password_reset_unknown",
            {"email": email, "register_link": f"{protocol}://{domain}{reverse('register')}"},
            [email],
        )
    sent = 0
    for user in users:
        link = f"{protocol}://{domain}" + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        sent += _send("password_reset", {"user": user, "link": link}, [user.email])
    return sent


@shared_task(name="identity.send_identifier_lost", **RETRY)
def send_identifier_lost(claim_id: int) -> int:
    """Tell the people of a company that lost its number to the company that proved it."""
    from .models import IdentifierClaim

    claim = IdentifierClaim.objects.select_related("taken_from", "claimed_by").get(pk=claim_id)
    recipients = list(
        Membership.objects.filter(organisation=claim.taken_from, role=Role.APPLICANT)
        .values_list("user__email", flat=True)
        .distinct()
    )
    return _send("identifier_lost", {"claim": claim}, recipients)


@shared_task(name="identity.send_team_invitation", **RETRY)
def send_team_invitation(invitation_id: int, token: str) -> int:
    from .models import TeamInvitation

    invitation = TeamInvitation.objects.select_related("company", "invited_by").get(
        pk=invitation_id
    )
    link = absolute_url(reverse("identity:invitation", args=[token]))
    return _send("team_invitation", {"invitation": invitation, "link": link}, [invitation.email])


@shared_task(name="identity.send_team_removal", **RETRY)
def send_team_removal(user_id: int, company_id: int) -> int:
    user = User.objects.get(pk=user_id)
    company = Organisation.objects.get(pk=company_id)
    return _send("team_removal", {"user": user, "company": company}, [user.email])
