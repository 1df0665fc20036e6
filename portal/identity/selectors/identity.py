"""Reads about identity that pages, the API and tasks share."""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from portal.models import Membership, Organisation, Role, User

from ..models import (
    ApiToken,
    CompanyVerification,
    EmailConfirmation,
    IdentifierClaim,
    TeamInvitation,
)


def email_confirmation_pending(user: User) -> bool:
    """Whether this person still has to confirm their address; cached for the request."""
    cached = getattr(user, "_identity_email_pending", None)
    if cached is None:
        cached = EmailConfirmation.objects.filter(user=user, confirmed_at__isnull=True).exists()
        user._identity_email_pending = cached
    return cached


def organisation_for_editing(organisation: Organisation) -> Organisation:
    """A fresh copy of the organisation, for a form that may change it before it is valid."""
    return Organisation.objects.get(pk=organisation.pk)


def team_of(company: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=company, role=Role.APPLICANT)
        .select_related("user")
        .order_by("-team_role", "user__full_name", "user__email")
    )


def open_invitations_of(company: Organisation) -> QuerySet[TeamInvitation]:
    return TeamInvitation.objects.filter(
        company=company, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def live_api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def companies_for_verification(*, state: str = "", search: str = "") -> QuerySet[Organisation]:
    """Companies with their verification, people and newest proof, for ministry staff."""
    companies = Organisation.objects.filter(kind=Organisation.Kind.COMPANY).annotate(
        people=Count("memberships", filter=Q(memberships__role=Role.APPLICANT))
    )
    if state == "unverified":
        companies = companies.filter(verified_at__isnull=True)
    elif state == "verified":
        companies = companies.filter(verified_at__isnull=False)
    if search:
        companies = companies.filter(
            Q(name__icontains=search)
            | Q(kvk_number=search)
            | Q(vat_number__iexact=search)
            | Q(euid__iexact=search)
        )
    live = CompanyVerification.objects.filter(revoked_at__isnull=True).select_related("verified_by")
    # Unverified first (they wait for someone), then by name.
    return companies.prefetch_related(Prefetch("verifications", queryset=live)).order_by(
        F("verified_at").asc(nulls_first=True), "name"
    )


def verifications_of(company: Organisation) -> QuerySet[CompanyVerification]:
    return CompanyVerification.objects.filter(company=company).select_related(
        "verified_by", "revoked_by"
    )


def company_memberships_with_people() -> QuerySet[Membership]:
    """Company memberships (role applicant), with the company and the person."""
    return Membership.objects.select_related("organisation", "user").filter(role=Role.APPLICANT)


def invitations_with_company() -> QuerySet[TeamInvitation]:
    return TeamInvitation.objects.select_related("company")


def claims_of(company: Organisation) -> QuerySet[IdentifierClaim]:
    """The identifier claims the company made and those made against it."""
    return IdentifierClaim.objects.filter(taken_from=company) | IdentifierClaim.objects.filter(
        claimed_by=company
    )


def no_api_tokens() -> QuerySet[ApiToken]:
    return ApiToken.objects.none()
