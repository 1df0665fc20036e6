"""Reporting's pages, mounted at the root by portal/urls.py, in two namespaces: reports for
parliament and exports (ministry staff and officers), and open data (everyone, no login).
"""

from django.urls import include, path

from .views import exports, ministry, notices, public

reporting_patterns = [
    path("ministry/reports/", ministry.reports, name="reports"),
    path("ministry/reports/<int:pk>/", ministry.report, name="report"),
    path("ministry/reports/<int:pk>/status/", ministry.report_status, name="report_status"),
    path("ministry/reports/<int:pk>/download/", ministry.report_download, name="report_download"),
    path("ministry/reports/<int:pk>/retry/", ministry.report_retry_view, name="report_retry"),
    path("exports/", exports.export_list, name="exports"),
    path("exports/<int:pk>/", exports.export_detail, name="export"),
    path("exports/<int:pk>/status/", exports.export_status, name="export_status"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("exports/<int:pk>/retry/", exports.export_retry_view, name="export_retry"),
]

opendata_patterns = [
    path("open-data/", public.index, name="index"),
    path("open-data/releases.json", public.releases, name="releases"),
    path("open-data/calls/<int:pk>/releases.json", public.call_releases, name="call"),
    path("open-data/history/releases.json", public.history, name="history"),
    path(
        "open-data/history/calls/<int:pk>/releases.json",
        public.call_history,
        name="call_history",
    ),
    path("open-data/history/records.json", public.records, name="records"),
    path("open-data/history/records/<str:ocid>.json", public.record, name="record"),
    path("open-data/bulk/<int:year>.jsonl.gz", public.bulk, name="bulk"),
]

notice_patterns = [
    path("officer/calls/<int:pk>/notices/", notices.officer_notices, name="officer"),
    path("officer/calls/<int:pk>/notices/details/", notices.update_details, name="details"),
    path("officer/calls/<int:pk>/notices/prepare/", notices.prepare, name="prepare"),
    path(
        "officer/calls/<int:pk>/notices/<int:notice_pk>/prepare-again/",
        notices.prepare_again,
        name="prepare_again",
    ),
    path("officer/calls/<int:pk>/notices/<int:notice_pk>/send/", notices.send, name="send"),
    path("officer/calls/<int:pk>/notices/<int:notice_pk>/notice.xml", notices.xml, name="xml"),
    path(
        "calls/<int:pk>/notices/<int:notice_pk>/published.xml",
        notices.published_xml,
        name="published_xml",
    ),
]

urlpatterns = [
    path("", include((notice_patterns, "notices"))),
    path("", include((reporting_patterns, "reporting"))),
    path("", include((opendata_patterns, "opendata"))),
]
