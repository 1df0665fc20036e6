"""Calls' pages: public (no login), clarification Q&A, and the officer's pages."""

from django.urls import include, path

from .views import clarifications, officer, participation, public

app_name = "calls"

urlpatterns = [
    path("calls/", include(public.urlpatterns)),
    path("calls/", include(clarifications.urlpatterns)),
    path("calls/", include(participation.public_urlpatterns)),
    path("officer/calls/", include(officer.urlpatterns)),
    path("officer/calls/", include(participation.officer_urlpatterns)),
]
