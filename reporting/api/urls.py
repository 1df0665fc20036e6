"""The reporting API, mounted under /api/v1/ by portal/urls.py."""

from django.urls import path

from . import views

urlpatterns: list = [
    path(
        "opendata/releases/",
        views.ReleasePackageView.as_view(),
        name="api-opendata-releases",
    ),
    path(
        "opendata/calls/<int:pk>/releases/",
        views.CallReleasePackageView.as_view(),
        name="api-opendata-call-releases",
    ),
]
