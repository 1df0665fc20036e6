"""A local stand-in for TenderNed's notice service, for the demo and the tests.

It accepts a notice's XML (HTTP POST to ``/notices``) when it passes the eForms XSD, carries
every mandatory business term of its subtype and breaks no business rule of the eForms SDK with
severity ERROR (the Schematron TED's validation runs), and answers ``201`` with a publication
id; it refuses anything else with ``422``, the reason in words and the validation report (the
rule, field and place of each error). A notice the sender marks for TED
(``X-Forward-To-TED: true``, above the EU threshold) also gets a TED publication number
(``123456-2026``), as TenderNed reports once TED has published it. ``GET /notices/<id>``
returns a published notice's XML. Nothing is kept beyond the process.

Run it for the demo: ``.venv/bin/python -m reporting.publishing_service --port 8370`` and set
``NOTICE_PUBLISHER_URL=http://127.0.0.1:8370/notices``.
"""

import argparse
import itertools
import json
import re
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lxml import etree

from .eforms import schematron
from .eforms.catalogue import NAMESPACES, missing_fields
from .eforms.validation import SCHEMAS, schema

SUBTYPE_XPATH = "//*[local-name()='SubTypeCode']/text()"
SDK_VERSION = "1.15.1"
PREFIXES = {uri: prefix for prefix, uri in NAMESPACES.items()}
# The rules a refusal names in its reason; the report in the answer lists every one.
REASON_RULES = 5


def check(xml: bytes) -> str:
    """Why the notice is refused, or "" when it is fine."""
    return refusal(xml)[0]


def refusal(xml: bytes) -> tuple[str, list[dict]]:
    """Why the notice is refused ("" when it is fine) and the validation report, the way
    TenderNed passes on TED's validation: the XSD first, then the mandatory business terms,
    then every business rule of the eForms SDK with severity ERROR (warnings do not refuse)."""
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as error:
        return f"The XML cannot be read: {error}", []
    document = etree.QName(root).localname
    if document not in SCHEMAS:
        return f"Unknown notice type {document}.", []
    checker = schema(document)
    if not checker.validate(root):
        first = checker.error_log[0]
        return f"XSD: line {first.line}: {first.message}", [
            {"severity": "ERROR", "source": "XSD", "line": error.line, "message": error.message}
            for error in checker.error_log
        ]
    subtypes = root.xpath(SUBTYPE_XPATH)
    if not subtypes:
        return "The notice has no subtype (OPP-070).", []
    subtype = str(subtypes[0])
    missing = missing_fields(root, subtype)
    if missing:
        return "Mandatory business terms missing: " + ", ".join(field.id for field in missing), []
    if not schematron.available():
        return "", []
    errors = [failed for failed in schematron.check(xml, subtype) if failed.role == "ERROR"]
    if not errors:
        return "", []
    report = [
        {
            "severity": failed.role,
            "source": "SCHEMATRON",
            "ruleId": failed.rule,
            "field": failed.field,
            "location": _location(failed.location),
        }
        for failed in errors
    ]
    listed = "; ".join(
        f"[{each['ruleId']}] {each['field'] or 'field'} at {each['location']}"
        for each in report[:REASON_RULES]
    )
    more = f"; and {len(report) - REASON_RULES} more" if len(report) > REASON_RULES else ""
    count = f"{len(report)} error" + ("s" if len(report) > 1 else "")
    return (
        f"Validation failed (eForms SDK {SDK_VERSION} business rules), {count}: {listed}{more}.",
        report,
    )


def _location(location: str) -> str:
    """An SVRL location without namespace URIs: /ContractNotice[1]/cac:…"""
    return re.sub(
        r"Q\{([^}]*)\}",
        lambda match: f"{PREFIXES[match.group(1)]}:" if match.group(1) in PREFIXES else "",
        location,
    )


class Service(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address):
        super().__init__(address, Handler)
        self.numbers = itertools.count(1)
        self.ted_numbers = itertools.count(1)
        self.published: dict[str, bytes] = {}
        self.received: list[dict] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/notices"


class Handler(BaseHTTPRequestHandler):
    server: Service

    def log_message(self, format, *args):
        return

    def _answer(self, code: int, body: dict | bytes, content_type="application/json") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        if self.path.rstrip("/") != "/notices":
            return self._answer(404, {"reason": "Not found."})
        length = int(self.headers.get("Content-Length") or 0)
        xml = self.rfile.read(length)
        with self.server.lock:
            self.server.received.append(
                {"notice_id": self.headers.get("X-Notice-Id", ""), "size": len(xml)}
            )
        reason, report = refusal(xml)
        if reason:
            return self._answer(422, {"reason": reason, "validationReport": report})
        to_ted = self.headers.get("X-Forward-To-TED", "").lower() == "true"
        with self.server.lock:
            number = next(self.server.numbers)
            publication_id = f"LOCAL-{datetime.now(UTC):%Y}-{number:06d}"
            self.server.published[publication_id] = xml
            ted_number = next(self.server.ted_numbers) if to_ted else 0
        host, port = self.server.server_address[:2]
        answer = {
            "publicationId": publication_id,
            "publicationDate": datetime.now(UTC).isoformat(),
            "url": f"http://{host}:{port}/notices/{publication_id}",
        }
        if ted_number:
            answer["tedPublicationNumber"] = f"{ted_number:06d}-{datetime.now(UTC):%Y}"
        return self._answer(201, answer)

    def do_GET(self):
        publication_id = self.path.rstrip("/").rsplit("/", 1)[-1]
        xml = self.server.published.get(publication_id)
        if xml is None:
            return self._answer(404, {"reason": "Not found."})
        return self._answer(200, xml, "application/xml")


def start(host: str = "127.0.0.1", port: int = 0) -> Service:
    """Serve in a background thread; ``port`` 0 takes a free one. Stop with ``shutdown()``."""
    service = Service((host, port))
    threading.Thread(target=service.serve_forever, daemon=True).start()
    return service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8370)
    options = parser.parse_args()
    service = Service((options.host, options.port))
    print(f"Accepting notices at {service.url}")
    service.serve_forever()


if __name__ == "__main__":
    main()
