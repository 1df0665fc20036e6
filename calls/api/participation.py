"""API of the innovation partnership's first stage: requests to participate.

A company member lists, sends and withdraws its company's requests; an officer lists the
requests of the calls it manages (once their deadline has passed) and decides on each.
Sending the invitations to tender is an action on the call (api-call-send-invitations).
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from portal.api import AuditActorMixin
from portal.models import Membership, Role

from ..models import Call, ParticipationRequest
from ..participation import (
    participation_request_decide,
    participation_request_submit,
    participation_request_withdraw,
)


class ParticipationRequestSerializer(serializers.ModelSerializer):
    call_reference = serializers.CharField(source="call.reference", read_only=True)
    company = serializers.CharField(source="company.name", read_only=True)
    document_url = serializers.SerializerMethodField()
    is_invited = serializers.BooleanField(read_only=True)
    decision_motivation = serializers.SerializerMethodField()

    class Meta:
        model = ParticipationRequest
        fields = [
            "id",
            "call",
            "call_reference",
            "company",
            "motivation",
            "document_url",
            "status",
            "decision_motivation",
            "is_invited",
            "submitted_at",
            "decided_at",
            "invited_at",
            "withdrawn_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_document_url(self, participation) -> str:
        path = reverse("calls:participation_document", args=[participation.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def _hides_decision(self, participation) -> bool:
        """A company reads the decision once the invitations are sent, not while drafting."""
        officer_of = self.context.get("is_officer_of", set())
        return (
            participation.call.invitations_sent_at is None
            and participation.call.authority_id not in officer_of
        )

    @extend_schema_field(OpenApiTypes.STR)
    def get_decision_motivation(self, participation) -> str:
        return "" if self._hides_decision(participation) else participation.decision_motivation

    def to_representation(self, participation):
        data = super().to_representation(participation)
        if self._hides_decision(participation) and data["status"] in ("selected", "rejected"):
            data["status"] = ParticipationRequest.Status.SUBMITTED.value
            data["decided_at"] = None
        return data


class ParticipationCreateSerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.exclude(status="draft"))
    motivation = serializers.CharField(max_length=5000)
    document = serializers.FileField(allow_empty_file=True)


class ParticipationDecisionSerializer(serializers.Serializer):
    selected = serializers.BooleanField(help_text=_("true: invite to tender; false: reject."))
    motivation = serializers.CharField(max_length=5000)


CALL_FILTER = OpenApiParameter(
    "call", OpenApiTypes.INT, OpenApiParameter.QUERY, description=_("Only this call's requests.")
)


@extend_schema(tags=["participation"])
class ParticipationRequestViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Requests to participate in an innovation partnership."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ParticipationRequestSerializer
    lookup_value_regex = r"\d+"

    def _officer_of(self) -> set[int]:
        if not hasattr(self, "_officer_cache"):
            self._officer_cache = set(
                Membership.objects.filter(
                    user=self.request.user, role=Role.PROCUREMENT_OFFICER
                ).values_list("organisation_id", flat=True)
            )
        return self._officer_cache

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ParticipationRequest.objects.none()
        user = self.request.user
        companies = Membership.objects.filter(user=user, role=Role.APPLICANT).values(
            "organisation_id"
        )
        # Officers open requests only after their deadline, like sealed tenders.
        visible = Q(company_id__in=companies) | Q(
            call__authority_id__in=self._officer_of(),
            call__participation_deadline__lte=timezone.now(),
        )
        queryset = (
            ParticipationRequest.objects.filter(visible)
            .select_related("call", "company")
            .order_by("-submitted_at", "-pk")
        )
        if (call := self.request.query_params.get("call", "")).isdigit():
            queryset = queryset.filter(call_id=int(call))
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request and self.request.user.is_authenticated:
            context["is_officer_of"] = self._officer_of()
        return context

    def get_serializer_class(self):
        return {
            "create": ParticipationCreateSerializer,
            "decide": ParticipationDecisionSerializer,
        }.get(self.action, ParticipationRequestSerializer)

    def get_parsers(self):
        if getattr(self, "action", None) == "create":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    def _answer(self, participation, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=participation.pk)
        data = ParticipationRequestSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        summary=_("My company's requests to participate, or those of my calls (officer)"),
        parameters=[CALL_FILTER],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("Ask to participate in an innovation partnership (multipart, PDF)"),
        request={"multipart/form-data": ParticipationCreateSerializer},
        responses={201: ParticipationRequestSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        participation = participation_request_submit(
            call=data["call"],
            actor=request.user,
            motivation=data["motivation"],
            document=data["document"],
        )
        return self._answer(participation, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Withdraw my company's request, before the deadline"),
        request=None,
        responses={200: ParticipationRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        participation = self.get_object()
        participation = participation_request_withdraw(request=participation, actor=request.user)
        return self._answer(participation)

    @extend_schema(
        summary=_("Select or reject a request on suitability, with a motivation (officer)"),
        request=ParticipationDecisionSerializer,
        responses={200: ParticipationRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        participation = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participation = participation_request_decide(
            request=participation,
            actor=request.user,
            selected=serializer.validated_data["selected"],
            motivation=serializer.validated_data["motivation"],
        )
        return self._answer(participation)
