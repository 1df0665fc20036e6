"""The open data API: OCDS 1.1 release packages of published calls, for everyone.

The same packages as the downloads on /open-data/, read by reporting.ocds; no login needed,
drafts never included. Amounts are JSON numbers in euro.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from ..ocds.builder import package_for
from ..selectors.opendata import open_data_call, open_data_calls

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
        summary=_("All published calls as one OCDS release package"),
        responses={200: PACKAGE},
    )
    def get(self, request):
        return Response(package_for(open_data_calls(), uri=reverse("api-opendata-releases")))


class CallReleasePackageView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        summary=_("One published call as an OCDS release package"),
        responses={200: PACKAGE, 404: OpenApiResponse(description=_("No published call."))},
    )
    def get(self, request, pk: int):
        if open_data_call(pk) is None:
            raise Http404
        url = reverse("api-opendata-call-releases", kwargs={"pk": pk})
        return Response(package_for(open_data_calls().filter(pk=pk), uri=url))
