"""Version 1 of the REST API. Each app adds its routes under /api/v1/."""

from django.urls import path

from .views import MeView, PublicOrganisationList

urlpatterns = [
    path("organisations/", PublicOrganisationList.as_view(), name="api-organisation-list"),
    path("me/", MeView.as_view(), name="api-me"),
]
