"""The SDK's Schematron business rules (``sdk/1.15.1/schematrons/static``), run with Saxon-HE.

The SDK ships the rules as ISO Schematron (``queryBinding="xslt2"``), not as compiled XSLT.
This module compiles the phase of one notice subtype (``eforms-16``, ``eforms-29``: the
patterns ``complete-validation.sch`` lists for it) into an XSLT 3.0 stylesheet that writes an
SVRL report, the way ISO Schematron defines it:

- every pattern walks the whole document (its own mode); within a pattern a node is taken by
  the first rule whose context matches it (the template priorities follow the rules' order),
  attributes included;
- the schema's and the patterns' ``let``s are global variables, a rule's ``let``s local ones;
- an ``assert`` whose test is false becomes a ``svrl:failed-assert`` with its id, role,
  location, the field it concerns (``diagnostics``) and its message key.

Only the rule files of the subtypes the portal makes are in the project. Compiling takes a few
seconds, so each process compiles a phase once and keeps the executable (``_executable``); a
Celery worker process does so as it starts when ``EFORMS_SCHEMATRON_WARM_UP`` is on
(``warm_up_on_worker_start``, connected in reporting/apps.py), in a thread of its own, so that
the process starts at once and the first notice checked waits at most for the rest of it.
Validation is on when ``saxonche`` can be imported (``available()``).
"""

import logging
import threading
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import quoteattr

from lxml import etree

from . import SDK_DIR

SCH = "http://purl.oclc.org/dsdl/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"
STATIC_DIR = SDK_DIR / "schematrons" / "static"
MAIN = STATIC_DIR / "complete-validation.sch"

_lock = threading.Lock()
logger = logging.getLogger(__name__)
# The subtypes the portal makes (reporting/eforms/builder.py): competition and change, result.
SUBTYPES = ("16", "29")


@dataclass(frozen=True)
class FailedAssert:
    """One rule the notice breaks: the rule's id, ERROR or WARN, where, which field."""

    rule: str
    role: str
    location: str
    field: str

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "role": self.role,
            "location": self.location,
            "field": self.field,
        }


def available() -> bool:
    try:
        import saxonche  # noqa: F401
    except ImportError:  # pragma: no cover - the dependency is declared
        return False
    return MAIN.exists()


def _q(tag: str) -> str:
    return f"{{{SCH}}}{tag}"


def _phase_patterns(main: etree._Element, phase: str) -> list[str]:
    for element in main.iter(_q("phase")):
        if element.get("id") == phase:
            return [active.get("pattern") for active in element.iter(_q("active"))]
    raise LookupError(f"The SDK has no Schematron phase {phase}.")


def _patterns(main: etree._Element, names: list[str]) -> list[etree._Element]:
    """The phase's patterns, from the included files that are in the project."""
    found: dict[str, etree._Element] = {}
    for include in main.iter(_q("include")):
        path = STATIC_DIR / include.get("href")
        if not path.exists():
            continue
        pattern = etree.parse(str(path)).getroot()
        if pattern.get("id") in names:
            found[pattern.get("id")] = pattern
    missing = [name for name in names if name not in found]
    if missing:
        raise LookupError(f"Schematron patterns missing from the project: {missing}")
    return [found[name] for name in names]


def _variable(let: etree._Element) -> str:
    return f"<xsl:variable name={quoteattr(let.get('name'))} select={quoteattr(let.get('value'))}/>"


def _assert(element: etree._Element, diagnostics: dict[str, str]) -> str:
    rule = element.get("id") or ""
    field = (element.get("diagnostics") or "").split(" ")[0]
    see = diagnostics.get(field, field)
    negation = "not(" + element.get("test") + ")"
    return (
        f"<xsl:if test={quoteattr(negation)}>"
        f"<svrl:failed-assert id={quoteattr(rule)} role={quoteattr(element.get('role') or 'ERROR')}"
        f' location="{{path()}}" see={quoteattr(see)}/>'
        "</xsl:if>"
    )


@cache
def _main() -> etree._Element:
    return etree.parse(str(MAIN)).getroot()


@cache
def _phase(phase: str) -> tuple[etree._Element, ...]:
    main = _main()
    return tuple(_patterns(main, _phase_patterns(main, phase)))


@cache
def rule_tests(phase: str) -> dict[str, str]:
    """Each assert's id with its test (to say in words what kind of rule failed)."""
    return {
        element.get("id"): element.get("test") or ""
        for pattern in _phase(phase)
        for element in pattern.iter(_q("assert"))
    }


def compile_phase(phase: str) -> str:
    """The XSLT 3.0 text of ``phase`` (an SVRL report of the failed asserts)."""
    main = _main()
    patterns = _phase(phase)
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in main.iter(_q("ns"))}
    diagnostics = {
        diagnostic.get("id"): (diagnostic.get("see") or "").removeprefix("field:")
        for diagnostic in main.iter(_q("diagnostic"))
    }
    declarations = " ".join(
        f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in namespaces.items() if prefix != "xsl"
    )
    parts = [
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        f'xmlns:svrl="{SVRL}" {declarations} exclude-result-prefixes="#all">',
        '<xsl:output method="xml" indent="no"/>',
    ]
    parts += [_variable(let) for let in main.findall(_q("let"))]
    for pattern in patterns:
        parts += [_variable(let) for let in pattern.findall(_q("let"))]
    runs = "".join(
        f"<svrl:active-pattern id={quoteattr(pattern.get('id'))}/>"
        f'<xsl:apply-templates select="/" mode="p{index}"/>'
        for index, pattern in enumerate(patterns)
    )
    parts.append(
        f'<xsl:template match="/"><svrl:schematron-output phase={quoteattr(phase)}>'
        f"{runs}</svrl:schematron-output></xsl:template>"
    )
    for index, pattern in enumerate(patterns):
        mode = f"p{index}"
        rules = pattern.findall(_q("rule"))
        for order, rule in enumerate(rules):
            body = [_variable(let) for let in rule.findall(_q("let"))]
            body += [_assert(element, diagnostics) for element in rule.findall(_q("assert"))]
            parts.append(
                f"<xsl:template match={quoteattr(rule.get('context'))} mode={quoteattr(mode)}"
                f' priority="{len(rules) - order + 1}">'
                + "".join(body)
                + f'<xsl:apply-templates select="@*|node()" mode="{mode}"/></xsl:template>'
            )
        parts.append(
            f'<xsl:template match="@*|node()" mode="{mode}" priority="0">'
            f'<xsl:apply-templates select="@*|node()" mode="{mode}"/></xsl:template>'
        )
    parts.append("</xsl:stylesheet>")
    return "\n".join(parts)


@cache
def _processor():
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@cache
def _executable(phase: str):
    compiler = _processor().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_text=compile_phase(phase))


def svrl(xml: bytes, subtype: str) -> bytes:
    """The SVRL report of the notice against its subtype's phase."""
    with _lock:
        executable = _executable(f"eforms-{subtype}")
        document = _processor().parse_xml(xml_text=xml.decode("utf-8"))
        return executable.transform_to_string(xdm_node=document).encode("utf-8")


def failed_asserts(report: bytes) -> list[FailedAssert]:
    root = etree.fromstring(report)
    return [
        FailedAssert(
            rule=element.get("id") or "",
            role=element.get("role") or "ERROR",
            location=element.get("location") or "",
            field=element.get("see") or "",
        )
        for element in root.iter(f"{{{SVRL}}}failed-assert")
    ]


def check(xml: bytes, subtype: str) -> list[FailedAssert]:
    """The asserts the notice fails (empty when it passes)."""
    return failed_asserts(svrl(xml, subtype))


def warm_up() -> None:
    """Compile the rules of every subtype the portal makes, now, in this process."""
    if not available():
        return
    for subtype in SUBTYPES:
        with _lock:
            _executable(f"eforms-{subtype}")


def _warm_up_logged() -> None:
    try:
        warm_up()
    except Exception:  # the first check compiles (and reports) again
        logger.exception("The eForms Schematron rules could not be compiled in advance")


def warm_up_on_worker_start(**kwargs) -> threading.Thread | None:
    """Celery's worker_process_init: compile the rules in the background when the setting asks
    (the worker's start-up has a few seconds' limit; the compilation takes longer). Returns
    the thread (or None)."""
    from django.conf import settings

    if not settings.EFORMS_SCHEMATRON_WARM_UP:
        return None
    thread = threading.Thread(target=_warm_up_logged, name="schematron-warm-up", daemon=True)
    thread.start()
    return thread
