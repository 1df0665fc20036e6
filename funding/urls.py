from django.urls import path

from . import views, views_money

app_name = "funding"

urlpatterns = [
    path("ministry/budget/", views.dashboard, name="dashboard"),
    path(
        "ministry/budget/<slug:fund_code>/transactions/",
        views.transactions,
        name="transactions",
    ),
    path("ministry/targets/", views.targets, name="targets"),
    path("calls/<int:call_pk>/money/", views_money.call_money, name="call_money"),
]
