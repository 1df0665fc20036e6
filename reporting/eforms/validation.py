"""A notice checked before it is sent: against the SDK's XSD and the subtype's mandatory business
terms (``catalogue``), every problem as a sentence an officer can act on.

The schemas are compiled once per process (a few hundred milliseconds) and then reused.
"""

import re
from dataclasses import asdict, dataclass
from functools import cache

from django.utils.translation import gettext as _
from lxml import etree

from . import SDK_DIR
from .catalogue import NAMESPACES, missing_fields

SCHEMAS = {
    "ContractNotice": "UBL-ContractNotice-2.3.xsd",
    "ContractAwardNotice": "UBL-ContractAwardNotice-2.3.xsd",
}
_PREFIXES = {uri: prefix for prefix, uri in NAMESPACES.items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a notice. ``source`` is data (the portal lacks it), terms (a
    mandatory business term is empty) or schema (the XSD refuses the XML)."""

    source: str
    message: str
    code: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@cache
def schema(document: str) -> etree.XMLSchema:
    path = SDK_DIR / "schemas" / "maindoc" / SCHEMAS[document]
    return etree.XMLSchema(etree.parse(str(path)))


def _readable(message: str) -> str:
    """lxml's message with prefixes (cbc:Name) instead of {namespace}Name."""

    def prefixed(match: re.Match) -> str:
        prefix = _PREFIXES.get(match.group(1))
        return f"{prefix}:{match.group(2)}" if prefix else match.group(2)

    return re.sub(r"\{([^}]*)\}([A-Za-z]+)", prefixed, message)


def schema_problems(root: etree._Element) -> list[Problem]:
    document = etree.QName(root).localname
    if document not in SCHEMAS:
        return [Problem("schema", _("Unknown kind of notice: %(root)s.") % {"root": document})]
    checker = schema(document)
    if checker.validate(root):
        return []
    return [
        Problem(
            "schema",
            _("Line %(line)s: %(message)s")
            % {"line": error.line, "message": _readable(error.message)},
        )
        for error in checker.error_log
    ]


def term_problems(root: etree._Element, subtype: str) -> list[Problem]:
    return [
        Problem(
            "terms",
            _("Mandatory business term %(id)s (%(name)s) is empty.")
            % {"id": field.id, "name": field.name},
            code=field.id,
        )
        for field in missing_fields(root, subtype)
    ]


def validate(xml: bytes, subtype: str, gaps: list[str] = ()) -> list[Problem]:  # type: ignore[assignment]
    """Every problem of the notice, those the portal can name in its own words first."""
    root = etree.fromstring(xml)
    problems = [Problem("data", gap) for gap in gaps]
    problems += term_problems(root, subtype)
    problems += schema_problems(root)
    return problems
