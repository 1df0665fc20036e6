"""The open data API: OCDS 1.1 release packages of published calls, for everyone."""

from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView


class ReleasePackageView(APIView):
    """Every published call as one OCDS release package."""

    permission_classes = [permissions.AllowAny]

    def get(self, request):
        return Response({})


class CallReleasePackageView(APIView):
    """One published call's phases as an OCDS release package."""

    permission_classes = [permissions.AllowAny]

    def get(self, request, pk: int):
        return Response({})
