from django.urls import path

from . import views

urlpatterns = [
    path("tokens/", views.ApiTokenList.as_view(), name="api-token-list"),
    path("tokens/<int:pk>/revoke/", views.ApiTokenRevoke.as_view(), name="api-token-revoke"),
]
