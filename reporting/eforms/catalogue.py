"""The field catalogue of the eForms SDK (``fields/fields.json``): which business terms a notice
subtype must carry, and where each one lives in the XML.

A field is *mandatory* for a subtype when its ``mandatory`` property has a constraint for that
subtype with the value true and no condition; conditional ones (mandatory only when another
term has some value) are the Schematron's business, which this portal does not run.
"""

import json
from dataclasses import dataclass
from functools import cache

from lxml import etree

from . import SDK_DIR

NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}


@dataclass(frozen=True)
class Field:
    id: str
    bt: str
    name: str
    xpath: str


def catalogue_fields() -> list[dict]:
    """Every field of the catalogue, as ``fields.json`` describes it."""
    return _fields()


@cache
def _fields() -> list[dict]:
    with (SDK_DIR / "fields" / "fields.json").open(encoding="utf-8") as source:
        return json.load(source)["fields"]


def _always(prop: dict | None, subtype: str) -> bool:
    if not prop:
        return False
    return any(
        subtype in constraint.get("noticeTypes", ())
        and constraint.get("value") is True
        and "condition" not in constraint
        for constraint in prop.get("constraints", ())
    )


@cache
def mandatory_fields(subtype: str) -> tuple[Field, ...]:
    """The business terms every notice of ``subtype`` must carry, in catalogue order."""
    return tuple(
        Field(id=each["id"], bt=each["btId"], name=each["name"], xpath=each["xpathAbsolute"])
        for each in _fields()
        if _always(each.get("mandatory"), subtype)
    )


@cache
def _compiled(xpath: str) -> etree.XPath:
    return etree.XPath(xpath, namespaces=NAMESPACES)


def is_filled(root: etree._Element, field: Field) -> bool:
    """Whether the notice holds a non-empty value for ``field``."""
    found = _compiled(field.xpath)(root)
    if isinstance(found, list):
        return any(
            (value if isinstance(value, str) else (value.text or "")).strip() for value in found
        )
    return bool(found)


def missing_fields(root: etree._Element, subtype: str) -> list[Field]:
    """The mandatory business terms of ``subtype`` that the notice does not fill."""
    return [each for each in mandatory_fields(subtype) if not is_filled(root, each)]
