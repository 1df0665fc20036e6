"""Where notices go: TenderNed (which forwards EU-threshold notices to TED), or a local service
for the demo and the tests. Chosen with ``NOTICE_PUBLISHER`` (``tenderned`` or ``local``).

A publisher answers one question: here is a notice's XML, publish it. Its answer is either
*accepted* (with the publication's identifier, date and address) or *rejected* (with the
publisher's reason), both final; anything else (no connection, a timeout, a server error) raises
``PublisherUnavailable`` and the sending task tries again later.

The TenderNed implementation speaks the plain shape of TenderNed's eSender interface: an HTTP
POST of the XML with basic authentication and the authority's TenderNed identifier, answered
with JSON. The local service (``reporting.publishing_service``) answers in the same shape.
A notice above the EU threshold is forwarded to TED (``X-Forward-To-TED``); the answer then
carries TED's publication number (``tedPublicationNumber``, e.g. ``123456-2026``) as well.
"""

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class PublisherUnavailable(Exception):
    """The publisher did not answer (network, timeout, 5xx): try again later."""


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    publication_id: str = ""
    published_at: datetime | None = None
    url: str = ""
    reason: str = ""
    ted_id: str = ""


class Publisher(Protocol):
    name: str

    def publish(
        self, *, xml: bytes, notice_id: str, authority_id: str, forward_to_ted: bool = False
    ) -> Outcome: ...


class HttpPublisher:
    """POSTs the XML to ``endpoint``; 2xx is an acceptance, 4xx a rejection with its reason."""

    name = "http"

    def __init__(self, *, endpoint: str, username: str = "", password: str = "", timeout=20):
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.timeout = timeout

    def _request(
        self, xml: bytes, notice_id: str, authority_id: str, forward_to_ted: bool
    ) -> urllib.request.Request:
        headers = {
            "Content-Type": "application/xml; charset=utf-8",
            "Accept": "application/json",
            "X-Notice-Id": notice_id,
            "X-Forward-To-TED": "true" if forward_to_ted else "false",
        }
        if authority_id:
            headers["X-Authority-Id"] = authority_id
        if self.username:
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        return urllib.request.Request(self.endpoint, data=xml, headers=headers, method="POST")  # noqa: S310  (the endpoint comes from the settings)

    def publish(
        self, *, xml: bytes, notice_id: str, authority_id: str, forward_to_ted: bool = False
    ) -> Outcome:
        if not self.endpoint.startswith(("http://", "https://")):
            raise PublisherUnavailable(f"No publisher endpoint configured ({self.endpoint!r}).")
        request = self._request(xml, notice_id, authority_id, forward_to_ted)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = _json(response.read())
        except urllib.error.HTTPError as error:
            body = _json(error.read())
            if 400 <= error.code < 500:
                return Outcome(
                    accepted=False,
                    reason=str(body.get("reason") or body.get("message") or error.reason),
                )
            raise PublisherUnavailable(f"{error.code} {error.reason}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise PublisherUnavailable(str(error)) from error
        publication_id = str(body.get("publicationId") or "")
        if not publication_id:
            raise PublisherUnavailable("The publisher answered without a publication id.")
        return Outcome(
            accepted=True,
            publication_id=publication_id,
            published_at=parse_datetime(str(body.get("publicationDate") or "")) or timezone.now(),
            url=str(body.get("url") or ""),
            ted_id=str(body.get("tedPublicationNumber") or ""),
        )


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return {"reason": raw.decode("utf-8", "replace")[:500]}
    return value if isinstance(value, dict) else {}


class TenderNedPublisher(HttpPublisher):
    name = "tenderned"


class LocalPublisher(HttpPublisher):
    name = "local"


def publisher() -> Publisher:
    """The publisher the settings choose."""
    if settings.NOTICE_PUBLISHER == "tenderned":
        return TenderNedPublisher(
            endpoint=settings.TENDERNED_URL,
            username=settings.TENDERNED_USERNAME,
            password=settings.TENDERNED_PASSWORD,
        )
    return LocalPublisher(endpoint=settings.NOTICE_PUBLISHER_URL)
