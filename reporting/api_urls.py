"""The reporting API, mounted under /api/v1/ by portal/urls.py."""

from django.urls import path

from . import api_opendata

urlpatterns: list = [
    path(
        "opendata/releases/",
        api_opendata.ReleasePackageView.as_view(),
        name="api-opendata-releases",
    ),
    path(
        "opendata/calls/<int:pk>/releases/",
        api_opendata.CallReleasePackageView.as_view(),
        name="api-opendata-call-releases",
    ),
]
