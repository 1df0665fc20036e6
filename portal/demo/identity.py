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
Activity = Organisation.MainActivity


def _address(street: str, postal_code: str, city: str, nuts: str, oin: str) -> dict[str, str]:
    return {
        "street_address": street,
        "postal_code": postal_code,
        "city": city,
        "nuts_code": nuts,
        "oin": oin,
    }


def _court(name: str, city: str, identifier: str) -> dict[str, str]:
    return {
        "review_body_name": name,
        "review_body_city": city,
        "review_body_identifier": identifier,
    }


ORGANISATIONS: list[dict[str, Any]] = [
    {"name": "Ministerie van Economische Zaken en Klimaat", "kind": Kind.MINISTRY},
    {"name": "Rijksdienst voor Ondernemend Nederland (RVO)", "kind": Kind.MINISTRY},
    # What notices say about the authorities: their public addresses, and the district court
    # of their seat as review body. The OINs are made up (fictitious, like the companies' KvK
    # numbers); a real deployment enters the authority's own.
    {
        "name": "Rijkswaterstaat",
        "kind": Kind.AUTHORITY,
        "authority_tier": Tier.CENTRAL_GOVERNMENT,
        "main_activity": Activity.ECONOMIC_AFFAIRS,
        **_address("Griffioenlaan 2", "3526 LA", "Utrecht", "NL310", "00000001900000000001"),
        **_court("Rechtbank Midden-Nederland", "Utrecht", "00000001900000000101"),
    },
    {
        "name": "Provincie Zuid-Holland",
        "kind": Kind.AUTHORITY,
        "authority_tier": Tier.PROVINCE,
        "main_activity": Activity.GENERAL_PUBLIC_SERVICES,
        **_address("Zuid-Hollandplein 1", "2596 AW", "Den Haag", "NL332", "00000001900000000002"),
        **_court("Rechtbank Den Haag", "Den Haag", "00000001900000000102"),
    },
    {
        "name": "ZonMw",
        "kind": Kind.AUTHORITY,
        "authority_tier": Tier.OTHER_PUBLIC_BODY,
        "main_activity": Activity.HEALTH,
        **_address(
            "Laan van Nieuw Oost-Indië 334", "2593 CE", "Den Haag", "NL332", "00000001900000000003"
        ),
        **_court("Rechtbank Den Haag", "Den Haag", "00000001900000000102"),
    },
    {
        "name": "Ministerie van Volksgezondheid, Welzijn en Sport",
        "kind": Kind.AUTHORITY,
        "authority_tier": Tier.CENTRAL_GOVERNMENT,
        "main_activity": Activity.HEALTH,
        **_address("Parnassusplein 5", "2511 VX", "Den Haag", "NL332", "00000001900000000004"),
        **_court("Rechtbank Den Haag", "Den Haag", "00000001900000000102"),
    },
    # Companies are fictitious; their KvK numbers are made up.
    {
        "name": "Viaduct Circulair B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000001",
        "city": "Utrecht",
        "is_sme": True,
        "is_startup": True,
    },
    {
        "name": "Modulair Bouwen Nederland B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000002",
        "city": "Zwolle",
        "is_sme": True,
    },
    {
        "name": "Groene Vaarweg Techniek B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000003",
        "city": "Rotterdam",
        "is_sme": True,
        "is_startup": True,
    },
    {
        "name": "Veilig Sporten Sensoren B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000004",
        "city": "Eindhoven",
        "is_sme": True,
    },
    {
        "name": "Duurzame Zorgkleding Coöperatie U.A.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000005",
        "city": "Nijmegen",
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
