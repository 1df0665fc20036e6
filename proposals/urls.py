"""Proposals' pages: the company's own, the committee's, and the officer's."""

from django.urls import include, path

from .views import assessment, company, officer

app_name = "proposals"

urlpatterns = [
    path("proposals/", include(company.urlpatterns)),
    path("assessment/", include(assessment.urlpatterns)),
    path("officer/proposals/", include(officer.urlpatterns)),
]
