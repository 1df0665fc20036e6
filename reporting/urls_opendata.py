"""Open data: published calls and awards as OCDS release packages, for everyone."""

from django.urls import path  # noqa: F401

app_name = "opendata"

urlpatterns: list = []
