"""The proposals API, mounted under /api/v1/ by portal/urls.py.

URL names: api-proposal-list, api-proposal-detail, api-proposal-submit,
api-proposal-withdraw, api-proposal-decision, api-assessment-list, api-assessment-detail,
api-phase-start-assessment, api-decision-list, api-decision-detail, api-decision-objections,
api-objection-list, api-objection-detail, api-objection-answer, api-objection-withdraw,
api-letter-list, api-letter-detail, api-letter-download, api-negotiation-round-list,
api-negotiation-round-detail, api-negotiation-round-tenders, api-partnership-phase-list,
api-partnership-phase-detail, api-partnership-phase-report, api-partnership-phase-decision,
api-partnership-phase-purchase.
"""

from rest_framework.routers import SimpleRouter

from .decisions import DecisionViewSet, ObjectionViewSet
from .partnership import NegotiationRoundViewSet, PartnershipPhaseViewSet
from .views import AssessmentViewSet, DecisionLetterViewSet, PhaseViewSet, ProposalViewSet

router = SimpleRouter()
router.register("proposals", ProposalViewSet, basename="api-proposal")
router.register("assessments", AssessmentViewSet, basename="api-assessment")
router.register("phases", PhaseViewSet, basename="api-phase")
router.register("letters", DecisionLetterViewSet, basename="api-letter")
router.register("decisions", DecisionViewSet, basename="api-decision")
router.register("objections", ObjectionViewSet, basename="api-objection")
router.register("negotiation-rounds", NegotiationRoundViewSet, basename="api-negotiation-round")
router.register("partnership-phases", PartnershipPhaseViewSet, basename="api-partnership-phase")

urlpatterns = router.urls
