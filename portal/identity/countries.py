"""The countries a company can register from: the Netherlands (KvK number) and the other
states of the European Economic Area and Switzerland (VAT number or EUID), whose companies
may take part in procedures above the EU thresholds on equal terms."""

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

NETHERLANDS = "NL"

COUNTRIES: dict[str, StrOrPromise] = {
    "NL": _("Netherlands"),
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "HR": _("Croatia"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "FI": _("Finland"),
    "FR": _("France"),
    "DE": _("Germany"),
    "GR": _("Greece"),
    "HU": _("Hungary"),
    "IS": _("Iceland"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LV": _("Latvia"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "MT": _("Malta"),
    "NO": _("Norway"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "SK": _("Slovakia"),
    "SI": _("Slovenia"),
    "ES": _("Spain"),
    "SE": _("Sweden"),
    "CH": _("Switzerland"),
}

# The prefix a VAT number carries where it differs from the ISO country code.
VAT_PREFIX = {"GR": "EL"}


def country_choices() -> list[tuple[str, StrOrPromise]]:
    """The Netherlands first, then the others by name in the reader's language."""
    others = sorted(
        ((code, name) for code, name in COUNTRIES.items() if code != NETHERLANDS),
        key=lambda item: str(item[1]),
    )
    return [(NETHERLANDS, COUNTRIES[NETHERLANDS]), *others]


def country_name(code: str) -> str:
    return str(COUNTRIES.get(code, code))
