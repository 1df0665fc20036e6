"""Accounts: registering without telling strangers who has an account, confirming e-mail
addresses, password resets that answer alike, and who may use a password at all.

Registration and password reset give the same answer, after the same work, whether or not
the address or the company's number is known. The request itself looks nothing up: it checks
the form, hashes the password (registration) and queues one task; the worker finds out what
exists, makes what is new and sends exactly one e-mail to the address typed, which tells its
owner what happened. Neither the page nor the time it took tells a stranger anything.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import DomainError
from portal.models import Membership, Role, TeamRole, User
from portal.services.outbox import outbox_enqueue

from ..models import EmailConfirmation, IdentityProviderDevice
from .companies import CompanyIdentifier, company_create, company_holding

CONFIRMATION_SALT = "portal.identity.email-confirmation"
# One "you have no account" or re-sent confirmation per address per quarter of an hour, so
# the forms cannot be used to flood someone's mailbox.
MAIL_THROTTLE_SECONDS = 15 * 60


@dataclass(frozen=True)
class Registration:
    company_name: str
    identifier: CompanyIdentifier
    is_sme: bool
    is_startup: bool
    full_name: str
    email: str
    password: str
    company_size: str = ""


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def company_register(*, registration: Registration) -> None:
    """Queue a company's sign-up from the form; the same work whatever exists already.

    The password travels to the worker hashed (the hash is what the account keeps anyway).
    """
    from ..tasks import process_registration

    identifier = registration.identifier
    payload = {
        "company_name": registration.company_name.strip(),
        "country": identifier.country,
        "kvk_number": identifier.kvk_number,
        "vat_number": identifier.vat_number,
        "euid": identifier.euid,
        "is_sme": registration.is_sme,
        "company_size": registration.company_size,
        "is_startup": registration.is_startup,
        "full_name": registration.full_name.strip(),
        "email": _normalise_email(registration.email),
        "password_hash": make_password(registration.password),
    }
    outbox_enqueue(process_registration, payload, secret=True)


def registration_process(*, payload: dict) -> str:
    """What the worker does with a sign-up; returns which e-mail it sent.

    New address, new number: the company, its first person (administrator of its team) and
    an e-mail with the confirmation link. Known address: no account is made; its owner gets
    an e-mail saying someone tried. Number already registered: the person's account is made
    (they may be a colleague), the e-mail explains how to join or claim the company, and the
    company's administrators hear that someone tried.
    """
    from ..tasks import send_registration_mail

    email = payload["email"]
    identifier = CompanyIdentifier(
        country=payload["country"],
        kvk_number=payload["kvk_number"],
        vat_number=payload["vat_number"],
        euid=payload["euid"],
    )
    if User.objects.filter(email=email).exists():
        return _tell_the_owner(email)
    try:
        with transaction.atomic():
            user = User.objects.create(
                email=email, password=payload["password_hash"], full_name=payload["full_name"]
            )
            EmailConfirmation.objects.create(user=user, email=email)
            holder = company_holding(identifier)
            company = None
            if holder is None:
                try:
                    company = company_create(
                        name=payload["company_name"],
                        identifier=identifier,
                        is_sme=payload["is_sme"],
                        company_size=payload.get("company_size", ""),
                        is_startup=payload["is_startup"],
                    )
                except DomainError:  # someone registered the number a moment ago
                    holder = company_holding(identifier)
                    if holder is None:  # refused for another reason than that race
                        raise
            if company is not None:
                Membership.objects.create(
                    user=user,
                    organisation=company,
                    role=Role.APPLICANT,
                    team_role=TeamRole.ADMINISTRATOR,
                )
                kind, company_id = "confirm", company.pk
            elif holder is not None:
                kind, company_id = "confirm_company_known", holder.pk
            outbox_enqueue(send_registration_mail, kind, user.pk, company_id=company_id)
            return kind
    except IntegrityError:  # someone registered this address a moment ago
        return _tell_the_owner(email)


def _tell_the_owner(email: str) -> str:
    from ..tasks import send_registration_mail

    owner = User.objects.get(email=email)
    outbox_enqueue(send_registration_mail, "account_exists", owner.pk)
    return "account_exists"


def email_confirmation_token(confirmation: EmailConfirmation) -> str:
    return signing.dumps(
        {"u": confirmation.user_id, "e": confirmation.email}, salt=CONFIRMATION_SALT
    )


def email_confirm(*, token: str) -> User:
    """Follow the link from the e-mail: the address is the person's, the account may act."""
    try:
        data = signing.loads(
            token, salt=CONFIRMATION_SALT, max_age=settings.EMAIL_CONFIRMATION_DAYS * 86400
        )
    except signing.SignatureExpired as error:
        raise DomainError(
            _("This link has expired. Log in to have a new one sent."), code="expired"
        ) from error
    except signing.BadSignature as error:
        raise DomainError(_("This link is not valid."), code="invalid") from error
    with transaction.atomic():
        confirmation = (
            EmailConfirmation.objects.select_for_update()
            .select_related("user")
            .filter(user_id=data["u"], email=data["e"])
            .first()
        )
        if confirmation is None or confirmation.user.email != data["e"]:
            raise DomainError(_("This link is not valid."), code="invalid")
        if confirmation.confirmed_at is None:
            confirmation.confirmed_at = timezone.now()
            confirmation.save(update_fields=["confirmed_at"])
    return confirmation.user


def email_confirmation_resend(*, user: User) -> bool:
    """Send the confirmation link again; at most once per quarter of an hour."""
    confirmation = EmailConfirmation.objects.filter(user=user, confirmed_at__isnull=True).first()
    if confirmation is None:
        return False
    if not cache.add(f"identity:confirm-resend:{user.pk}", 1, MAIL_THROTTLE_SECONDS):
        return False
    from ..tasks import send_registration_mail

    outbox_enqueue(send_registration_mail, "confirm", user.pk)
    return True


def password_reset_request(*, email: str, domain: str, use_https: bool) -> None:
    """Ask for a password reset link: queue it, whoever the address belongs to."""
    from ..tasks import send_password_reset

    email = _normalise_email(email)
    outbox_enqueue(send_password_reset, email, domain=domain, use_https=use_https, secret=True)


def password_reset_mail_unknown_allowed(email: str) -> bool:
    """At most one "there is no account" e-mail per address per quarter of an hour, so the
    form cannot be used to flood someone's mailbox."""
    return cache.add(f"identity:reset-unknown:{email}", 1, MAIL_THROTTLE_SECONDS)


def password_login_problem(user: User) -> str | None:
    """Why this person may not log in with a password, or None.

    Officials of an organisation whose identity provider is configured log in through it;
    independent experts (no organisation) and organisations without a provider keep the
    portal's password with a second factor.
    """
    if settings.OIDC_ALLOW_PASSWORD_LOGIN:
        return None
    from ..oidc import providers_for_organisations

    official_orgs = set(
        user.memberships.exclude(role=Role.APPLICANT).values_list("organisation_id", flat=True)
    )
    if not official_orgs:
        return None
    providers = providers_for_organisations(official_orgs)
    if {p.organisation_id for p in providers} >= official_orgs:
        names = ", ".join(sorted({p.name for p in providers}))
        return _("Your organisation logs you in through its own account: use “%(names)s”.") % {
            "names": names
        }
    return None


def identity_provider_device(
    *, user: User, provider_slug: str, name: str
) -> IdentityProviderDevice:
    """The second factor standing for logins through this provider with more than a password
    (made on the first such login)."""
    device, _created = IdentityProviderDevice.objects.get_or_create(
        user=user, provider_slug=provider_slug, defaults={"name": name, "confirmed": True}
    )
    return device
