"""The funding API, mounted under /api/v1/ by portal/urls.py.

URL names: api-fund-list, api-fund-transactions, api-cofinancing-list,
api-cofinancing-approve, api-cofinancing-reject.
"""

from rest_framework.routers import SimpleRouter

from .api import CoFinancingApplicationViewSet, FundViewSet

router = SimpleRouter()
router.register("funds", FundViewSet, basename="api-fund")
router.register(
    "cofinancing-applications", CoFinancingApplicationViewSet, basename="api-cofinancing"
)

urlpatterns = router.urls
