"""What an eHerkenning (or eIDAS) assertion says, independent of how it arrived.

The real flow (SAML through django-digid-eherkenning) and the mock login for development
both produce an ``EherkenningIdentity``; one service acts on it.

Attribute names follow the eToegang "afsprakenstelsel": the company is the LegalSubjectID
(a NameID qualified as KvK number, or as a pseudonym for eIDAS), the person the
ActingSubjectID (a pseudonym, stable per service provider). For companies from abroad the
broker passes the eIDAS legal person attributes on.
"""

from dataclasses import dataclass

from django.conf import settings

from .countries import COUNTRIES, NETHERLANDS
from .validators import validate_euid, validate_kvk_number, validate_vat_number

ACTING_SUBJECT = "urn:etoegang:core:ActingSubjectID"
LEGAL_SUBJECT = "urn:etoegang:core:LegalSubjectID"
QUALIFIER_KVK = "urn:etoegang:1.9:EntityConcernedID:KvKnr"
QUALIFIER_PSEUDO = "urn:etoegang:1.9:EntityConcernedID:Pseudo"
COMPANY_NAME = "urn:etoegang:1.11:attribute-represented:CompanyName"
EIDAS_LEGAL_NAME = "http://eidas.europa.eu/attributes/legalperson/LegalName"
EIDAS_LEGAL_ID = "http://eidas.europa.eu/attributes/legalperson/LegalPersonIdentifier"
EIDAS_EUID = "http://eidas.europa.eu/attributes/legalperson/EUIdentifier"
EIDAS_VAT = "http://eidas.europa.eu/attributes/legalperson/VATRegistrationNumber"

# Levels of assurance, low to high (afsprakenstelsel: loa1 … loa4; EH3 = loa3).
LEVELS_OF_ASSURANCE = [
    "urn:etoegang:core:assurance-class:loa1",
    "urn:etoegang:core:assurance-class:loa2",
    "urn:etoegang:core:assurance-class:loa2plus",
    "urn:etoegang:core:assurance-class:loa3",
    "urn:etoegang:core:assurance-class:loa4",
]
LOA_LABELS = {
    "urn:etoegang:core:assurance-class:loa1": "EH1",
    "urn:etoegang:core:assurance-class:loa2": "EH2",
    "urn:etoegang:core:assurance-class:loa2plus": "EH2+",
    "urn:etoegang:core:assurance-class:loa3": "EH3",
    "urn:etoegang:core:assurance-class:loa4": "EH4",
}


class AssertionProblem(Exception):
    """The assertion lacks what the portal needs (no company, no person)."""


def loa_rank(loa: str) -> int:
    return LEVELS_OF_ASSURANCE.index(loa) if loa in LEVELS_OF_ASSURANCE else -1


@dataclass(frozen=True)
class EherkenningIdentity:
    acting_subject_id: str
    level_of_assurance: str
    company_name: str = ""
    country: str = NETHERLANDS
    kvk_number: str = ""
    vat_number: str = ""
    euid: str = ""
    via_eidas: bool = False

    @property
    def verifies(self) -> bool:
        """High enough to count as proof of the company (EH3 by default)."""
        return loa_rank(self.level_of_assurance) >= loa_rank(settings.EHERKENNING_MIN_LOA)

    @property
    def loa_label(self) -> str:
        return LOA_LABELS.get(self.level_of_assurance, self.level_of_assurance)

    def as_session(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_session(cls, data: dict) -> "EherkenningIdentity":
        return cls(**data)


def _name_ids(attributes: dict, name: str) -> dict[str, str]:
    found = {}
    for value in attributes.get(name, []):
        if isinstance(value, dict) and value.get("NameID"):
            found[value["NameID"].get("NameQualifier") or ""] = value["NameID"].get("value") or ""
    return found


def _first(attributes: dict, name: str) -> str:
    for value in attributes.get(name, []):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def identity_from_attributes(attributes: dict, *, level_of_assurance: str) -> EherkenningIdentity:
    """Map the assertion's attributes (as python3-saml parses them) to an identity."""
    acting = _name_ids(attributes, ACTING_SUBJECT)
    acting_subject_id = next(iter(acting.values()), "")
    if not acting_subject_id:
        raise AssertionProblem("no ActingSubjectID")
    legal = _name_ids(attributes, LEGAL_SUBJECT)
    if legal.get(QUALIFIER_KVK):
        return EherkenningIdentity(
            acting_subject_id=acting_subject_id,
            level_of_assurance=level_of_assurance,
            company_name=_first(attributes, COMPANY_NAME),
            kvk_number=validate_kvk_number(legal[QUALIFIER_KVK]),
        )
    if legal.get(QUALIFIER_PSEUDO):
        return _eidas_identity(attributes, acting_subject_id, level_of_assurance)
    raise AssertionProblem("no KvK number and no eIDAS legal person")


def _eidas_identity(attributes: dict, acting_subject_id: str, loa: str) -> EherkenningIdentity:
    euid = _first(attributes, EIDAS_EUID)
    vat = _first(attributes, EIDAS_VAT)
    legal_id = _first(attributes, EIDAS_LEGAL_ID)  # e.g. "DE/NL/HRB116737"
    country = (euid[:2] or vat[:2] or legal_id[:2]).upper()
    if country not in COUNTRIES or country == NETHERLANDS:
        raise AssertionProblem(f"eIDAS legal person from an unexpected country: {country!r}")
    try:
        euid = validate_euid(euid, country=country) if euid else ""
        vat = validate_vat_number(vat, country=country) if vat and not euid else ""
    except Exception as error:  # the broker sent something that is no identifier
        raise AssertionProblem(str(error)) from error
    if not (euid or vat):
        raise AssertionProblem("eIDAS legal person without EUID or VAT number")
    return EherkenningIdentity(
        acting_subject_id=acting_subject_id,
        level_of_assurance=loa,
        company_name=_first(attributes, EIDAS_LEGAL_NAME),
        country=country,
        euid=euid,
        vat_number=vat,
        via_eidas=True,
    )
