"""The reporting API, mounted under /api/v1/ by portal/urls.py."""

from django.urls import path

from . import notices, views

urlpatterns: list = [
    path("calls/<int:pk>/notices/", notices.CallNoticesView.as_view(), name="api-call-notices"),
    path(
        "calls/<int:pk>/notices/<int:notice_pk>/",
        notices.CallNoticeView.as_view(),
        name="api-call-notice-detail",
    ),
    path(
        "calls/<int:pk>/notices/<int:notice_pk>/xml/",
        notices.CallNoticeXmlView.as_view(),
        name="api-call-notice-xml",
    ),
    path(
        "calls/<int:pk>/notices/<int:notice_pk>/send/",
        notices.CallNoticeSendView.as_view(),
        name="api-call-notice-send",
    ),
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
    path(
        "opendata/history/releases/",
        views.ReleaseHistoryView.as_view(),
        name="api-opendata-history",
    ),
    path("opendata/history/records/", views.RecordsView.as_view(), name="api-opendata-records"),
    path(
        "opendata/history/records/<str:ocid>/",
        views.RecordView.as_view(),
        name="api-opendata-record",
    ),
    path("opendata/bulk/<int:year>/", views.BulkFileView.as_view(), name="api-opendata-bulk"),
]
