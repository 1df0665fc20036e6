"""Writes for identity: registration and memberships. Views, API and commands call these."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..exceptions import DomainError
from ..models import ROLE_ORGANISATION_KINDS, Membership, Organisation, Role, User


def company_register(
    *,
    company_name: str,
    kvk_number: str,
    is_sme: bool,
    is_startup: bool,
    full_name: str,
    email: str,
    password: str,
) -> User:
    """A company signs itself up: the organisation, its first person and their applicant role."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise DomainError(_("An account with this e-mail address already exists."), code="email")
    if Organisation.objects.filter(kvk_number=kvk_number).exists():
        raise DomainError(
            _(
                "A company with this KvK number is already registered. "
                "Ask a colleague who has an account to add you."
            ),
            code="kvk_number",
        )
    try:
        with transaction.atomic():
            company = Organisation.objects.create(
                name=company_name.strip(),
                kind=Organisation.Kind.COMPANY,
                kvk_number=kvk_number,
                is_sme=is_sme,
                is_startup=is_startup,
            )
            user = User.objects.create_user(email=email, password=password, full_name=full_name)
            Membership.objects.create(user=user, organisation=company, role=Role.APPLICANT)
    except IntegrityError as exc:
        # Two people registering the same address or KvK number at the same moment.
        raise DomainError(
            _("This e-mail address or KvK number was registered just now. Try logging in."),
            code="duplicate",
        ) from exc
    return user


def membership_grant(*, organisation: Organisation, user: User, role: str) -> Membership:
    """Give a person a role in an organisation, if that role belongs in that kind."""
    if organisation.kind not in ROLE_ORGANISATION_KINDS[Role(role)]:
        raise DomainError(
            _("The role “%(role)s” cannot be held in a %(kind)s.")
            % {"role": Role(role).label, "kind": organisation.get_kind_display()},
            code="role_kind",
        )
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    return membership
