"""Demo organisations and people from the source documents (Kamerbrief 33 009 nr. 98).

Every demo person logs in with DEMO_PASSWORD. People whose role requires two-factor
authentication have an authenticator pre-provisioned with DEMO_TOTP_SECRET (type it into
any TOTP app) and the single-use backup codes in DEMO_BACKUP_CODES, renewed each run.
"""

from base64 import b32decode
from binascii import hexlify
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import Organisation, Role, User
from ..services.identity import membership_grant

DEMO_PASSWORD = "Innovatie-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_BACKUP_CODES = ["11111111", "22222222", "33333333", "44444444", "55555555"]

Kind = Organisation.Kind
Tier = Organisation.AuthorityTier

ORGANISATIONS: list[dict[str, Any]] = [
    {"name": "Ministerie van Economische Zaken en Klimaat", "kind": Kind.MINISTRY},
    {"name": "Rijksdienst voor Ondernemend Nederland (RVO)", "kind": Kind.MINISTRY},
    {"name": "Rijkswaterstaat", "kind": Kind.AUTHORITY, "authority_tier": Tier.CENTRAL_GOVERNMENT},
    {"name": "Provincie Zuid-Holland", "kind": Kind.AUTHORITY, "authority_tier": Tier.PROVINCE},
    {"name": "ZonMw", "kind": Kind.AUTHORITY, "authority_tier": Tier.OTHER_PUBLIC_BODY},
    {
        "name": "Ministerie van Volksgezondheid, Welzijn en Sport",
        "kind": Kind.AUTHORITY,
        "authority_tier": Tier.CENTRAL_GOVERNMENT,
    },
    # Companies are fictitious; their KvK numbers are made up.
    {
        "name": "Viaduct Circulair B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000001",
        "is_sme": True,
        "is_startup": True,
    },
    {
        "name": "Modulair Bouwen Nederland B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000002",
        "is_sme": True,
    },
    {
        "name": "Groene Vaarweg Techniek B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000003",
        "is_sme": True,
        "is_startup": True,
    },
    {
        "name": "Veilig Sporten Sensoren B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000004",
        "is_sme": True,
    },
    {
        "name": "Duurzame Zorgkleding Coöperatie U.A.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000005",
        "is_sme": True,
    },
]

# (e-mail, full name, organisation, role, portal administrator?)
PEOPLE = [
    ("inkoper@rws.example", "Sanne de Vries", "Rijkswaterstaat", Role.PROCUREMENT_OFFICER, False),
    (
        "inkoper@zuid-holland.example",
        "Ahmed El Amrani",
        "Provincie Zuid-Holland",
        Role.PROCUREMENT_OFFICER,
        False,
    ),
    (
        "ondernemer@viaductcirculair.example",
        "Lotte Jansen",
        "Viaduct Circulair B.V.",
        Role.APPLICANT,
        False,
    ),
    ("beoordelaar@rws.example", "Pieter Bakker", "Rijkswaterstaat", Role.ASSESSOR, False),
    (
        "voorzitter@rws.example",
        "Prof. Marieke Visser",
        "Rijkswaterstaat",
        Role.COMMITTEE_CHAIR,
        False,
    ),
    (
        "medewerker@ezk.example",
        "Johan Smit",
        "Ministerie van Economische Zaken en Klimaat",
        Role.MINISTRY_STAFF,
        False,
    ),
    ("beheerder@innovatieloket.example", "Femke Mulder", None, None, True),
]


def _provision_two_factor(user: User) -> None:
    key = hexlify(b32decode(DEMO_TOTP_SECRET)).decode()
    TOTPDevice.objects.update_or_create(
        user=user, name="demo authenticator", defaults={"key": key, "confirmed": True}
    )
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    StaticToken.objects.bulk_create(
        StaticToken(device=static, token=code) for code in DEMO_BACKUP_CODES
    )


def load() -> str:
    organisations = load_demo_identity()
    return f"{len(organisations)} organisations, {len(PEOPLE)} people"


@transaction.atomic
def load_demo_identity() -> dict[str, Organisation]:
    organisations = {}
    for data in ORGANISATIONS:
        fields = {key: value for key, value in data.items() if key != "name"}
        organisation, _created = Organisation.objects.update_or_create(
            name=data["name"], defaults=fields
        )
        organisations[organisation.name] = organisation
    for email, full_name, organisation_name, role, is_staff in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": full_name, "is_staff": is_staff, "is_superuser": is_staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if organisation_name and role:
            membership_grant(organisation=organisations[organisation_name], user=user, role=role)
        if is_staff or role != Role.APPLICANT:
            _provision_two_factor(user)
    return organisations
