"""Co-financing pages, mounted at the root by portal/urls.py.

URL names: cofinancing:apply, cofinancing:mine, cofinancing:review, cofinancing:approve,
cofinancing:reject.
"""

from django.urls import path

from . import views_cofinancing as views

app_name = "cofinancing"

urlpatterns = [
    path("officer/cofinancing/", views.mine, name="mine"),
    path("officer/cofinancing/<int:call_pk>/apply/", views.apply, name="apply"),
    path("ministry/cofinancing/", views.review, name="review"),
    path("ministry/cofinancing/<int:pk>/approve/", views.approve, name="approve"),
    path("ministry/cofinancing/<int:pk>/reject/", views.reject, name="reject"),
]
