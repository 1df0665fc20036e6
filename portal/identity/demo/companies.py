"""Demo data of trusted identity: which demo companies are verified, and how; team roles; and
one company registered without proof, whose number the eHerkenning mock can take back.

Runs after the other apps' demo data (portal.identity is the last app), so it sees every
company they made.
"""

from django.db import transaction
from django.utils import timezone

from portal.demo.identity import DEMO_PASSWORD, company_details
from portal.models import Membership, Organisation, Role, TeamRole, User

from ..eherkenning import LEVELS_OF_ASSURANCE
from ..models import CompanyVerification, EherkenningLink, VerificationMethod

VIADUCT = "Viaduct Circulair B.V."
# Log in on the eHerkenning (demo) page with KvK 70000001 and "viaduct" as who you are.
VIADUCT_PSEUDONYM = "mock:viaduct"
# Registered with the form, never verified: an EH3 login with the mock for 70000009 takes the
# number over, as a real company would from a squatter.
UNVERIFIED = ("Snelle Sluizen B.V.", "70000009", "nieuw@snellesluizen.example", "Kees Kramer")
VERIFIER = "medewerker@ezk.example"
EH3 = LEVELS_OF_ASSURANCE[3]


def load() -> str:
    return _load()


@transaction.atomic
def viaduct_verified() -> Organisation:
    """Viaduct Circulair, verified by its administrator's eHerkenning login (idempotent).

    The proposals demo asks for it first: its person submits an entry through the services,
    which refuse an unverified company."""
    verifier = User.objects.get(email=VERIFIER)
    viaduct = Organisation.objects.get(name=VIADUCT)
    applicant = (
        Membership.objects.filter(organisation=viaduct, role=Role.APPLICANT)
        .order_by("pk")  # the portal's demo person, before the people of the demo's history
        .first()
    )
    if applicant is not None:
        applicant.team_role = TeamRole.ADMINISTRATOR
        applicant.save(update_fields=["team_role"])
        EherkenningLink.objects.get_or_create(
            acting_subject_id=VIADUCT_PSEUDONYM,
            company=viaduct,
            defaults={"user": applicant.user},
        )
    if not viaduct.verifications.exists():
        _verify(viaduct, applicant.user if applicant else verifier, VerificationMethod.EHERKENNING)
    return viaduct


@transaction.atomic
def _load() -> str:
    verifier = User.objects.get(email=VERIFIER)
    now = timezone.now()
    viaduct_verified()

    name, kvk, email, full_name = UNVERIFIED
    squatter, _created = Organisation.objects.get_or_create(
        name=name,
        defaults={"kind": Organisation.Kind.COMPANY, "is_sme": True, **company_details(name)},
    )
    if not squatter.kvk_number and not Organisation.objects.filter(kvk_number=kvk).exists():
        squatter.kvk_number = kvk
        squatter.save(update_fields=["kvk_number"])
    person, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        person.set_password(DEMO_PASSWORD)
        person.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=person,
        organisation=squatter,
        role=Role.APPLICANT,
        defaults={"team_role": TeamRole.ADMINISTRATOR},
    )

    # Every other demo company was checked in the trade register by EZK, once.
    others = Organisation.objects.filter(
        kind=Organisation.Kind.COMPANY, verified_at__isnull=True
    ).exclude(pk=squatter.pk)
    verified = 0
    for company in others:
        if company.kvk_number or company.vat_number or company.euid:
            _verify(company, verifier, VerificationMethod.REGISTER_CHECK, now=now)
            verified += 1
    return f"{verified} companies verified, 1 left unverified"


def _verify(company: Organisation, actor: User, method: str, *, now=None) -> None:
    now = now or timezone.now()
    CompanyVerification.objects.create(
        company=company,
        method=method,
        identifier=company.kvk_number or company.euid or company.vat_number,
        level_of_assurance=EH3 if method == VerificationMethod.EHERKENNING else "",
        evidence="Demo: gecontroleerd in het Handelsregister."
        if method == VerificationMethod.REGISTER_CHECK
        else "Demo: ingelogd met eHerkenning (EH3).",
        verified_by=actor,
        verified_at=now,
    )
    company.verified_at = now
    company.save(update_fields=["verified_at"])
