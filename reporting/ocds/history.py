"""Serving the stored releases: release packages (newest first, filtered by ocid and date;
or the current state: each ocid's newest release), record packages (per ocid, and a page of
ocids at a time, as compiled when their releases were stored) and the yearly bulk files.

Bad input is a 404, as for the other open data: a page that is not a number or lies past
the end, an ocid that is not one or that no release has, a date that is not one, a year
without a file.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from ..selectors.opendata import bulk_file, current_releases, stored_records, stored_releases
from .packages import stored_record_package, stored_release_package, valid_ocid
from .serving import page_of, stored_package_response

RELEASES_PER_PAGE = 100
RECORDS_PER_PAGE = 25


def _moment(value: str | None) -> datetime | None:
    """A date (the start of that day, in the portal's time zone) or a moment with its zone."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise Http404(f"{value!r} is not a date") from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _ocid(request: HttpRequest) -> str | None:
    value = request.GET.get("ocid")
    if value is None:
        return None
    if not valid_ocid(value):
        raise Http404("not an ocid")
    return value


def history_response(
    request: HttpRequest, *, uri: str, call_id: int | None = None, filename: str | None = None
) -> HttpResponseBase:
    """A page of stored releases, newest first (``?ocid=``, ``?since=``, ``?until=``)."""
    ocid = _ocid(request)
    since, until = _moment(request.GET.get("since")), _moment(request.GET.get("until"))
    filtered = ocid is not None or since is not None or until is not None
    releases = stored_releases(ocid=ocid, since=since, until=until, call_id=call_id)
    page, links, package_uri = page_of(request, releases, RELEASES_PER_PAGE, uri)
    rows = list(page.object_list)
    if not rows and (filtered or call_id is not None):
        raise Http404("no releases")
    package = stored_release_package(rows, uri=package_uri)
    return stored_package_response(request, package, links=links, filename=filename)


def current_response(
    request: HttpRequest, *, uri: str, call_id: int | None = None, filename: str | None = None
) -> HttpResponseBase:
    """The current state: the newest stored release of each ocid (of one call), by call and
    phase, a page at a time. Every release id in it is one of the history and the records."""
    page, links, package_uri = page_of(request, current_releases(call_id=call_id),
                                       RELEASES_PER_PAGE, uri)  # fmt: skip
    rows = list(page.object_list)
    if not rows and call_id is not None:
        raise Http404("no releases")
    package = stored_release_package(rows, uri=package_uri)
    return stored_package_response(request, package, links=links, filename=filename)


def records_response(request: HttpRequest, *, uri: str) -> HttpResponseBase:
    """A page of records, the most recently changed first (``?ocid=`` for one)."""
    ocid = _ocid(request)
    page, links, package_uri = page_of(request, stored_records(ocid=ocid), RECORDS_PER_PAGE, uri)
    rows = list(page.object_list)
    if not rows and ocid is not None:
        raise Http404("no such ocid")
    package = stored_record_package(rows, uri=package_uri)
    return stored_package_response(request, package, key="records", links=links)


def record_response(request: HttpRequest, *, uri: str, ocid: str) -> HttpResponseBase:
    """The record package of one ocid."""
    if not valid_ocid(ocid):
        raise Http404("not an ocid")
    rows = list(stored_records(ocid=ocid))
    if not rows:
        raise Http404("no such ocid")
    package = stored_record_package(rows, uri=uri)
    return stored_package_response(request, package, key="records", filename=f"{ocid}-record.json")


def bulk_response(request: HttpRequest, *, year: int) -> HttpResponseBase:
    """The year's bulk file, with Content-Length, ETag (its SHA-256) and Last-Modified."""
    bulk = bulk_file(year)
    if bulk is None:
        raise Http404("no file for that year")
    etag = f'"{bulk.sha256[:32]}"'
    seconds = int(bulk.built_at.timestamp())
    unchanged = get_conditional_response(request, etag=etag, last_modified=seconds)
    response: HttpResponseBase
    if unchanged is not None:
        response = unchanged
    else:
        try:
            handle = storages["private"].open(bulk.path, "rb")
        except FileNotFoundError as error:
            raise Http404("the file is being rebuilt") from error
        filename = f"innovatieloket-ocds-releases-{bulk.year}.jsonl.gz"
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type="application/gzip"
        )
        # The row and the file go together: a rebuild makes a new file and a new row.
        response["Content-Length"] = str(bulk.size)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(seconds)
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
