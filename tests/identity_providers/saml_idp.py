"""A local eHerkenning broker (SAML 2.0 identity provider) for tests and development.

It speaks what django-digid-eherkenning expects of a real broker: the signed AuthnRequest
arrives by HTTP-POST; after "logging in" the person is sent back with an artifact (HTTP-Artifact
binding); the portal resolves the artifact over SOAP with a signed ArtifactResolve and gets the
Response, whose Assertion is signed with the broker's key and carries the person's pseudonym
encrypted for the portal. Nothing is mocked on the portal's side.

    python -m tests.identity_providers.saml_idp --port 8161 --key idp.key --cert idp.crt \
        --sp-cert sp.crt

The login page is a form (no JavaScript) where a tester chooses the company (KvK number, or
EUID for eIDAS), the person's pseudonym and the level of assurance, or cancels. ``tamper=1``
changes the KvK number after signing, to prove the portal checks the signature.
"""

import argparse
import base64
import hashlib
import html
import secrets
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils

NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "soap": "http://schemas.xmlsoap.org/soap/envelope/",
}
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
KVK = "urn:etoegang:1.9:EntityConcernedID:KvKnr"
PSEUDO = "urn:etoegang:1.9:EntityConcernedID:Pseudo"


def instant(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    return "_" + secrets.token_hex(20)


class Broker:
    def __init__(self, *, url: str, entity_id: str, key: str, cert: str, sp_cert: str):
        self.url, self.entity_id = url, entity_id
        self.key, self.cert, self.sp_cert = key, cert, sp_cert
        self.requests: dict[str, dict] = {}  # AuthnRequest ID -> what the SP asked
        self.artifacts: dict[bytes, str] = {}  # message handle -> Response XML
        self.lock = threading.Lock()

    # --- metadata ---------------------------------------------------------------------
    def metadata(self) -> str:
        cert = "".join(line for line in self.cert.splitlines() if "-----" not in line)
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
  xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID={quoteattr(self.entity_id)}>
  <md:IDPSSODescriptor WantAuthnRequestsSigned="true"
    protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{cert}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP"
      Location="{self.url}/ars" index="1"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="{self.url}/sso"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
      Location="{self.url}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""

    # --- the AuthnRequest ---------------------------------------------------------------
    def accept_authn_request(self, saml_request: str) -> str:
        xml = base64.b64decode(saml_request)
        if not OneLogin_Saml2_Utils.validate_sign(
            xml, cert=self.sp_cert, xpath="/samlp:AuthnRequest/ds:Signature"
        ):
            raise ValueError("the AuthnRequest is not signed by the service provider")
        request = etree.fromstring(xml)
        request_id = request.get("ID")
        with self.lock:
            self.requests[request_id] = {
                "acs": request.get("AssertionConsumerServiceURL"),
                "sp": request.findtext("saml:Issuer", namespaces=NS),
                "service_index": request.get("AttributeConsumingServiceIndex", ""),
            }
        return request_id

    # --- the Response behind an artifact ------------------------------------------------
    def login(self, form: dict) -> str:
        """Make the Response for the person's choice; the address to send them back to."""
        with self.lock:
            asked = self.requests.pop(form["request_id"])
        now = datetime.now(UTC)
        if form.get("action") == "cancel":
            status = (
                '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">'
                '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/>'
                "</samlp:StatusCode>"
            )
            assertion = ""
        else:
            status = f'<samlp:StatusCode Value="{SUCCESS}"/>'
            assertion = self.assertion(form, asked, form["request_id"], now)
        response = (
            f'<samlp:Response xmlns:samlp="{NS["samlp"]}" xmlns:saml="{NS["saml"]}" '
            f'ID="{new_id()}" Version="2.0" IssueInstant="{instant(now)}" '
            f"Destination={quoteattr(asked['acs'])} InResponseTo={quoteattr(form['request_id'])}>"
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            f"<samlp:Status>{status}</samlp:Status>{assertion}</samlp:Response>"
        )
        handle = secrets.token_bytes(20)
        with self.lock:
            self.artifacts[handle] = response
        artifact = base64.b64encode(
            b"\x00\x04\x00\x01" + hashlib.sha1(self.entity_id.encode()).digest() + handle
        ).decode()
        query = urlencode({"SAMLart": artifact, "RelayState": form.get("relay_state", "")})
        return f"{asked['acs']}?{query}"

    def assertion(self, form: dict, asked: dict, request_id: str, now: datetime) -> str:
        acting = OneLogin_Saml2_Utils.generate_name_id(
            form.get("acting_subject", "persoon-1"),
            None,
            sp_format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            cert=self.sp_cert,
            nq="urn:etoegang:EB:00000003244440010000:entities:9009",
        )
        if form.get("euid"):
            legal = f'<saml:NameID NameQualifier="{PSEUDO}">{secrets.token_hex(8)}</saml:NameID>'
            extra = self.attribute(
                "http://eidas.europa.eu/attributes/legalperson/EUIdentifier", form["euid"]
            ) + self.attribute(
                "http://eidas.europa.eu/attributes/legalperson/LegalName",
                form.get("company_name", ""),
            )
        else:
            legal = f'<saml:NameID NameQualifier="{KVK}">{escape(form["kvk_number"])}</saml:NameID>'
            extra = self.attribute(
                "urn:etoegang:1.11:attribute-represented:CompanyName", form.get("company_name", "")
            )
        later = instant(now + timedelta(minutes=5))
        assertion = (
            f'<saml:Assertion xmlns:saml="{NS["saml"]}" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'ID="{new_id()}" Version="2.0" IssueInstant="{instant(now)}">'
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            "<saml:Subject>"
            '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">'
            f"{secrets.token_hex(16)}</saml:NameID>"
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f"<saml:SubjectConfirmationData InResponseTo={quoteattr(request_id)} "
            f'NotOnOrAfter="{later}" Recipient={quoteattr(asked["acs"])}/>'
            "</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{instant(now - timedelta(minutes=1))}" '
            f'NotOnOrAfter="{later}"><saml:AudienceRestriction>'
            f"<saml:Audience>{escape(asked['sp'])}</saml:Audience>"
            "</saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{instant(now)}"><saml:AuthnContext>'
            f"<saml:AuthnContextClassRef>{escape(form['loa'])}</saml:AuthnContextClassRef>"
            "</saml:AuthnContext></saml:AuthnStatement>"
            "<saml:AttributeStatement>"
            + self.attribute("urn:etoegang:core:ServiceIndex", asked["service_index"])
            + '<saml:Attribute Name="urn:etoegang:core:ActingSubjectID">'
            f"<saml:AttributeValue>{acting}</saml:AttributeValue></saml:Attribute>"
            '<saml:Attribute Name="urn:etoegang:core:LegalSubjectID">'
            f"<saml:AttributeValue>{legal}</saml:AttributeValue></saml:Attribute>"
            + extra
            + "</saml:AttributeStatement></saml:Assertion>"
        )
        signed = OneLogin_Saml2_Utils.add_sign(assertion, self.key, self.cert)
        signed = signed.decode() if isinstance(signed, bytes) else signed
        if form.get("tamper"):
            signed = signed.replace(f">{form['kvk_number']}<", ">99999999<")
        return signed

    @staticmethod
    def attribute(name: str, value: str) -> str:
        if not value:
            return ""
        return (
            f"<saml:Attribute Name={quoteattr(name)}>"
            f'<saml:AttributeValue xsi:type="xs:string">{escape(value)}</saml:AttributeValue>'
            "</saml:Attribute>"
        )

    # --- resolving the artifact ---------------------------------------------------------
    def resolve(self, soap: bytes) -> str:
        envelope = etree.fromstring(soap)
        resolve = envelope.find("soap:Body/samlp:ArtifactResolve", NS)
        if resolve is None or not OneLogin_Saml2_Utils.validate_sign(
            etree.tostring(resolve), cert=self.sp_cert, xpath="/samlp:ArtifactResolve/ds:Signature"
        ):
            raise ValueError("the ArtifactResolve is missing or not signed by the SP")
        handle = base64.b64decode(resolve.findtext("samlp:Artifact", namespaces=NS))[24:44]
        with self.lock:
            response = self.artifacts.pop(handle, "")  # an artifact works once
        return (
            f'<soap:Envelope xmlns:soap="{NS["soap"]}"><soap:Body>'
            f'<samlp:ArtifactResponse xmlns:samlp="{NS["samlp"]}" xmlns:saml="{NS["saml"]}" '
            f'ID="{new_id()}" Version="2.0" IssueInstant="{instant(datetime.now(UTC))}" '
            f"InResponseTo={quoteattr(resolve.get('ID'))}>"
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            f'<samlp:Status><samlp:StatusCode Value="{SUCCESS}"/></samlp:Status>'
            f"{response}</samlp:ArtifactResponse></soap:Body></soap:Envelope>"
        )


LOGIN_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Local eHerkenning broker</title></head><body><main>
<h1>Local eHerkenning broker (tests and development)</h1>
<form method="post" action="/login">
<input type="hidden" name="request_id" value={request_id}>
<input type="hidden" name="relay_state" value={relay_state}>
<p><label for="kvk">KvK number</label> <input id="kvk" name="kvk_number" value="12345678"></p>
<p><label for="euid">EUID (eIDAS, instead of KvK)</label> <input id="euid" name="euid"></p>
<p><label for="name">Company name</label> <input id="name" name="company_name"></p>
<p><label for="who">Person (pseudonym)</label> <input id="who" name="acting_subject"
 value="persoon-1"></p>
<p><label for="loa">Level of assurance</label> <select id="loa" name="loa">
<option value="urn:etoegang:core:assurance-class:loa2">EH2</option>
<option value="urn:etoegang:core:assurance-class:loa3" selected>EH3</option>
<option value="urn:etoegang:core:assurance-class:loa4">EH4</option></select></p>
<button type="submit" name="action" value="login">Log in</button>
<button type="submit" name="action" value="cancel">Cancel</button>
</form></main></body></html>"""


def handler_for(broker: Broker):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet; the test log shows failures only
            pass

        def _send(self, status: int, body: str, content_type="text/html; charset=utf-8", **hdr):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in hdr.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _form(self) -> dict:
            length = int(self.headers.get("Content-Length", 0))
            return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

        def do_GET(self):
            if self.path == "/health":
                self._send(200, "ok", "text/plain")
            elif self.path == "/metadata":
                self._send(200, broker.metadata(), "application/samlmetadata+xml")
            else:
                self._send(404, "not found", "text/plain")

        def do_POST(self):
            try:
                if self.path == "/sso":
                    form = self._form()
                    request_id = broker.accept_authn_request(form["SAMLRequest"])
                    page = LOGIN_PAGE.format(
                        request_id=quoteattr(request_id),
                        relay_state=quoteattr(form.get("RelayState", "")),
                    )
                    self._send(200, page)
                elif self.path == "/login":
                    self._send(302, "", Location=broker.login(self._form()))
                elif self.path == "/ars":
                    length = int(self.headers.get("Content-Length", 0))
                    self._send(200, broker.resolve(self.rfile.read(length)), "text/xml")
                else:
                    self._send(404, "not found", "text/plain")
            except (KeyError, ValueError, etree.XMLSyntaxError) as error:
                self._send(400, html.escape(str(error)), "text/plain")

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--sp-cert", required=True)
    parser.add_argument("--entity-id", default="urn:etoegang:HM:00000003244440010000:entities:9632")
    args = parser.parse_args()
    with open(args.key) as key, open(args.cert) as cert, open(args.sp_cert) as sp_cert:
        broker = Broker(
            url=f"http://127.0.0.1:{args.port}",
            entity_id=args.entity_id,
            key=key.read(),
            cert=cert.read(),
            sp_cert=sp_cert.read(),
        )
    ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(broker)).serve_forever()


if __name__ == "__main__":
    main()
