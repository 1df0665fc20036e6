"""Open data pages: the data set explained, and its release packages to download. No login."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..ocds.builder import ocid_of, ocid_prefix
from ..ocds.history import (
    bulk_response,
    current_response,
    history_response,
    record_response,
    records_response,
)
from ..ocds.serving import throttled
from ..selectors.opendata import bulk_files, open_data_call, open_data_calls

PER_PAGE = 50


@require_GET
def index(request):
    calls = open_data_calls().select_related("authority")
    page = Paginator(calls, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/opendata/index.html",
        {
            "page_obj": page,
            "calls": page.object_list,
            "ocid_prefix": ocid_prefix(),
            "example_ocid": ocid_of(42, 2),
            "bulk_files": list(bulk_files()),
        },
    )


@require_GET
def releases(request):
    """The current state: each ocid's newest stored release, a page at a time (``?page=``)."""
    refused = throttled(request)
    if refused is not None:
        return refused
    url = reverse("opendata:releases")
    return current_response(request, uri=url, filename="innovatieloket-ocds.json")


@require_GET
def call_releases(request, pk: int):
    """The current state of one call: the newest stored release of each of its phases."""
    refused = throttled(request)
    if refused is not None:
        return refused
    call = open_data_call(pk)
    if call is None:
        raise Http404
    url = reverse("opendata:call", kwargs={"pk": pk})
    return current_response(
        request, uri=url, call_id=pk, filename=f"innovatieloket-ocds-{call.reference}.json"
    )


@require_GET
def history(request):
    """The stored releases, newest first, a page at a time (``?ocid=``, ``?since=``,
    ``?until=``)."""
    refused = throttled(request)
    if refused is not None:
        return refused
    return history_response(request, uri=reverse("opendata:history"))


@require_GET
def call_history(request, pk: int):
    """Every stored release of one published call, newest first."""
    refused = throttled(request)
    if refused is not None:
        return refused
    call = open_data_call(pk)
    if call is None:
        raise Http404
    url = reverse("opendata:call_history", kwargs={"pk": pk})
    return history_response(
        request, uri=url, call_id=pk, filename=f"innovatieloket-ocds-{call.reference}-releases.json"
    )


@require_GET
def records(request):
    refused = throttled(request)
    if refused is not None:
        return refused
    return records_response(request, uri=reverse("opendata:records"))


@require_GET
def record(request, ocid: str):
    refused = throttled(request)
    if refused is not None:
        return refused
    url = reverse("opendata:record", kwargs={"ocid": ocid})
    return record_response(request, uri=url, ocid=ocid)


@require_GET
def bulk(request, year: int):
    refused = throttled(request)
    if refused is not None:
        return refused
    return bulk_response(request, year=year)
