"""Company identifiers: the Dutch KvK number, and a VAT number or EUID from abroad.

The KvK number has 8 digits. KvK numbers carry no check digit: older ones happen to pass the
"elfproef", numbers issued since 2016 often do not, so the test would refuse real companies.
What the format cannot prove, eHerkenning or a check in the trade register does.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import get_cc_module

from .countries import NETHERLANDS, VAT_PREFIX

_SEPARATORS = re.compile(r"[\s.\-]")
# EUID (Business Registers Interconnection System): country code, the register's code,
# a full stop, the number in that register; e.g. DEK1101R.HRB116737, NLNHR.12345678.
_EUID = re.compile(r"^(?P<country>[A-Z]{2})[A-Z0-9]{1,14}\.[A-Z0-9][A-Z0-9.\-/]{0,30}$")


def normalise_kvk_number(value: str) -> str:
    """People type "12 34 56 78" or "12.345.678": keep the digits they meant."""
    return _SEPARATORS.sub("", value or "")


def validate_kvk_number(value: str) -> str:
    """The normalised number, or a ValidationError that says what is wrong with it."""
    number = normalise_kvk_number(value)
    if not number.isdigit():
        raise ValidationError(_("A KvK number consists of digits only."), code="invalid_kvk")
    if len(number) == 12:
        raise ValidationError(
            _(
                "This is a branch number (vestigingsnummer) of 12 digits; "
                "fill in the KvK number of 8 digits."
            ),
            code="branch_number",
        )
    if len(number) != 8:
        raise ValidationError(_("A KvK number consists of exactly 8 digits."), code="invalid_kvk")
    if number == "00000000":
        raise ValidationError(_("00000000 is not a KvK number."), code="invalid_kvk")
    return number


def validate_vat_number(value: str, *, country: str) -> str:
    """The VAT number in its compact form with the country prefix, e.g. DE136695976."""
    if country == NETHERLANDS:
        raise ValidationError(
            _("A company from the Netherlands registers with its KvK number."), code="country"
        )
    module = get_cc_module(country.lower(), "vat")
    if module is None:
        raise ValidationError(
            _("Register with the EUID of your company for this country."), code="country"
        )
    prefix = VAT_PREFIX.get(country, country)
    compact = _SEPARATORS.sub("", value or "").upper()
    if compact.startswith(prefix):
        compact = compact[len(prefix) :]
    try:
        number = module.validate(compact)
    except StdnumError as error:
        raise ValidationError(
            _("This is not a valid VAT number for the country you chose."), code="invalid_vat"
        ) from error
    number = _SEPARATORS.sub("", number).upper()
    return number if number.startswith(prefix) else f"{prefix}{number}"


def validate_euid(value: str, *, country: str) -> str:
    euid = re.sub(r"\s", "", value or "").upper()
    match = _EUID.match(euid)
    if not match:
        raise ValidationError(
            _("An EUID looks like DEK1101R.HRB116737: country, register, a full stop, number."),
            code="invalid_euid",
        )
    if match["country"] != country:
        raise ValidationError(
            _("This EUID belongs to a register of another country than the one you chose."),
            code="euid_country",
        )
    return euid


def normalise_postcode(value: str) -> str:
    """People type "3526la" or "3526 la": a Dutch postcode is kept as "3526 LA". Anything else
    (an address abroad) is kept as typed."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if re.fullmatch(r"[1-9][0-9]{3}[A-Z]{2}", compact):
        return f"{compact[:4]} {compact[4:]}"
    return (value or "").strip()
