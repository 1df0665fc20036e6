"""Version 1 of the REST API. Each app adds its routes under /api/v1/."""

import django_filters
from django.urls import path
from rest_framework import generics, permissions

from .models import Organisation
from .serializers import MeSerializer, OrganisationSerializer


class OrganisationFilter(django_filters.FilterSet):
    class Meta:
        model = Organisation
        fields = ["kind", "authority_tier"]


class PublicOrganisationList(generics.ListAPIView):
    """Contracting authorities and ministries: public bodies, so public data."""

    serializer_class = OrganisationSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = OrganisationFilter
    ordering_fields = ["name"]
    queryset = Organisation.objects.exclude(kind=Organisation.Kind.COMPANY).order_by("name")


class MeView(generics.RetrieveAPIView):
    """The person behind the session or token, with their organisations and roles."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user


urlpatterns = [
    path("organisations/", PublicOrganisationList.as_view(), name="api-organisation-list"),
    path("me/", MeView.as_view(), name="api-me"),
]
