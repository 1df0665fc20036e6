"""Open data pages: the data set explained, and its release packages to download. No login."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..ocds.builder import ocid_of, ocid_prefix, package_for, package_json
from ..selectors.opendata import open_data_call, open_data_calls

PER_PAGE = 50


def json_download(package: dict, filename: str) -> HttpResponse:
    response = HttpResponse(package_json(package), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
        },
    )


@require_GET
def releases(request):
    url = reverse("opendata:releases")
    return json_download(package_for(open_data_calls(), uri=url), "innovatieloket-ocds.json")


@require_GET
def call_releases(request, pk: int):
    call = open_data_call(pk)
    if call is None:
        raise Http404
    url = reverse("opendata:call", kwargs={"pk": pk})
    package = package_for(open_data_calls().filter(pk=pk), uri=url)
    return json_download(package, f"innovatieloket-ocds-{call.reference}.json")
