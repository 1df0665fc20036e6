"""The calls API, mounted under /api/v1/ by portal/urls.py.

URL names: api-call-list, api-call-detail, api-call-mine, api-call-publish, api-call-close,
api-call-cancel, api-call-start-assessment.
"""

from rest_framework.routers import SimpleRouter

from .views import CallViewSet

router = SimpleRouter()
router.register("calls", CallViewSet, basename="api-call")

urlpatterns = router.urls
