"""A notice checked before it is sent: against the SDK's XSD, the subtype's mandatory business
terms (``catalogue``) and the SDK's Schematron business rules (``schematron``, when Saxon is
installed).

A problem is stored as data, not as a sentence: its source, a code and the values it needs
(``Problem``). ``describe`` puts it in words in the reader's language when it is shown, so the
officer reading in English sees English even when the notice was prepared by a Dutch colleague.

The schemas are compiled once per process (a few hundred milliseconds, seconds for the
Schematron) and then reused.
"""

import logging
import re
import time
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import get_language, gettext, gettext_lazy
from lxml import etree

from . import SDK_DIR, schematron
from .catalogue import NAMESPACES, catalogue_fields, missing_fields

SCHEMAS = {
    "ContractNotice": "UBL-ContractNotice-2.3.xsd",
    "ContractAwardNotice": "UBL-ContractAwardNotice-2.3.xsd",
}
_PREFIXES = {uri: prefix for prefix, uri in NAMESPACES.items()}
logger = logging.getLogger(__name__)
SOURCES = ("data", "terms", "schema", "rules")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a notice. ``source`` is data (the portal lacks it), terms (a
    mandatory business term is empty), schema (the XSD refuses the XML) or rules (a Schematron
    business rule of the SDK fails). ``code`` names the problem, ``params`` fill its words."""

    source: str
    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"source": self.source, "code": self.code, "params": dict(self.params)}


# --- Words ------------------------------------------------------------------------------------

# What the portal lacks (the builder's gaps), by code.
DATA_MESSAGES = {
    "no_final_award": gettext_lazy("No phase has a final award yet."),
    "no_review_body": gettext_lazy(
        "The review body (the court for complaints) of the authority is missing."
    ),
    "no_city": gettext_lazy("The city of %(name)s is missing."),
    "no_country": gettext_lazy("The country of %(name)s is missing."),
    "no_identifier": gettext_lazy("The identifier (KvK number or OIN) of %(name)s is missing."),
    "no_main_activity": gettext_lazy("The main activity of the contracting authority is missing."),
    "no_cpv": gettext_lazy("The call has no CPV code."),
    "no_nuts": gettext_lazy("The call has no place of performance (NUTS region)."),
    "no_deadline": gettext_lazy("The first phase has no deadline."),
    "no_criteria": gettext_lazy("Phase %(number)s has no criteria."),
    "no_postal_code": gettext_lazy("The postal code of %(name)s is missing."),
    "no_organisation_nuts": gettext_lazy("The region (NUTS 2024) of %(name)s is missing."),
    "no_telephone": gettext_lazy("The telephone number of %(name)s is missing."),
    "no_company_size": gettext_lazy(
        "The size of %(name)s (micro, small, medium-sized or large) is missing."
    ),
    "no_tender_validity": gettext_lazy(
        "The call does not say how long a proposal must remain valid."
    ),
    "no_subcontracting": gettext_lazy(
        "Proposal %(reference)s does not say whether the company subcontracts."
    ),
    "no_tenderer_sizes": gettext_lazy(
        "Phase %(number)s: the size of a company that submitted a proposal is missing, so the "
        "proposals received cannot be counted by size."
    ),
}
# A name the builder gives when the organisation has none (translated when shown).
UNNAMED = {"review_body": gettext_lazy("the review body")}

# A failed Schematron assert, by the kind of test (the SDK's own rule templates, in words).
RULE_MESSAGES = {
    "mandatory": gettext_lazy("%(label)s is mandatory."),
    "mandatory_condition": gettext_lazy("%(label)s is mandatory in this case."),
    "forbidden": gettext_lazy("%(label)s is not allowed."),
    "forbidden_condition": gettext_lazy("%(label)s is not allowed in this case."),
    "not_repeatable": gettext_lazy("%(label)s cannot be repeated."),
    "codelist": gettext_lazy("%(label)s must contain a value from its code list."),
    "pattern": gettext_lazy("%(label)s does not have the required form."),
    "max_length": gettext_lazy("%(label)s cannot be longer than %(length)s characters."),
    "whitespace": gettext_lazy("%(label)s must not have leading or trailing whitespace."),
    "rule": gettext_lazy("%(label)s breaks a business rule of the eForms SDK."),
}
# The SDK's rules the portal's notices are known to break, in words that say what is wrong
# (the SDK's own rule messages are not copied: see the package's docstring). ``number`` is the
# phase: the notice's lot at the rule's place.
RULE_WORDS = {
    # A lot's tender deadline (BT-131) in an open procedure.
    "BR-BT-00131-0022": gettext_lazy(
        "Phase %(number)s has no deadline for receipt of tenders; in an open procedure every "
        "phase needs one."
    ),
    "BR-BT-00131-0105": gettext_lazy(
        "Phase %(number)s gives a deadline for receipt of tenders, which only an open "
        "procedure has."
    ),
    # EndDate > IssueDate, unless the notice is a change notice.
    "BR-BT-00131-0151": gettext_lazy(
        "The deadline for receipt of tenders of phase %(number)s lies on or before the date of "
        "the notice; it must lie after it."
    ),
    # A lot's deadline for requests to participate (BT-1311) in a procedure with a selection.
    "BR-BT-01311-0022": gettext_lazy(
        "Phase %(number)s has no deadline for requests to participate; in this procedure every "
        "phase needs one."
    ),
    "BR-BT-01311-0156": gettext_lazy(
        "The deadline for requests to participate of phase %(number)s lies on or before the "
        "date of the notice; it must lie after it."
    ),
    # Several settled contracts in one lot result, outside a framework agreement or DPS.
    "BR-OPT-00322-0053": gettext_lazy(
        "A phase's result lists several contracts (one per winner); eForms allows several "
        "contracts in one result only for a framework agreement or a dynamic purchasing system."
    ),
}
_LOT_STEP = re.compile(r"cac:ProcurementProjectLot\[(\d+)\]")


def lot_number(location: str) -> int | None:
    """The number of the notice's lot (the phase) a rule's place lies in (None if none)."""
    match = _LOT_STEP.search(location or "")
    return int(match.group(1)) if match else None


_KINDS = [
    (re.compile(r"^count\([^()]*(\([^()]*\)[^()]*)*\) > 0$"), "mandatory"),
    (re.compile(r"^count\([^()]*(\([^()]*\)[^()]*)*\) = 0$"), "forbidden"),
    (re.compile(r"^count\([^()]*(\([^()]*\)[^()]*)*\) > 0 or "), "mandatory_condition"),
    (re.compile(r"^count\([^()]*(\([^()]*\)[^()]*)*\) = 0 or "), "forbidden_condition"),
    (re.compile(r"^count\(.*\) < 2$"), "not_repeatable"),
    (re.compile(r"^normalize-space\(\.\) = \("), "codelist"),
    (re.compile(r"^matches\("), "pattern"),
    (re.compile(r"^string-length\(normalize-space\(\.\)\) le (?P<length>\d+)$"), "max_length"),
    (re.compile(r"^replace\(replace\("), "whitespace"),
]


def rule_kind(test: str) -> tuple[str, dict]:
    """Which of ``RULE_MESSAGES`` a Schematron test is, with the values its words need."""
    for pattern, kind in _KINDS:
        match = pattern.match(test.strip())
        if match:
            return kind, {key: value for key, value in match.groupdict().items() if value}
    return "rule", {}


@cache
def field_names(language: str) -> dict[str, str]:
    """The SDK's names of the fields (``translations/field_<language>.xml``)."""
    path = SDK_DIR / "translations" / f"field_{language}.xml"
    if not path.exists():
        return {}
    names = {}
    for entry in etree.parse(str(path)).getroot().iter("entry"):
        key = entry.get("key") or ""
        if key.startswith("field|name|"):
            names[key.removeprefix("field|name|")] = entry.text or ""
    return names


def field_name(field_id: str) -> str:
    """The SDK's business name of a field in the active language ("" when it has none)."""
    language = (get_language() or "en").split("-")[0]
    return field_names(language).get(field_id) or field_names("en").get(field_id) or ""


def field_label(field_id: str, element: str = "") -> str:
    """'Name' of the field in the active language; words, never an element, when the rule
    names no field the catalogue knows (the element and rule are the technical detail)."""
    name = field_name(field_id) if field_id else ""
    return f"'{name}'" if name else gettext("A value of the notice")


def _xpath_steps(xpath: str) -> str:
    """An XPath without predicates and positions, from the document element down."""
    while True:
        bare = re.sub(r"\[[^\[\]]*\]", "", xpath)
        if bare == xpath:
            break
        xpath = bare
    return re.sub(r"^/[^/]+", "/*", xpath.strip())


@cache
def _fields_by_path() -> dict[str, str]:
    found: dict[str, str] = {}
    for each in catalogue_fields():
        found.setdefault(_xpath_steps(each.get("xpathAbsolute", "")), each["id"])
    return found


def field_at(location: str) -> str:
    """The field of the catalogue whose XPath is the place a rule points at ("" if none)."""
    return _fields_by_path().get(_xpath_steps(location), "") if location else ""


def _rule_field(params: dict) -> str:
    return params.get("field") or field_at(params.get("location", ""))


def problem_field(problem: dict) -> str:
    """The business term a problem is about ("" when none): its code for an empty mandatory
    term, the rule's field (or the one at its place) for a business rule."""
    if problem.get("source") == "terms":
        return str(problem.get("code", ""))
    if problem.get("source") == "rules":
        return _rule_field(dict(problem.get("params") or {}))
    return ""


def describe(problem: dict) -> str:
    """The problem in words, in the active language; no XPath, element or rule number (those
    are ``technical``). Accepts the reports stored before problems were kept as codes (they
    carry their ``message``)."""
    source, code = problem.get("source", ""), problem.get("code", "")
    params = dict(problem.get("params") or {})
    if "params" not in problem and problem.get("message"):
        return str(problem["message"])
    if source == "data" and code in DATA_MESSAGES:
        if params.get("name") in UNNAMED:
            params["name"] = UNNAMED[params["name"]]
        return DATA_MESSAGES[code] % params
    if source == "terms":
        return gettext("%(label)s is empty, but every notice of this kind must say it.") % {
            "label": field_label(code)
        }
    if source == "schema":
        if code == "unknown_document":
            return gettext("The portal made a kind of notice that eForms does not know.")
        return gettext("The notice's XML does not follow the eForms schema.")
    if source == "rules" and code == "not_checked":
        return gettext("The business rules of the eForms SDK could not be checked.")
    if source == "rules":
        lot = lot_number(params.get("location", ""))
        if code in RULE_WORDS:
            return str(RULE_WORDS[code] % {"number": lot or 1})
        kind = params.get("kind", "rule")
        words = RULE_MESSAGES.get(kind, RULE_MESSAGES["rule"]) % {
            "label": field_label(_rule_field(params)),
            "length": params.get("length", ""),
        }
        if lot is not None and lot > 1:
            # Rules of one field in two phases must not read the same (the first phase's is
            # said as the call's: most values of a notice's first lot are).
            words = gettext("Phase %(number)s: %(words)s") % {"number": lot, "words": words}
        if params.get("organisation"):
            return gettext("%(organisation)s: %(words)s") % {
                "organisation": params["organisation"],
                "words": words,
            }
        return str(words)
    return code


def technical(problem: dict) -> str:
    """What a specialist needs to find the problem in the XML: the rule or business term, the
    place (XPath) and the validator's own message. Not translated beyond its frame."""
    source, code = problem.get("source", ""), problem.get("code", "")
    params = dict(problem.get("params") or {})
    if "params" not in problem:
        return ""
    if source == "terms":
        return gettext("Business term %(field)s") % {"field": code}
    if source == "schema":
        if code == "unknown_document":
            return gettext("Document element %(root)s") % {"root": params.get("root", "")}
        return gettext("XSD, line %(line)s: %(message)s") % {
            "line": params.get("line", ""),
            "message": params.get("message", ""),
        }
    if source == "rules" and code == "not_checked":
        return str(params.get("reason", ""))
    if source == "rules":
        field_id = _rule_field(params)
        return gettext("Rule %(rule)s%(field)s, at %(location)s") % {
            "rule": code,
            "field": f" ({field_id})" if field_id else "",
            "location": params.get("location", ""),
        }
    if source == "data":
        return gettext("Portal check %(code)s") % {"code": code}
    return ""


# --- Checks -----------------------------------------------------------------------------------


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
        return [Problem("schema", "unknown_document", {"root": document})]
    checker = schema(document)
    if checker.validate(root):
        return []
    return [
        Problem(
            "schema",
            "xsd",
            {"line": error.line, "message": _readable(error.message)},
        )
        for error in checker.error_log
    ]


def term_problems(root: etree._Element, subtype: str) -> list[Problem]:
    return [Problem("terms", field.id) for field in missing_fields(root, subtype)]


def _element(location: str) -> str:
    """The last step of an SVRL location, with its prefix: ``cbc:ID``."""
    last = location.rstrip("/").rsplit("/", 1)[-1]
    match = re.match(r"(@?)Q\{([^}]*)\}([\w.-]+)", last)
    if match:
        prefix = _PREFIXES.get(match.group(2))
        return f"{match.group(1)}{prefix + ':' if prefix else ''}{match.group(3)}"
    return re.sub(r"\[\d+\]$", "", last)


def _readable_location(location: str) -> str:
    def prefixed(match: re.Match) -> str:
        prefix = _PREFIXES.get(match.group(1))
        return f"{prefix}:" if prefix else ""

    return re.sub(r"Q\{([^}]*)\}", prefixed, location)


def rule_problems(xml: bytes, subtype: str) -> list[Problem]:
    """The SDK's Schematron rules the notice breaks (none when Saxon is not installed)."""
    if not schematron.available():
        return []
    try:
        tests = schematron.rule_tests(f"eforms-{subtype}")
        failures = schematron.check(xml, subtype)
    except Exception as error:  # Saxon or the rules failed: say so, do not lose the notice
        logger.exception("The Schematron rules could not run on a notice of subtype %s", subtype)
        return [Problem("rules", "not_checked", {"reason": str(error)[:300]})]
    problems = []
    parties = parties_of(etree.fromstring(xml)) if failures else []
    for failed in failures:
        kind, extra = rule_kind(tests.get(failed.rule, ""))
        location = _readable_location(failed.location)
        field_id = failed.field
        if not field_id and "_" in failed.rule and not failed.rule.startswith("BR-"):
            field_id = failed.rule.rsplit("_", 1)[0]  # "OPP-122-Business_length"
        params = {
            "kind": kind,
            # The rule's own field, else the catalogue's field at the place it points at.
            "field": field_id or field_at(location),
            "element": _element(failed.location),
            "location": location,
            "role": failed.role,
            **extra,
            **party_at(location, parties),
        }
        problems.append(Problem("rules", failed.rule, params))
    return problems


_ORGANISATION_STEP = re.compile(r"/efac:Organizations(?:\[1\])?/efac:Organization\[(\d+)\]")


def parties_of(root: etree._Element) -> list[dict]:
    """The notice's organisations in order: name and part (buyer, review_body, winner)."""
    buyers = set(
        root.xpath(
            "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID/text()",
            namespaces=NAMESPACES,
        )
    )
    review = set(
        root.xpath(
            "//cac:AppealReceiverParty/cac:PartyIdentification/cbc:ID/text()", namespaces=NAMESPACES
        )
    )
    parties = []
    for company in root.xpath(
        "//efac:Organizations/efac:Organization/efac:Company", namespaces=NAMESPACES
    ):
        ref = "".join(company.xpath("cac:PartyIdentification/cbc:ID/text()", namespaces=NAMESPACES))
        name = "".join(company.xpath("cac:PartyName/cbc:Name/text()", namespaces=NAMESPACES))
        part = "buyer" if ref in buyers else ("review_body" if ref in review else "winner")
        parties.append({"organisation": name, "party": part})
    return parties


def party_at(location: str, parties: list[dict]) -> dict:
    """Which organisation of the notice a place lies in ({} when none)."""
    match = _ORGANISATION_STEP.search(location)
    if not match or int(match.group(1)) > len(parties):
        return {}
    return dict(parties[int(match.group(1)) - 1])


@dataclass
class Timings:
    """Seconds spent per check (for the benchmark)."""

    schema: float = 0.0
    rules: float = 0.0


def validate(
    xml: bytes,
    subtype: str,
    gaps: list[Problem] = (),  # type: ignore[assignment]
    *,
    timings: Timings | None = None,
) -> list[Problem]:
    """Every problem of the notice, those the portal can name in its own words first. The
    Schematron runs on a notice the XSD accepts (its rules assume the structure)."""
    root = etree.fromstring(xml)
    problems = list(gaps)
    problems += term_problems(root, subtype)
    started = time.perf_counter()
    refused = schema_problems(root)
    problems += refused
    checked = time.perf_counter()
    if not refused:
        problems += rule_problems(xml, subtype)
    if timings is not None:
        timings.schema += checked - started
        timings.rules += time.perf_counter() - checked
    return problems
