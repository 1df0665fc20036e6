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
]
