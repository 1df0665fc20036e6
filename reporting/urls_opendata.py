"""Open data: published calls and awards as OCDS release packages, for everyone."""

from django.urls import path

from .ocds import views

app_name = "opendata"

urlpatterns: list = [
    path("open-data/", views.index, name="index"),
    path("open-data/releases.json", views.releases, name="releases"),
    path("open-data/calls/<int:pk>/releases.json", views.call_releases, name="call"),
]
