"""The calls API, mounted under /api/v1/ by portal/urls.py.

URL names: api-call-list, api-call-detail, api-call-mine, api-call-publish, api-call-close,
api-call-cancel, api-call-complete, api-call-send-invitations;
api-participation-list, api-participation-withdraw, api-participation-decide;
api-mandate-list (GET, POST), api-mandate-revoke.
"""

from rest_framework.routers import SimpleRouter

from .views import CallViewSet, MandateViewSet, ParticipationRequestViewSet

router = SimpleRouter()
router.register("calls", CallViewSet, basename="api-call")
router.register("participation-requests", ParticipationRequestViewSet, basename="api-participation")
router.register("mandates", MandateViewSet, basename="api-mandate")

urlpatterns = router.urls
