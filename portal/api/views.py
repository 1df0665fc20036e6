"""The portal's API: the plumbing every app's API shares (domain errors become clear HTTP
answers, changes are attributed to the token's owner), the public list of organisations and
the person's own account.
"""

import contextlib

from auditlog.context import auditlog_value
from rest_framework import generics, permissions
from rest_framework.views import APIView

from ..selectors.identity import public_bodies
from .filters import OrganisationFilter
from .serializers import MeSerializer, OrganisationSerializer


class AuditActorMixin(APIView):
    """Attribute API changes in the audit trail to the token's owner.

    The audit log's middleware runs before DRF authenticates a token, so it saw nobody;
    tell it who acts once DRF knows.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated:
            with contextlib.suppress(LookupError):  # no audit middleware: nothing to tell
                auditlog_value.get()["actor"] = request.user


class PublicOrganisationList(generics.ListAPIView):
    """Contracting authorities and ministries: public bodies, so public data."""

    serializer_class = OrganisationSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = OrganisationFilter
    ordering_fields = ["name"]
    queryset = public_bodies()


class MeView(generics.RetrieveAPIView):
    """The person behind the session or token, with their organisations and roles."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user
