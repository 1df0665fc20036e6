"""The API of intended decisions and objections: the same rules and services as the pages.

- ``GET /decisions/``: the decisions I may see (my company's; those of the calls I manage),
  each with its standstill end; ``GET /decisions/{id}/`` adds, for the company it is about,
  its own scores per criterion with the committee's motivation (never another company's).
- ``POST /decisions/{id}/objections/``: my company objects during the standstill
  (multipart: ``text`` and up to five ``documents``, PDF).
- ``GET /objections/``, ``GET /objections/{id}/``, ``POST /objections/{id}/answer/`` (the
  officer: dismiss or uphold, with reasons), ``POST /objections/{id}/withdraw/`` (the company).

Errors are ``{"code": …, "detail": …}`` (portal.api.errors); what someone may not see is 404.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.views import AuditActorMixin
from portal.money import MONEY_DIGITS
from portal.permissions import can

from ..models import Decision, Objection
from ..permissions import is_company_member
from ..selectors.decisions import (
    decisions_for,
    feedback_for,
    no_decisions,
    no_objections,
    objections_for,
    reassessable_proposals,
)
from ..services.objections import (
    MAX_DOCUMENTS,
    objection_dismiss,
    objection_lodge,
    objection_uphold,
    objection_withdraw,
)
from .serializers import RejectUnknownFieldsMixin
from .views import _errors

DECISION_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The decision's id.")
)
OBJECTION_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The objection's id.")
)


class FeedbackSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="name")
    weight = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    motivation = serializers.CharField()


class ObjectionDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class ObjectionSerializer(serializers.ModelSerializer):
    # An objection to the selection (innovation partnership) has no decision and no proposal.
    decision = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    proposal = serializers.IntegerField(
        source="decision.proposal_id", read_only=True, allow_null=True
    )
    documents = ObjectionDocumentSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text=_("The objection's page."))
    follow_up = serializers.ChoiceField(
        choices=Objection.FollowUp.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("What follows an upheld objection; empty until it is upheld."),
    )

    class Meta:
        model = Objection
        fields = [
            "id",
            "url",
            "number",
            "decision",
            "proposal",
            "status",
            "text",
            "lodged_at",
            "documents",
            "answer",
            "answered_at",
            "follow_up",
        ]
        read_only_fields = fields

    def get_url(self, objection: Objection) -> str:
        path = reverse("proposals:objection", kwargs={"objection_pk": objection.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PrizeAwardSerializer(serializers.Serializer):
    """The prize an award gives: its rank and amount as the call states them."""

    rank = serializers.IntegerField(read_only=True)
    amount = serializers.DecimalField(**MONEY_DIGITS, read_only=True)
    description = serializers.CharField(read_only=True)


class IntendedDecisionSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id", read_only=True)
    prize = PrizeAwardSerializer(
        read_only=True,
        allow_null=True,
        help_text=_(
            "Prize competition or hackathon: the prize this award gives (its amount is the "
            "decision's amount); null otherwise."
        ),
    )
    objection_ends_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "A decision under the Awb (a prize of an administrative body): the last day for "
            "an objection, six weeks after the day the letter was sent; null otherwise or "
            "before the letter is sent."
        ),
    )
    submission_number = serializers.CharField(source="proposal.submission_number")
    call = serializers.IntegerField(source="proposal.call_id", read_only=True)
    phase = serializers.IntegerField(source="phase_id", read_only=True)
    company = serializers.CharField(source="proposal.company.name")
    in_standstill = serializers.BooleanField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "proposal",
            "submission_number",
            "call",
            "phase",
            "company",
            "kind",
            "status",
            "amount",
            "prize",
            "under_awb",
            "objection_ends_on",
            "motivation",
            "decided_at",
            "standstill_days",
            "standstill_ends_on",
            "in_standstill",
            "finalised_at",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        read_only_fields = fields


class IntendedDecisionDetailSerializer(IntendedDecisionSerializer):
    feedback = serializers.SerializerMethodField(
        help_text=_(
            "The company's own scores per criterion with the committee's motivation; only "
            "for the company the decision is about (empty for anyone else)."
        )
    )
    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta(IntendedDecisionSerializer.Meta):
        fields = [*IntendedDecisionSerializer.Meta.fields, "feedback", "objections"]
        read_only_fields = fields

    @extend_schema_field(FeedbackSerializer(many=True))
    def get_feedback(self, decision: Decision) -> list[dict]:
        request = self.context["request"]
        if not is_company_member(request.user, decision.proposal.company_id):
            return []
        return FeedbackSerializer(feedback_for(decision.proposal), many=True).data


class ObjectionLodgeSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=Objection.TEXT_MAX_LENGTH)
    documents = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_DOCUMENTS,
        help_text=_("Up to five PDF files (multipart)."),
    )


class ObjectionAnswerSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[("dismiss", _("dismiss")), ("uphold", _("uphold"))],
        help_text=_(
            "dismiss: the decision stands; uphold: the phase's intended decisions are withdrawn."
        ),
    )
    answer = serializers.CharField(help_text=_("The reasons; the company reads them."))
    follow_up = serializers.ChoiceField(
        choices=Objection.FollowUp.choices,
        default=Objection.FollowUp.NEW_DECISION,
        help_text=_(
            "Only with uphold: new_decision (the officer decides again) or reassessment (the "
            "committee reassesses the proposals in reassess first, then the officer decides)."
        ),
    )
    reassess = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text=_(
            "With reassessment: the ids of the proposals of the phase the committee "
            "reassesses; by default the objecting company's proposal."
        ),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Decisions I may see, with the end of their standstill period"),
        responses={200: IntendedDecisionSerializer(many=True), **_errors(401)},
    ),
    retrieve=extend_schema(
        summary=_("One decision; for its company also its own scores per criterion"),
        parameters=[DECISION_ID],
        responses={200: IntendedDecisionDetailSerializer, **_errors(401, 404)},
    ),
)
@extend_schema(tags=["decisions"])
class DecisionViewSet(AuditActorMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return no_decisions()
        return decisions_for(self.request.user)

    def get_serializer_class(self):
        return {
            "list": IntendedDecisionSerializer,
            "objections": ObjectionLodgeSerializer,
        }.get(self.action, IntendedDecisionDetailSerializer)

    def get_object(self) -> Decision:
        decision = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if decision is None or not can(self.request.user, "proposals.view_decision", decision):
            raise Http404
        return decision

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(IntendedDecisionSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        decision = self.get_object()
        context = self.get_serializer_context()
        return Response(IntendedDecisionDetailSerializer(decision, context=context).data)

    @extend_schema(
        summary=_("Lodge an objection to the intended decision on my company's proposal"),
        parameters=[DECISION_ID],
        request={"multipart/form-data": ObjectionLodgeSerializer},
        responses={201: ObjectionSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        decision = self.get_object()
        serializer = ObjectionLodgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        documents = request.FILES.getlist("documents") if hasattr(request, "FILES") else []
        objection = objection_lodge(
            decision=decision,
            actor=request.user,
            text=serializer.validated_data["text"],
            uploads=documents,
        )
        fresh = objections_for(request.user).get(pk=objection.pk)
        return Response(
            ObjectionSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("Objections I may see: my company's, or those in the calls I manage"),
        responses={200: ObjectionSerializer(many=True), **_errors(401)},
    ),
    retrieve=extend_schema(
        summary=_("One objection"),
        parameters=[OBJECTION_ID],
        responses={200: ObjectionSerializer, **_errors(401, 404)},
    ),
)
@extend_schema(tags=["decisions"])
class ObjectionViewSet(AuditActorMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ObjectionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return no_objections()
        return objections_for(self.request.user)

    def get_serializer_class(self):
        return {"answer": ObjectionAnswerSerializer}.get(self.action, ObjectionSerializer)

    def get_object(self) -> Objection:
        objection = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if objection is None or not can(self.request.user, "proposals.view_objection", objection):
            raise Http404
        return objection

    def _detail(self, objection: Objection) -> Response:
        fresh = self.get_queryset().get(pk=objection.pk)
        return Response(ObjectionSerializer(fresh, context=self.get_serializer_context()).data)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        context = self.get_serializer_context()
        return self.get_paginated_response(
            ObjectionSerializer(page, many=True, context=context).data
        )

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    @extend_schema(
        summary=_("Answer an open objection: dismiss or uphold it, with reasons"),
        parameters=[OBJECTION_ID],
        request=ObjectionAnswerSerializer,
        responses={200: ObjectionSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        objection = self.get_object()
        serializer = ObjectionAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["outcome"] == "dismiss":
            answered = objection_dismiss(
                objection=objection, actor=request.user, answer=data["answer"]
            )
            return self._detail(answered)
        reassess = []
        if data["follow_up"] == Objection.FollowUp.REASSESSMENT and data["reassess"]:
            reassessable = {p.pk: p for p in reassessable_proposals(objection)}
            unknown = sorted(set(data["reassess"]) - set(reassessable))
            if unknown:
                raise serializers.ValidationError(
                    {
                        "reassess": _("Not a proposal of this phase awaiting a decision: %(ids)s")
                        % {"ids": ", ".join(map(str, unknown))}
                    }
                )
            reassess = [reassessable[pk] for pk in data["reassess"]]
        answered = objection_uphold(
            objection=objection,
            actor=request.user,
            answer=data["answer"],
            follow_up=data["follow_up"],
            reassess=reassess,
        )
        return self._detail(answered)

    @extend_schema(
        summary=_("Withdraw my company's open objection"),
        parameters=[OBJECTION_ID],
        request=None,
        responses={200: ObjectionSerializer, **_errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._detail(objection_withdraw(objection=self.get_object(), actor=request.user))
