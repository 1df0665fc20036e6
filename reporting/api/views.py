"""The open data API: OCDS 1.1 release packages of published calls, for everyone.

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

from ..ocds.serving import package_response
from ..selectors.opendata import open_data_call

PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "An OCDS 1.1 release package (release-package-schema.json of OCDS 1.1.5): one release "
        "per phase of each call, phases linked through relatedProcesses."
    ),
)


class ReleasePackageView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        summary=_("The published calls as OCDS release packages, a page at a time"),
        description=_(
            "25 calls per page (?page=2); the package's links.next and links.prev and "
            "the Link header point to the other pages. ETag and Last-Modified answer a "
            "conditional request with 304."
        ),
        parameters=[OpenApiParameter("page", OpenApiTypes.INT, description=_("The page, from 1."))],
        responses={200: PACKAGE, 304: OpenApiResponse(description=_("Not changed."))},
    )
    def get(self, request):
        return package_response(request, uri=reverse("api-opendata-releases"))


class CallReleasePackageView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        summary=_("One published call as an OCDS release package"),
        responses={
            200: PACKAGE,
            304: OpenApiResponse(description=_("Not changed.")),
            404: OpenApiResponse(description=_("No published call.")),
        },
    )
    def get(self, request, pk: int):
        if open_data_call(pk) is None:
            raise Http404
        url = reverse("api-opendata-call-releases", kwargs={"pk": pk})
        return package_response(request, uri=url, pk=pk)
