"""The funding API, mounted under /api/v1/ by portal/urls.py.

URL names: api-fund-list (GET, POST), api-fund-transactions, api-fund-appropriations,
api-trajectory-list, api-cofinancing-list,
api-cofinancing-approve, api-cofinancing-reject, api-round-list (GET, POST), api-round-open,
api-round-close, api-follow-up-purchase-list (GET, POST).
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    CoFinancingApplicationViewSet,
    FollowUpPurchaseViewSet,
    FundViewSet,
    RoundViewSet,
    TrajectoryViewSet,
)

router = SimpleRouter()
router.register("funds", FundViewSet, basename="api-fund")
router.register("funding-rounds", RoundViewSet, basename="api-round")
router.register("trajectories", TrajectoryViewSet, basename="api-trajectory")
router.register(
    "cofinancing-applications", CoFinancingApplicationViewSet, basename="api-cofinancing"
)

urlpatterns = [
    *router.urls,
    path(
        "calls/<int:call_pk>/follow-up-purchases/",
        FollowUpPurchaseViewSet.as_view({"get": "list", "post": "create"}),
        name="api-follow-up-purchase-list",
    ),
]
