"""Serving packages over HTTP: a page at a time, streamed, with validators.

Every package is served a page at a time (``?page=2``), each page a complete, valid OCDS
package whose ``links`` (as OCDS 1.1's record packages and its API guidance name them) point
to the next and previous pages, repeated in an HTTP ``Link`` header.

A page is written item by item: each release (or record) is encoded on its own (a stored one
is the JSON text PostgreSQL keeps, not parsed and written again), the chunks are hashed for
the ``ETag`` and then streamed, so no single string of the package is ever built.
``Last-Modified`` is the package's ``publishedDate`` (its newest release: stored releases never
change). A client that sends ``If-None-Match`` or ``If-Modified-Since`` and has the current
page gets a 304 without a body. Anonymous visitors are throttled as the anonymous API is.
"""

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework.throttling import AnonRateThrottle

from .builder import _number, absolute


def package_chunks(package: dict, key: str = "releases") -> Iterator[bytes]:
    """The package as JSON, in pieces: its head, then one release (or record) at a time; an
    item that is text is JSON already (as stored) and is written as it is."""
    head = {name: value for name, value in package.items() if name != key}
    text = json.dumps(head, ensure_ascii=False, indent=1, default=_number)
    yield (text[: text.rindex("}")].rstrip() + f',\n "{key}": [').encode()
    for index, item in enumerate(package[key]):
        if not isinstance(item, str):
            item = json.dumps(item, ensure_ascii=False, indent=1, default=_number)
        yield (",\n" if index else "\n").encode() + item.encode()
    yield b"\n ]\n}\n"


def throttled(request: HttpRequest) -> HttpResponse | None:
    """429 when an anonymous visitor asks more often than the anonymous API allows."""
    throttle = AnonRateThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return None
    response = HttpResponse(status=429, content_type="text/plain")
    wait = throttle.wait()
    if wait is not None:
        response["Retry-After"] = str(max(int(wait), 1))
    return response


def _page_link(uri: str, request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return absolute(f"{uri}?{urlencode(sorted(query.items()))}")


def _respond(
    request: HttpRequest,
    package: dict,
    *,
    seconds: int,
    links: dict,
    filename: str | None,
    key: str = "releases",
) -> HttpResponseBase:
    """The package streamed, with its ETag (of its bytes) and Last-Modified (``seconds``)."""
    chunks = list(package_chunks(package, key))
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    etag = f'"{digest.hexdigest()[:32]}"'
    unchanged = get_conditional_response(request, etag=etag, last_modified=seconds)
    response: HttpResponseBase
    if unchanged is not None:
        response = unchanged
    else:
        response = StreamingHttpResponse(iter(chunks), content_type="application/json")
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(seconds)
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["Vary"] = "Accept-Encoding"
    if links:
        response["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response


def stored_package_response(
    request: HttpRequest,
    package: dict,
    *,
    key: str = "releases",
    links: dict | None = None,
    filename: str | None = None,
) -> HttpResponseBase:
    """A package of stored releases or records: they never change once stored, so the
    package's publishedDate (its newest release) is when it last changed."""
    links = links or {}
    if links:
        package["links"] = links
    seconds = int(datetime.fromisoformat(package["publishedDate"]).timestamp())
    return _respond(request, package, seconds=seconds, links=links, filename=filename, key=key)


def page_of(request: HttpRequest, items, per_page: int, uri: str):
    """The requested page (strict: not a number, or past the end, is a 404) and its links."""
    paginator = Paginator(items, per_page)
    number = request.GET.get("page", "1")
    # ASCII digits only: an empty value, " 2" or "²" is not a page.
    if not (number.isascii() and number.isdigit()):
        raise Http404("not a page number")
    try:
        page = paginator.page(int(number))
    except InvalidPage as error:
        raise Http404(str(error)) from error
    links = {}
    if page.has_next():
        links["next"] = _page_link(uri, request, page.next_page_number())
    if page.has_previous():
        links["prev"] = _page_link(uri, request, page.previous_page_number())
    package_uri = uri if page.number == 1 else _page_link(uri, request, page.number)
    return page, links, package_uri
