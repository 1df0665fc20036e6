"""Serving release packages over HTTP: a page of calls per package, streamed, with validators.

Every published call at once grew to tens of megabytes built in memory; so the package of all
calls is served a page of calls at a time (``?page=2``), each page a complete, valid OCDS
release package whose ``links`` (as OCDS 1.1's record packages and its API guidance name them)
point to the next and previous pages, repeated in an HTTP ``Link`` header.

A page is written release by release: each release is encoded on its own, the chunks are
hashed for the ``ETag`` and then streamed, so no single string of the package is ever built.
``Last-Modified`` is the package's ``publishedDate`` (the latest change to anything in it). A
client that sends ``If-None-Match`` or ``If-Modified-Since`` and has the current page gets a
304 without a body. Anonymous visitors are throttled as the anonymous API is.
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
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework.throttling import AnonRateThrottle

from ..selectors.opendata import open_data_calls
from .builder import _number, absolute, package_for

CALLS_PER_PAGE = 25  # about 6 ms a call to build: a page well under 200 ms


def package_chunks(package: dict, key: str = "releases") -> Iterator[bytes]:
    """The package as JSON, in pieces: its head, then one release (or record) at a time."""
    head = {name: value for name, value in package.items() if name != key}
    text = json.dumps(head, ensure_ascii=False, indent=1, default=_number)
    yield (text[: text.rindex("}")].rstrip() + f',\n "{key}": [').encode()
    for index, release in enumerate(package[key]):
        body = json.dumps(release, ensure_ascii=False, indent=1, default=_number)
        yield (",\n" if index else "\n").encode() + body.encode()
    yield b"\n ]\n}\n"


def _last_change(package: dict) -> datetime:
    """When the package last changed: its publishedDate (the latest change to the data), or
    the latest deadline that has passed since (a release's tender status and number of
    tenderers change when its deadline passes, without any record changing)."""
    moments = [datetime.fromisoformat(package["publishedDate"])]
    now = timezone.now()
    for release in package["releases"]:
        end = (release.get("tender", {}).get("tenderPeriod") or {}).get("endDate")
        if end and datetime.fromisoformat(end) <= now:
            moments.append(datetime.fromisoformat(end))
    return max(moments)


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


def package_response(
    request: HttpRequest, *, uri: str, pk: int | None = None, filename: str | None = None
) -> HttpResponseBase:
    """The release package of one call (``pk``) or of a page of every call, as a response."""
    calls = open_data_calls()
    links = {}
    if pk is not None:
        package = package_for(calls.filter(pk=pk), uri=uri)
    else:
        paginator = Paginator(calls.values_list("pk", flat=True), CALLS_PER_PAGE)
        try:
            # Strict, unlike the HTML lists: a client of the data asked for something else.
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(str(error)) from error
        package_uri = uri if page.number == 1 else _page_link(uri, request, page.number)
        package = package_for(calls.filter(pk__in=list(page.object_list)), uri=package_uri)
        if page.has_next():
            links["next"] = _page_link(uri, request, page.next_page_number())
        if page.has_previous():
            links["prev"] = _page_link(uri, request, page.previous_page_number())
        if links:
            package["links"] = links
    seconds = int(_last_change(package).timestamp())
    return _respond(request, package, seconds=seconds, links=links, filename=filename)


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
