"""The funding API, mounted under /api/v1/ by portal/urls.py.

URL names: api-fund-list (GET, POST), api-fund-transactions, api-fund-appropriations,
api-trajectory-list, api-cofinancing-list,
api-cofinancing-approve, api-cofinancing-reject.
"""

from rest_framework.routers import SimpleRouter

from .views import CoFinancingApplicationViewSet, FundViewSet, TrajectoryViewSet

router = SimpleRouter()
router.register("funds", FundViewSet, basename="api-fund")
router.register("trajectories", TrajectoryViewSet, basename="api-trajectory")
router.register(
    "cofinancing-applications", CoFinancingApplicationViewSet, basename="api-cofinancing"
)

urlpatterns = router.urls
