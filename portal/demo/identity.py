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


def _address(
    street: str, postal_code: str, city: str, nuts: str, oin: str, telephone: str
) -> dict[str, str]:
    return {
        "street_address": street,
        "postal_code": postal_code,
        "city": city,
        "nuts_code": nuts,
        "oin": oin,
        "telephone": telephone,
    }


# The district courts that hear complaints about the demo authorities' procedures.
COURTS = {
    "Rechtbank Midden-Nederland": ("Utrecht", "3511 EP", "NL350"),
    "Rechtbank Den Haag": ("Den Haag", "2595 BJ", "NL361"),
    "Rechtbank Rotterdam": ("Rotterdam", "3011 BH", "NL366"),
    "Rechtbank Amsterdam": ("Amsterdam", "1076 AV", "NL32B"),
    "Rechtbank Gelderland": ("Arnhem", "6811 DG", "NL226"),
    "Rechtbank Oost-Brabant": ("'s-Hertogenbosch", "5223 DE", "NL415"),
}


def court(name: str, identifier: str) -> dict[str, str]:
    city, postal_code, nuts = COURTS[name]
    return {
        "review_body_name": name,
        "review_body_city": city,
        "review_body_postal_code": postal_code,
        "review_body_nuts_code": nuts,
        "review_body_identifier": identifier,
    }


# Where the demo's fictitious companies sit: postcode area and region (NUTS 2024).
COMPANY_PLACES = {
    "Utrecht": ("35", "NL350", "030"),
    "Rotterdam": ("30", "NL366", "010"),
    "Eindhoven": ("56", "NL414", "040"),
    "Delft": ("26", "NL362", "015"),
    "Groningen": ("97", "NL115", "050"),
    "Zwolle": ("80", "NL211", "038"),
    "Arnhem": ("68", "NL226", "026"),
    "Nijmegen": ("65", "NL226", "024"),
}
# The demo companies are SMEs and start-ups, as SBIR mostly attracts.
SIZES = ["micro", "small", "small", "medium", "micro"]


def company_details(name: str, city: str = "") -> dict[str, str]:
    """A fictitious company's address, region, telephone and size, the same on every run."""
    seed = sum(name.encode())
    city = city or list(COMPANY_PLACES)[seed % len(COMPANY_PLACES)]
    prefix, nuts, area = COMPANY_PLACES[city]
    letters = "ABCDEGHJKLMNPRST"
    return {
        "city": city,
        "street_address": f"Innovatieweg {seed % 90 + 1}",
        "postal_code": f"{prefix}{seed % 90 + 10} {letters[seed % 16]}{letters[seed // 7 % 16]}",
        "nuts_code": nuts,
        "telephone": f"{area}-{seed * 7919 % 9000000 + 1000000}",
        "company_size": SIZES[seed % len(SIZES)],
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
        **_address(
            "Griffioenlaan 2", "3526 LA", "Utrecht", "NL350", "00000001900000000001", "088-7972950"
        ),
        **court("Rechtbank Midden-Nederland", "00000001900000000101"),
    },
    {
        "name": "Provincie Zuid-Holland",
        "kind": Kind.AUTHORITY,
        "authority_tier": Tier.PROVINCE,
        "main_activity": Activity.GENERAL_PUBLIC_SERVICES,
        **_address(
            "Zuid-Hollandplein 1",
            "2596 AW",
            "Den Haag",
            "NL361",
            "00000001900000000002",
            "070-4416611",
        ),
        **court("Rechtbank Den Haag", "00000001900000000102"),
    },
    {
        "name": "ZonMw",
        "kind": Kind.AUTHORITY,
        "authority_tier": Tier.OTHER_PUBLIC_BODY,
        "main_activity": Activity.HEALTH,
        **_address(
            "Laan van Nieuw Oost-Indië 334",
            "2593 CE",
            "Den Haag",
            "NL361",
            "00000001900000000003",
            "070-3495111",
        ),
        **court("Rechtbank Den Haag", "00000001900000000102"),
    },
    {
        "name": "Ministerie van Volksgezondheid, Welzijn en Sport",
        "kind": Kind.AUTHORITY,
        "authority_tier": Tier.CENTRAL_GOVERNMENT,
        "main_activity": Activity.HEALTH,
        **_address(
            "Parnassusplein 5",
            "2511 VX",
            "Den Haag",
            "NL361",
            "00000001900000000004",
            "070-3407911",
        ),
        **court("Rechtbank Den Haag", "00000001900000000102"),
    },
    # Companies are fictitious; their KvK numbers are made up.
    {
        "name": "Viaduct Circulair B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000001",
        **company_details("Viaduct Circulair B.V.", "Utrecht"),
        "is_sme": True,
        "is_startup": True,
    },
    {
        "name": "Modulair Bouwen Nederland B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000002",
        **company_details("Modulair Bouwen Nederland B.V.", "Zwolle"),
        "is_sme": True,
    },
    {
        "name": "Groene Vaarweg Techniek B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000003",
        **company_details("Groene Vaarweg Techniek B.V.", "Rotterdam"),
        "is_sme": True,
        "is_startup": True,
    },
    {
        "name": "Veilig Sporten Sensoren B.V.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000004",
        **company_details("Veilig Sporten Sensoren B.V.", "Eindhoven"),
        "is_sme": True,
    },
    {
        "name": "Duurzame Zorgkleding Coöperatie U.A.",
        "kind": Kind.COMPANY,
        "kvk_number": "70000005",
        **company_details("Duurzame Zorgkleding Coöperatie U.A.", "Nijmegen"),
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
