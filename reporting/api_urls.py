"""The reporting API, mounted under /api/v1/ by portal/urls.py."""

urlpatterns: list = []
