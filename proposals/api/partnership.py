"""The API of an innovation partnership's negotiation and phases: rounds, revised tenders,
the phases' interim targets, reports against them, go/no-go and the purchase.

The same rules as the pages (proposals.permissions); every write through the services.
Revised tenders stay sealed until their round's deadline: before it an officer's list is
empty and says so (``sealed``), a company lists only its own versions.
"""

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from calls.api.serializers import RejectUnknownFieldsMixin
from portal.api.views import AuditActorMixin
from portal.exceptions import DomainError
from portal.money import MONEY_DIGITS
from portal.permissions import can

from ..models import InterimTarget, NegotiationRound, PhasePlan, TenderVersion
from ..selectors.negotiation import (
    contract_for_plan,
    phase_by_pk,
    plans_visible_to,
    proposal_with_call,
    round_versions_for_officer,
    rounds_visible_to,
    versions_of_company,
)
from ..services.negotiation import round_open_if_due, round_start, tender_revise
from ..services.partnership import (
    TargetResult,
    TargetSpec,
    partnership_decide,
    partnership_plan_set,
    partnership_purchase,
    partnership_report,
)
from .serializers import ErrorSerializer

ERRORS = {
    code: OpenApiResponse(ErrorSerializer, description=description)
    for code, description in [
        (400, _("Refused by a rule or invalid input; the field is named.")),
        (401, _("Not logged in.")),
        (403, _("Not allowed.")),
        (404, _("No such object, or not visible to you.")),
        (409, _("Not possible in the current status.")),
    ]
}

# --- Serializers ------------------------------------------------------------------------------


class NegotiationRoundSerializer(serializers.ModelSerializer):
    phase = serializers.IntegerField(source="phase_id", read_only=True)
    tenderers = serializers.SerializerMethodField()

    class Meta:
        model = NegotiationRound
        fields = [
            "id",
            "phase",
            "number",
            "kind",
            "points",
            "deadline",
            "status",
            "sent_at",
            "opened_at",
            "received",
            "tenderers",
        ]
        read_only_fields = fields

    def get_tenderers(self, obj) -> int:
        return len(obj.recipients.all())  # prefetched: no query per round


class NegotiationRoundInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    phase = serializers.IntegerField(
        help_text=_("The id of the phase whose tenders are negotiated.")
    )
    points = serializers.CharField(help_text=_("The same text goes to every tenderer."))
    deadline = serializers.DateTimeField(help_text=_("Until then the revised tenders are sealed."))
    final = serializers.BooleanField(
        default=False, help_text=_("Ask for the final tenders: no negotiation follows.")
    )


class TenderVersionSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id", read_only=True)
    company = serializers.CharField(source="proposal.company.name", read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = TenderVersion
        fields = [
            "id",
            "proposal",
            "company",
            "number",
            "changes",
            "price",
            "content_hash",
            "submitted_at",
            "has_document",
        ]
        read_only_fields = fields

    def get_has_document(self, obj) -> bool:
        return bool(obj.document)


class TenderVersionInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    proposal = serializers.IntegerField(help_text=_("The id of your tender (proposal)."))
    changes = serializers.CharField()
    price = serializers.DecimalField(**MONEY_DIGITS, min_value=Decimal("0.01"))
    document = serializers.FileField(required=False, help_text=_("The revised tender as PDF."))


class InterimTargetSerializer(serializers.ModelSerializer):
    result = serializers.SerializerMethodField()
    reported_at = serializers.SerializerMethodField()

    class Meta:
        model = InterimTarget
        fields = [
            "id",
            "order",
            "description",
            "measure",
            "evidence_required",
            "result",
            "reported_at",
        ]
        read_only_fields = fields

    def _report(self, obj):
        return getattr(obj, "report", None) if hasattr(obj, "report") else None

    def get_result(self, obj) -> str | None:
        report = self._report(obj)
        return report.result if report else None

    def get_reported_at(self, obj) -> str | None:
        report = self._report(obj)
        return report.reported_at.isoformat() if report else None


class PartnershipPhaseSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    phase = serializers.IntegerField(source="phase_id", read_only=True)
    phase_kind = serializers.CharField(source="phase.kind", read_only=True)
    company = serializers.CharField(source="contract.proposal.company.name", read_only=True)
    targets = InterimTargetSerializer(many=True, read_only=True)

    class Meta:
        model = PhasePlan
        fields = [
            "id",
            "contract",
            "phase",
            "phase_kind",
            "company",
            "max_cost",
            "status",
            "reported_at",
            "decision_reason",
            "decided_at",
            "purchase_amount",
            "purchased_on",
            "purchase_description",
            "targets",
        ]
        read_only_fields = fields


class InterimTargetInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=300)
    measure = serializers.CharField(max_length=200)
    evidence_required = serializers.CharField(max_length=300)


class PartnershipPhaseInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    contract = serializers.IntegerField()
    phase = serializers.IntegerField()
    max_cost = serializers.DecimalField(**MONEY_DIGITS, min_value=Decimal("0.01"))
    targets = InterimTargetInputSerializer(many=True, required=False)


class GoNoGoSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("go", _("go")), ("no_go", _("no-go"))])
    reason = serializers.CharField()


class PartnershipPurchaseSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    amount = serializers.DecimalField(**MONEY_DIGITS, min_value=Decimal("0.01"))
    purchased_on = serializers.DateField()
    description = serializers.CharField(max_length=500)


class TargetReportInputSerializer(serializers.Serializer):
    """Multipart: per target ``result_<target id>`` (text) and ``evidence_<target id>`` (PDF)."""


# --- Views ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Negotiation rounds of your calls or sent to your tenders")),
    retrieve=extend_schema(
        summary=_("One negotiation round"),
        responses={200: NegotiationRoundSerializer, 404: ERRORS[404]},
    ),
)
class NegotiationRoundViewSet(AuditActorMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"  # anything else is a 404, never a database error
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NegotiationRoundSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return rounds_visible_to(self.request.user).prefetch_related("recipients")

    def get_object(self) -> NegotiationRound:
        round_ = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if round_ is None or not can(self.request.user, "proposals.view_round", round_):
            raise Http404
        return round_

    @extend_schema(
        summary=_("Open a round: the same points to every tenderer at the same moment"),
        request=NegotiationRoundInputSerializer,
        responses={
            201: NegotiationRoundSerializer,
            **{c: ERRORS[c] for c in (400, 401, 403, 404, 409)},
        },
    )
    def create(self, request):
        data = NegotiationRoundInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        phase = phase_by_pk(data.validated_data["phase"])
        if phase is None or not can(request.user, "proposals.negotiate", phase):
            raise Http404
        round_ = round_start(
            phase=phase,
            actor=request.user,
            points=data.validated_data["points"],
            deadline=data.validated_data["deadline"],
            final=data.validated_data["final"],
        )
        return Response(NegotiationRoundSerializer(round_).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary=_(
            "The round's revised tenders: the officer's once the deadline has passed (sealed "
            "until then), a company's own always"
        ),
        responses={200: TenderVersionSerializer(many=True), 404: ERRORS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Submit a revised (or final) tender in an open round: a new version"),
        request={
            "multipart/form-data": TenderVersionInputSerializer,
            "application/json": TenderVersionInputSerializer,
        },
        responses={
            201: TenderVersionSerializer,
            **{c: ERRORS[c] for c in (400, 401, 403, 404, 409)},
        },
    )
    @action(detail=True, methods=["get", "post"])
    def tenders(self, request, pk=None):
        round_ = self.get_object()
        if request.method == "POST":
            data = TenderVersionInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            proposal = proposal_with_call(data.validated_data["proposal"])
            if proposal is None or not can(request.user, "proposals.revise_tender", proposal):
                raise Http404
            version = tender_revise(
                round=round_,
                proposal=proposal,
                actor=request.user,
                changes=data.validated_data["changes"],
                price=data.validated_data["price"],
                upload=data.validated_data.get("document"),
            )
            return Response(TenderVersionSerializer(version).data, status=status.HTTP_201_CREATED)
        if can(request.user, "proposals.negotiate", round_.phase):
            round_open_if_due(round=round_, actor=request.user)
            versions = round_versions_for_officer(round_)
        else:
            versions = versions_of_company(round_, request.user)
        return Response(TenderVersionSerializer(versions, many=True).data)


def _plan_or_404(request, pk) -> PhasePlan:
    plan = plans_visible_to(request.user).filter(pk=pk).first()
    if plan is None or not can(request.user, "proposals.view_plan", plan):
        raise Http404
    return plan


@extend_schema_view(
    list=extend_schema(summary=_("Phases of the partnerships you run or are a partner in")),
    retrieve=extend_schema(
        summary=_("One phase of a partnership: maximum cost, interim targets, reports"),
        responses={200: PartnershipPhaseSerializer, 404: ERRORS[404]},
    ),
)
class PartnershipPhaseViewSet(AuditActorMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"  # anything else is a 404, never a database error
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PartnershipPhaseSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return plans_visible_to(self.request.user)

    def get_object(self) -> PhasePlan:
        return _plan_or_404(self.request, self.kwargs["pk"])

    @extend_schema(
        summary=_("Record a phase of a partner's contract: maximum cost and interim targets"),
        request=PartnershipPhaseInputSerializer,
        responses={
            201: PartnershipPhaseSerializer,
            **{c: ERRORS[c] for c in (400, 401, 403, 404, 409)},
        },
    )
    def create(self, request):
        data = PartnershipPhaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contract_for_plan(data.validated_data["contract"])
        if contract is None or not can(request.user, "proposals.manage_partnership", contract):
            raise Http404
        phase = phase_by_pk(data.validated_data["phase"])
        if phase is None:
            raise Http404
        plan = partnership_plan_set(
            contract=contract,
            phase=phase,
            actor=request.user,
            max_cost=data.validated_data["max_cost"],
            targets=[TargetSpec(**t) for t in data.validated_data.get("targets", [])],
        )
        plan = _plan_or_404(request, plan.pk)
        return Response(PartnershipPhaseSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_(
            "The partner reports against every target: multipart with result_<target id> and "
            "evidence_<target id> (PDF)"
        ),
        request={"multipart/form-data": TargetReportInputSerializer},
        responses={
            200: PartnershipPhaseSerializer,
            **{c: ERRORS[c] for c in (400, 401, 403, 404, 409)},
        },
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        plan = self.get_object()
        results = {
            target.pk: TargetResult(
                str(request.data.get(f"result_{target.pk}", "")),
                request.FILES.get(f"evidence_{target.pk}"),
            )
            for target in plan.targets.all()
        }
        partnership_report(plan=plan, actor=request.user, results=results)
        return Response(PartnershipPhaseSerializer(_plan_or_404(request, plan.pk)).data)

    @extend_schema(
        summary=_(
            "Go (the next phase's maximum cost is committed) or no-go (the partnership with "
            "this partner ends; its commitments are released), with the reason"
        ),
        request=GoNoGoSerializer,
        responses={
            200: PartnershipPhaseSerializer,
            **{c: ERRORS[c] for c in (400, 401, 403, 404, 409)},
        },
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        plan = self.get_object()
        data = GoNoGoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        partnership_decide(
            plan=plan,
            actor=request.user,
            go=data.validated_data["decision"] == "go",
            reason=data.validated_data["reason"],
        )
        return Response(PartnershipPhaseSerializer(_plan_or_404(request, plan.pk)).data)

    @extend_schema(
        summary=_("Record the purchase of the result within the agreed maximum cost"),
        request=PartnershipPurchaseSerializer,
        responses={
            200: PartnershipPhaseSerializer,
            **{c: ERRORS[c] for c in (400, 401, 403, 404, 409)},
        },
    )
    @action(detail=True, methods=["post"])
    def purchase(self, request, pk=None):
        plan = self.get_object()
        data = PartnershipPurchaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        partnership_purchase(plan=plan, actor=request.user, **data.validated_data)
        return Response(PartnershipPhaseSerializer(_plan_or_404(request, plan.pk)).data)


__all__ = ["DomainError", "NegotiationRoundViewSet", "PartnershipPhaseViewSet"]
