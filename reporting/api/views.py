"""The open data API: OCDS 1.1 packages of the stored releases and records, for everyone.

The same packages as the downloads on /open-data/, read by reporting.ocds; no login needed,
drafts never included. Amounts are JSON numbers in euro.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.views import APIView

from ..ocds.history import (
    bulk_response,
    current_response,
    history_response,
    record_response,
    records_response,
)
from ..selectors.opendata import open_data_call

PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "An OCDS 1.1 release package (release-package-schema.json of OCDS 1.1.5): the newest "
        "stored release of each contracting process (one per phase of each call, phases "
        "linked through relatedProcesses), the same releases as in the history and records."
    ),
)


class ReleasePackageView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        summary=_("The current state of the published calls as OCDS releases, a page at a time"),
        description=_(
            "The newest stored release of each contracting process, by call and phase, 100 "
            "per page (?page=2); the package's links.next and links.prev and the Link header "
            "point to the other pages. ETag and Last-Modified answer a conditional request "
            "with 304."
        ),
        parameters=[OpenApiParameter("page", OpenApiTypes.INT, description=_("The page, from 1."))],
        responses={200: PACKAGE, 304: OpenApiResponse(description=_("Not changed."))},
    )
    def get(self, request):
        return current_response(request, uri=reverse("api-opendata-releases"))


class CallReleasePackageView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        summary=_("The current state of one published call as an OCDS release package"),
        description=_("The newest stored release of each of the call's phases."),
        responses={
            200: PACKAGE,
            304: OpenApiResponse(description=_("Not changed.")),
            404: OpenApiResponse(description=_("No published call, or no release stored yet.")),
        },
    )
    def get(self, request, pk: int):
        if open_data_call(pk) is None:
            raise Http404
        url = reverse("api-opendata-call-releases", kwargs={"pk": pk})
        return current_response(request, uri=url, call_id=pk)


RELEASES = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "An OCDS 1.1 release package of stored releases (release-package-schema.json of OCDS "
        "1.1.5), newest first; each release is one change to a call and never changes."
    ),
)
RECORDS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "An OCDS 1.1 record package (record-package-schema.json of OCDS 1.1.5): per ocid the "
        "linked releases, the compiled release and the versioned release."
    ),
)
NOT_CHANGED = OpenApiResponse(description=_("Not changed."))
PAGE = OpenApiParameter("page", OpenApiTypes.INT, description=_("The page, from 1."))
OCID = OpenApiParameter("ocid", OpenApiTypes.STR, description=_("Only this contracting process."))


class ReleaseHistoryView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        summary=_("Every stored release, newest first, a page at a time"),
        description=_(
            "100 releases per page; filter by ocid and by date (since inclusive, until "
            "exclusive: a date such as 2026-01-31 or a moment with its time zone). A filter "
            "that matches nothing, a bad ocid or date, or a page past the end is a 404."
        ),
        parameters=[
            PAGE,
            OCID,
            OpenApiParameter("since", OpenApiTypes.STR, description=_("From this date.")),
            OpenApiParameter("until", OpenApiTypes.STR, description=_("Before this date.")),
        ],
        responses={
            200: RELEASES,
            304: NOT_CHANGED,
            404: OpenApiResponse(description=_("Bad input, or nothing matches.")),
        },
    )
    def get(self, request):
        return history_response(request, uri=reverse("api-opendata-history"))


class RecordsView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        operation_id="opendata_records_list",
        summary=_("OCDS records, the most recently changed first, a page at a time"),
        description=_("25 records per page; ?ocid= for one."),
        parameters=[PAGE, OCID],
        responses={
            200: RECORDS,
            304: NOT_CHANGED,
            404: OpenApiResponse(description=_("Bad input, or nothing matches.")),
        },
    )
    def get(self, request):
        return records_response(request, uri=reverse("api-opendata-records"))


class RecordView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        operation_id="opendata_record_retrieve",
        summary=_("The OCDS record of one contracting process"),
        responses={
            200: RECORDS,
            304: NOT_CHANGED,
            404: OpenApiResponse(description=_("Not an ocid, or no releases for it.")),
        },
    )
    def get(self, request, ocid: str):
        url = reverse("api-opendata-record", kwargs={"ocid": ocid})
        return record_response(request, uri=url, ocid=ocid)


class BulkFileView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        summary=_("Every release of one year, one per line (JSON Lines, gzip)"),
        responses={
            (200, "application/gzip"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The year's bulk file.")
            ),
            304: NOT_CHANGED,
            404: OpenApiResponse(description=_("No file for that year.")),
        },
    )
    def get(self, request, year: int):
        return bulk_response(request, year=year)
