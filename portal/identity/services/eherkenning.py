"""Logging in with eHerkenning (or eIDAS): the company comes from the assertion, never a form.

The first login of a person creates the company or joins it. A company registered earlier
through the form under the same number is verified if the person belongs to it, and loses
the number otherwise: the assertion proves who holds it.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import DomainError
from portal.models import Organisation, Role, TeamRole, User
from portal.services.outbox import outbox_enqueue

from ..eherkenning import EherkenningIdentity
from ..models import EherkenningLink, EmailConfirmation, IdentifierClaim, VerificationMethod
from .companies import (
    CompanyIdentifier,
    _verification_add,
    company_has_administrator,
    company_holding,
    company_member_add,
    identifiers_take_back,
)


@dataclass
class SignIn:
    """What a login with eHerkenning came to."""

    user: User | None = None
    company: Organisation | None = None
    needs_account: bool = False  # a new person: the page asks for name and e-mail
    verified_now: bool = False
    claims: list[IdentifierClaim] = field(default_factory=list)


def identifier_of(identity: EherkenningIdentity) -> CompanyIdentifier:
    return CompanyIdentifier(
        country=identity.country,
        kvk_number=identity.kvk_number,
        vat_number=identity.vat_number,
        euid=identity.euid,
    )


def eherkenning_sign_in(
    *, identity: EherkenningIdentity, current_user: User | None = None
) -> SignIn:
    """Who this login is: the person linked to the pseudonym earlier, or the person logged in
    now (linking their account), or someone new (``needs_account``)."""
    identifier = identifier_of(identity)
    with transaction.atomic():
        holder = company_holding(identifier, lock=True)
        link = None
        if holder is not None:
            link = (
                EherkenningLink.objects.select_related("user")
                .filter(acting_subject_id=identity.acting_subject_id, company=holder)
                .first()
            )
        if link is not None:
            person = link.user
        elif current_user is not None and current_user.is_authenticated:
            person = current_user
        else:
            if holder is not None and holder.verified_at is None and not identity.verifies:
                # A newcomer could only take the number over, which needs EH3: say so now,
                # before asking who they are.
                raise _loa_too_low()
            return SignIn(needs_account=True)
        if not person.is_active:
            raise DomainError(_("This account is blocked."), code="inactive")
        return _sign_in(identity, identifier, holder, person)


def eherkenning_account_create(
    *, identity: EherkenningIdentity, full_name: str, email: str, company_name: str = ""
) -> SignIn:
    """A new person logged in with eHerkenning tells us their name and e-mail address; the
    address is confirmed by the link sent to it before the account can act."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise DomainError(
            _(
                "There is an account with this e-mail address. Log in with it first, then "
                "log in with eHerkenning again to link the two."
            ),
            code="email",
        )
    if company_name.strip() and not identity.company_name:
        identity = EherkenningIdentity(**{**identity.as_session(), "company_name": company_name})
    identifier = identifier_of(identity)
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
        EmailConfirmation.objects.create(user=user, email=email)
        holder = company_holding(identifier, lock=True)
        result = _sign_in(identity, identifier, holder, user)
        from ..tasks import send_registration_mail

        outbox_enqueue(send_registration_mail, "confirm", user.pk)
    return result


def _sign_in(
    identity: EherkenningIdentity,
    identifier: CompanyIdentifier,
    holder: Organisation | None,
    person: User,
) -> SignIn:
    method = VerificationMethod.EIDAS if identity.via_eidas else VerificationMethod.EHERKENNING
    result = SignIn(user=person)

    def verify(company: Organisation) -> None:
        if identity.verifies and company.verified_at is None:
            _verification_add(
                company=company,
                actor=person,
                method=method,
                identifier=identifier.display,
                level_of_assurance=identity.level_of_assurance,
                evidence=_("Logged in with %(method)s at level %(loa)s.")
                % {"method": method.label, "loa": identity.loa_label},
            )
            result.verified_now = True

    if holder is None:
        company = _new_company(identity, identifier)
        company_member_add(company=company, user=person, team_role=TeamRole.ADMINISTRATOR)
        verify(company)
    elif holder.verified_at is not None:
        company = holder
        role = TeamRole.MEMBER if company_has_administrator(company) else TeamRole.ADMINISTRATOR
        company_member_add(company=company, user=person, team_role=role)
    elif holder.memberships.filter(user=person, role=Role.APPLICANT).exists():
        # The company registered with the form proves its own number now.
        company = holder
        verify(company)
    else:
        if not identity.verifies:
            raise _loa_too_low()
        company = Organisation.objects.create(
            name=_company_name(identity, identifier),
            kind=Organisation.Kind.COMPANY,
            country=identifier.country,
        )
        result.claims = identifiers_take_back(identifier=identifier, claimant=company, actor=person)
        for name, value in identifier.fields().items():
            setattr(company, name, value)
        company.save(update_fields=list(identifier.fields()))
        company_member_add(company=company, user=person, team_role=TeamRole.ADMINISTRATOR)
        verify(company)
    EherkenningLink.objects.update_or_create(
        acting_subject_id=identity.acting_subject_id,
        company=company,
        defaults={"user": person, "last_login_at": timezone.now()},
    )
    result.company = company
    return result


def _loa_too_low() -> DomainError:
    return DomainError(
        _(
            "A company that is not verified registered this number earlier. To take it "
            "over, log in with eHerkenning at level EH3 or higher."
        ),
        code="loa_too_low",
    )


def _company_name(identity: EherkenningIdentity, identifier: CompanyIdentifier) -> str:
    return identity.company_name.strip() or _("Company %(number)s") % {"number": identifier.display}


def _new_company(identity: EherkenningIdentity, identifier: CompanyIdentifier) -> Organisation:
    return Organisation.objects.create(
        name=_company_name(identity, identifier),
        kind=Organisation.Kind.COMPANY,
        country=identifier.country,
        **identifier.fields(),
    )
