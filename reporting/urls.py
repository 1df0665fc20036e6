"""Reports for parliament and exports (ministry staff and officers)."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("ministry/reports/", views.reports, name="reports"),
    path("ministry/reports/<int:pk>/", views.report, name="report"),
    path("ministry/reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("ministry/reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("ministry/reports/<int:pk>/retry/", views.report_retry_view, name="report_retry"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("exports/<int:pk>/retry/", views.export_retry_view, name="export_retry"),
]
