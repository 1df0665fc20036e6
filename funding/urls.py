from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("ministry/budget/", views.dashboard, name="dashboard"),
    path(
        "ministry/budget/<slug:fund_code>/transactions/",
        views.transactions,
        name="transactions",
    ),
    path("ministry/targets/", views.targets, name="targets"),
]
