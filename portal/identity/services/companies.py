"""Companies: their identifiers, whether they proved them, and taking a number back.

A self-declared KvK number proves nothing. A company is *verified* once eHerkenning (or eIDAS
for a company from abroad) asserted its identifier at a sufficient level of assurance, or
once ministry staff checked it in the trade register. Only verified companies submit.
"""

from dataclasses import dataclass

from auditlog.context import set_actor
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import DomainError, NotAllowed
from portal.models import Membership, Organisation, Role, TeamRole, User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue
from portal.services.updates import model_update

from ..countries import NETHERLANDS
from ..models import CompanyVerification, IdentifierClaim, VerificationMethod

IDENTIFIER_FIELDS = ("kvk_number", "vat_number", "euid")


# What a company keeps up to date itself for procurement notices (eForms): the services below
# write only these.
COMPANY_DETAIL_FIELDS = (
    "street_address",
    "postal_code",
    "city",
    "nuts_code",
    "telephone",
    "company_size",
)


def company_details_update(*, company: Organisation, actor: User, data: dict) -> list[str]:
    """An administrator of the company changes its address, region, telephone and size.
    Validated on the model (Dutch postcode, telephone, NUTS 2024 region); returns the names
    of the fields that changed."""
    if not can(actor, "identity.manage_team", company):
        raise NotAllowed(_("Only an administrator of the company changes its details."))
    if company.kind != Organisation.Kind.COMPANY:
        raise DomainError(_("Only a company keeps these details here."), code="kind")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=company.pk)
        changed = model_update(locked, data=data, fields=COMPANY_DETAIL_FIELDS, actor=actor)
        if "company_size" in changed:
            # The SME mark follows the size (fewer than 250 employees, at most € 50 million).
            locked.is_sme = locked.company_size != Organisation.CompanySize.LARGE
            locked.save(update_fields=["is_sme"])
    return changed


@dataclass(frozen=True)
class CompanyIdentifier:
    """What identifies a company: a KvK number in the Netherlands, else a VAT number or EUID
    (already validated and normalised by ``portal.identity.validators``)."""

    country: str = NETHERLANDS
    kvk_number: str = ""
    vat_number: str = ""
    euid: str = ""

    def __post_init__(self):
        if not any(getattr(self, field) for field in IDENTIFIER_FIELDS):
            raise ValueError("A company identifier needs a KvK number, VAT number or EUID.")

    def fields(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in IDENTIFIER_FIELDS if getattr(self, field)}

    def lookup(self) -> Q:
        query = Q()
        for field, value in self.fields().items():
            query |= Q(**{field: value})
        return query

    @property
    def display(self) -> str:
        return self.kvk_number or self.euid or self.vat_number


def company_holding(identifier: CompanyIdentifier, *, lock: bool = False) -> Organisation | None:
    """The company registered under (one of) these identifiers, if any."""
    companies = Organisation.objects.filter(identifier.lookup()).order_by(
        F("verified_at").desc(nulls_last=True), "pk"
    )
    if lock:
        companies = companies.select_for_update()
    return companies.first()


def company_create(
    *,
    name: str,
    identifier: CompanyIdentifier,
    is_sme: bool = False,
    is_startup: bool = False,
    company_size: str = "",
) -> Organisation:
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=name.strip(),
                kind=Organisation.Kind.COMPANY,
                country=identifier.country,
                is_sme=is_sme,
                is_startup=is_startup,
                company_size=company_size
                if company_size in Organisation.CompanySize.values
                else "",
                **identifier.fields(),
            )
    except IntegrityError as error:
        raise DomainError(
            _("A company with this number was registered just now."), code="duplicate"
        ) from error


def company_member_add(*, company: Organisation, user: User, team_role: str) -> Membership:
    """A person joins a company's team (the applicant role), or keeps the seat they have."""
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=company,
        role=Role.APPLICANT,
        defaults={"team_role": team_role},
    )
    if (
        not created
        and team_role == TeamRole.ADMINISTRATOR
        and (membership.team_role != TeamRole.ADMINISTRATOR)
    ):
        membership.team_role = TeamRole.ADMINISTRATOR
        membership.save(update_fields=["team_role"])
    return membership


def company_has_administrator(company: Organisation) -> bool:
    return Membership.objects.filter(
        organisation=company, role=Role.APPLICANT, team_role=TeamRole.ADMINISTRATOR
    ).exists()


def _verification_add(
    *,
    company: Organisation,
    actor: User,
    method: str,
    identifier: str,
    level_of_assurance: str = "",
    evidence: str = "",
) -> CompanyVerification:
    """Record the proof and mark the company verified, in the caller's transaction."""
    now = timezone.now()
    verification = CompanyVerification.objects.create(
        company=company,
        method=method,
        identifier=identifier,
        level_of_assurance=level_of_assurance,
        evidence=evidence,
        verified_by=actor,
        verified_at=now,
    )
    if company.verified_at is None:
        company.verified_at = now
        company.save(update_fields=["verified_at"])
    return verification


def company_verify_by_register_check(
    *, company: Organisation, actor: User, evidence: str
) -> CompanyVerification:
    """Ministry (EZK/RVO) staff checked the company in the trade register (Handelsregister,
    or the register of its own country) and say so, with what they checked."""
    if not can(actor, "identity.verify_company"):
        raise NotAllowed()
    if not evidence.strip():
        raise DomainError(
            _("Say what you checked, e.g. the date and number of the trade register extract."),
            code="evidence",
        )
    with transaction.atomic():
        company = Organisation.objects.select_for_update().get(pk=company.pk)
        if company.kind != Organisation.Kind.COMPANY:
            raise DomainError(_("Only companies are verified."))
        identifier = company.kvk_number or company.euid or company.vat_number
        if not identifier:
            raise DomainError(
                _("This company has no KvK number, VAT number or EUID to check."),
                code="no_identifier",
            )
        return _verification_add(
            company=company,
            actor=actor,
            method=VerificationMethod.REGISTER_CHECK,
            identifier=identifier,
            evidence=evidence.strip(),
        )


def company_verification_revoke(
    *, verification: CompanyVerification, actor: User, reason: str
) -> CompanyVerification:
    """Withdraw a verification made in error. The company stays verified only if another
    live verification remains."""
    if not can(actor, "identity.verify_company"):
        raise NotAllowed()
    if not reason.strip():
        raise DomainError(_("Give the reason for withdrawing the verification."), code="reason")
    with transaction.atomic():
        company = Organisation.objects.select_for_update().get(pk=verification.company_id)
        verification = CompanyVerification.objects.select_for_update().get(pk=verification.pk)
        if verification.revoked_at is not None:
            return verification
        verification.revoked_at = timezone.now()
        verification.revoked_by = actor
        verification.revoke_reason = reason.strip()
        verification.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        remaining = (
            CompanyVerification.objects.filter(company=company, revoked_at__isnull=True)
            .order_by("verified_at")
            .values_list("verified_at", flat=True)
            .first()
        )
        if company.verified_at != remaining:
            company.verified_at = remaining
            company.save(update_fields=["verified_at"])
    return verification


def company_submission_problem(company: Organisation) -> str | None:
    """Why this company may not submit (a proposal, a request to participate), or None."""
    if company.verified_at is None:
        return _(
            "Your company is not verified yet. Log in once with eHerkenning (EH3), or ask the "
            "Ministry of Economic Affairs (EZK) to check your company in the trade register; "
            "until then you can prepare drafts but not submit."
        )
    return None


def identifiers_take_back(
    *, identifier: CompanyIdentifier, claimant: Organisation, actor: User
) -> list[IdentifierClaim]:
    """Take the identifier(s) from whichever unverified company registered them first.

    Runs inside the caller's transaction, before the claimant gets the identifier. The
    company that loses a number keeps its account, people and drafts, and stays unverified;
    its people are told by e-mail. A verified holder is never overruled here.
    """
    claims = []
    for field, value in identifier.fields().items():
        holder = (
            Organisation.objects.select_for_update()
            .filter(**{field: value})
            .exclude(pk=claimant.pk)
            .first()
        )
        if holder is None:
            continue
        if holder.verified_at is not None:
            raise DomainError(
                _(
                    "This number belongs to a company that was verified already. "
                    "Contact the helpdesk of Innovatieloket."
                ),
                code="held_by_verified",
            )
        with set_actor(actor):
            setattr(holder, field, "")
            holder.save(update_fields=[field])
            claims.append(
                IdentifierClaim.objects.create(
                    kind=field,
                    identifier=value,
                    taken_from=holder,
                    claimed_by=claimant,
                    claimed_by_person=actor,
                )
            )
    if claims:
        from ..tasks import send_identifier_lost

        for claim in claims:
            outbox_enqueue(send_identifier_lost, claim.pk)
    return claims
