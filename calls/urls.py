"""Calls' pages: public (no login), clarification Q&A, and the officer's pages."""

from django.urls import include, path

from .views import clarifications, officer, public

app_name = "calls"

urlpatterns = [
    path("calls/", include(public.urlpatterns)),
    path("calls/", include(clarifications.urlpatterns)),
    path("officer/calls/", include(officer.urlpatterns)),
]
