"""The calls API: the public list and detail, and an officer's drafting and lifecycle actions.

Thin on purpose: visibility and rights come from calls.permissions, reads from
calls.selectors, every write from calls.services; domain errors become JSON through
portal.api.errors.exception_handler (DomainError 400, NotAllowed 403, IllegalTransition 409).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from portal.api.filters import FilterBackend
from portal.api.pagination import Rows
from portal.api.views import AuditActorMixin
from portal.exceptions import DomainError
from portal.models import Role
from portal.permissions import can
from portal.selectors.identity import organisations_of

from ..models import Call
from ..selectors.calls import (
    call_detail,
    call_summaries,
    calls_managed_by,
    calls_public_listed,
    calls_with_authority,
    no_calls,
    summaries_with_open_questions,
)
from ..selectors.mandates import mandate_of_user, mandates_of, no_mandates
from ..selectors.participation import (
    no_participation_requests,
    officer_authority_ids,
    participation_requests_visible_to,
)
from ..selectors.selection import exclusion_grounds_of, selection_criteria_of, with_declaration
from ..services.lifecycle import (
    call_cancel,
    call_close,
    call_complete,
    call_create,
    call_publish,
    call_update_draft,
)
from ..services.mandates import mandate_grant, mandate_revoke
from ..services.participation import (
    participation_invitations_send,
    participation_request_decide,
    participation_request_submit,
    participation_request_withdraw,
)
from ..services.selection import (
    exclusion_ground_add,
    exclusion_ground_delete,
    selection_criterion_add,
    selection_criterion_delete,
    selection_minimum_set,
)
from .filters import ApiCallFilter, ApiManagedCallFilter, ParticipationRequestFilter
from .serializers import (
    CallCreateSerializer,
    CallDetailSerializer,
    CallDraftSerializer,
    CallErrorSerializer,
    CallSummarySerializer,
    CancelSerializer,
    ExclusionGroundCreateSerializer,
    ManagedCallSerializer,
    MandateCreateSerializer,
    MandateSerializer,
    MinimumInvitationsSerializer,
    ParticipationCreateSerializer,
    ParticipationDecisionSerializer,
    ParticipationRequestSerializer,
    SelectionCriterionCreateSerializer,
    SendInvitationsSerializer,
)


class IsProcurementOfficer(permissions.BasePermission):
    message = _("Only procurement officers of a contracting authority can do this.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and can(request.user, "calls.add_call")


class ManagesCall(permissions.BasePermission):
    message = _("Only procurement officers of the call's contracting authority can do this.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated

    def has_object_permission(self, request, view, call) -> bool:
        return can(request.user, "calls.manage_call", call)


class Conflict(DomainError):
    """The call is in a state that refuses this change (e.g. editing a published call)."""

    status_code = 409


ERRORS = {
    code: OpenApiResponse(CallErrorSerializer, description=description)
    for code, description in [
        (400, _("Refused by a rule or invalid input.")),
        (401, _("Not logged in.")),
        (403, _("Not allowed.")),
        (404, _("No such call, or not visible to you.")),
        (409, _("Not possible in the call's status.")),
    ]
}


CALL_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The call's id.")
)
CRITERION_ID = OpenApiParameter(
    "criterion_id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description=_("The selection criterion's id."),
)
GROUND_ID = OpenApiParameter(
    "ground_id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description=_("The exclusion ground's id."),
)


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


def _transition(summary: str, request=None):
    return extend_schema(
        summary=summary,
        parameters=[CALL_ID],
        request=request,
        responses={200: CallDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    )


@extend_schema_view(
    list=extend_schema(summary=_("Public calls (all but drafts), filtered and paginated")),
    retrieve=extend_schema(
        summary=_("One call with its phases, criteria, documents and published answers"),
        parameters=[CALL_ID],
        responses={200: CallDetailSerializer, **_errors(404)},
    ),
    create=extend_schema(
        summary=_("Create a draft call"),
        request=CallCreateSerializer,
        responses={201: CallDetailSerializer, **_errors(400, 401, 403)},
    ),
    partial_update=extend_schema(
        summary=_("Change a draft's main fields"),
        parameters=[CALL_ID],
        request=CallDraftSerializer,
        responses={200: CallDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    ),
)
@extend_schema(tags=["calls"])
class CallViewSet(AuditActorMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    filter_backends = [FilterBackend]
    filterset_class = ApiCallFilter

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        if self.action in ("create", "mine"):
            return [IsProcurementOfficer()]
        return [ManagesCall()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return no_calls()
        if self.action == "list":
            return calls_public_listed().order_by("deadline", "pk")
        if self.action == "mine":
            return calls_managed_by(self.request.user).order_by("deadline", "pk")
        if self.action == "retrieve":
            return call_detail()
        return calls_with_authority()

    def get_serializer_class(self):
        return {
            "list": CallSummarySerializer,
            "mine": ManagedCallSerializer,
            "create": CallCreateSerializer,
            "partial_update": CallDraftSerializer,
            "cancel": CancelSerializer,
        }.get(self.action, CallDetailSerializer)

    def get_object(self) -> Call:
        """The call if this person may see it; someone else's draft does not exist (404)."""
        queryset = self.get_queryset()
        try:
            call = queryset.get(pk=self.kwargs["pk"])
        except Call.DoesNotExist:
            raise Http404 from None
        if not can(self.request.user, "calls.view_call", call):
            raise Http404
        self.check_object_permissions(self.request, call)
        return call

    def _detail(self, call: Call, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = call_detail().get(pk=call.pk)
        context = self.get_serializer_context()
        return Response(CallDetailSerializer(fresh, context=context).data, status=status_code)

    # --- Reading -------------------------------------------------------------------------------

    def list(self, request):
        calls = self.filter_queryset(self.get_queryset())
        # The officer's calls count their open questions for the page's rows only.
        read = summaries_with_open_questions if self.action == "mine" else call_summaries
        page = self.paginate_queryset(Rows(calls, read))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("The calls of my authorities, drafts included"),
        responses={200: ManagedCallSerializer(many=True), **_errors(401, 403)},
    )
    @action(detail=False, methods=["get"], filterset_class=ApiManagedCallFilter)
    def mine(self, request):
        return self.list(request)

    # --- Drafting ------------------------------------------------------------------------------

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        authority = data.pop("authority", None) or self._only_authority(request.user)
        call = call_create(
            actor=request.user, authority=authority, instrument=data.pop("instrument"), **data
        )
        return self._detail(call, status.HTTP_201_CREATED)

    @staticmethod
    def _only_authority(user):
        authorities = list(organisations_of(user, role=Role.PROCUREMENT_OFFICER)[:2])
        if len(authorities) != 1:
            raise serializers.ValidationError(
                {"authority": [_("You are an officer of several authorities: choose one.")]}
            )
        return authorities[0]

    def partial_update(self, request, pk=None):
        call = self.get_object()
        serializer = self.get_serializer(call, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            call_update_draft(call=call, actor=request.user, data=serializer.validated_data)
        except DjangoValidationError as error:  # the model's own rules, checked before saving
            raise serializers.ValidationError(error.message_dict) from error
        except DomainError as error:
            if error.code == "frozen":
                raise Conflict(error.message, code=error.code) from error
            raise
        return self._detail(call)

    # --- The lifecycle -------------------------------------------------------------------------

    @_transition(_("Publish a complete draft"))
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._detail(call_publish(call=self.get_object(), actor=request.user))

    @_transition(_("Close a call whose deadline has passed"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        try:
            call = call_close(call=self.get_object(), actor=request.user)
        except DomainError as error:
            if error.code == "open":  # the deadline has not passed: a state, not bad input
                raise Conflict(error.message, code=error.code) from error
            raise
        return self._detail(call)

    @_transition(_("Complete an awarded call"))
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._detail(call_complete(call=self.get_object(), actor=request.user))

    @extend_schema(
        summary=_("Innovation partnership: invite the selected companies to tender"),
        parameters=[CALL_ID],
        request=SendInvitationsSerializer,
        responses={200: CallDetailSerializer, **_errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="send-invitations")
    def send_invitations(self, request, pk=None):
        call = self.get_object()
        serializer = SendInvitationsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participation_invitations_send(
            call=call, actor=request.user, fewer_reason=serializer.validated_data["fewer_reason"]
        )
        return self._detail(call)

    # --- The selection of an innovation partnership (drafts) -----------------------------------

    def _selection_change(self, change) -> Response:
        try:
            change()
        except DomainError as error:
            if error.code == "frozen":
                raise Conflict(error.message, code=error.code) from error
            raise
        return self._detail(self.get_object())

    @_transition(
        _("Innovation partnership: add a selection criterion to a draft"),
        SelectionCriterionCreateSerializer,
    )
    @action(detail=True, methods=["post"], url_path="selection-criteria")
    def selection_criteria(self, request, pk=None):
        call = self.get_object()
        serializer = SelectionCriterionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._selection_change(
            lambda: selection_criterion_add(
                call=call, actor=request.user, **serializer.validated_data
            )
        )

    @extend_schema(
        summary=_("Innovation partnership: remove a selection criterion from a draft"),
        parameters=[CALL_ID, CRITERION_ID],
        request=None,
        responses={200: CallDetailSerializer, **_errors(401, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"selection-criteria/(?P<criterion_id>\d+)",
        url_name="selection-criterion",
    )
    def selection_criterion(self, request, pk=None, criterion_id=None):
        call = self.get_object()
        criterion = selection_criteria_of(call).filter(pk=criterion_id).first()
        if criterion is None:
            raise Http404
        return self._selection_change(
            lambda: selection_criterion_delete(criterion=criterion, actor=request.user)
        )

    @_transition(
        _("Innovation partnership: add an exclusion ground to a draft"),
        ExclusionGroundCreateSerializer,
    )
    @action(detail=True, methods=["post"], url_path="exclusion-grounds")
    def exclusion_grounds(self, request, pk=None):
        call = self.get_object()
        serializer = ExclusionGroundCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._selection_change(
            lambda: exclusion_ground_add(call=call, actor=request.user, **serializer.validated_data)
        )

    @extend_schema(
        summary=_("Innovation partnership: remove a discretionary exclusion ground from a draft"),
        parameters=[CALL_ID, GROUND_ID],
        request=None,
        responses={200: CallDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"exclusion-grounds/(?P<ground_id>\d+)",
        url_name="exclusion-ground",
    )
    def exclusion_ground(self, request, pk=None, ground_id=None):
        call = self.get_object()
        ground = exclusion_grounds_of(call).filter(pk=ground_id).first()
        if ground is None:
            raise Http404
        return self._selection_change(
            lambda: exclusion_ground_delete(ground=ground, actor=request.user)
        )

    @_transition(
        _("Innovation partnership: the minimum number of candidates to invite (at least 3)"),
        MinimumInvitationsSerializer,
    )
    @action(detail=True, methods=["post"], url_path="min-invitations")
    def min_invitations(self, request, pk=None):
        call = self.get_object()
        serializer = MinimumInvitationsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        minimum = serializer.validated_data["min_invitations"]
        return self._selection_change(
            lambda: selection_minimum_set(call=call, actor=request.user, minimum=minimum)
        )

    @_transition(_("Cancel a call, with the reason"), CancelSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        call = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        call = call_cancel(
            call=call, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return self._detail(call)


@extend_schema(tags=["participation"])
class ParticipationRequestViewSet(
    AuditActorMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Requests to participate in an innovation partnership."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ParticipationRequestSerializer
    lookup_value_regex = r"\d+"
    filter_backends = [FilterBackend]
    filterset_class = ParticipationRequestFilter

    def _officer_of(self) -> set[int]:
        if not hasattr(self, "_officer_cache"):
            self._officer_cache = officer_authority_ids(self.request.user)
        return self._officer_cache

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return no_participation_requests()
        queryset = participation_requests_visible_to(
            self.request.user, officer_of=self._officer_of()
        )
        return with_declaration(queryset)

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
            **data.get("declaration", {}),
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
        summary=_(
            "Assess a request per selection criterion, decide on the exclusion grounds "
            "answered yes, and select, reject or exclude it, with reasons (officer)"
        ),
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
            **serializer.assessment(),
        )
        return self._answer(participation)


@extend_schema_view(
    list=extend_schema(
        summary=_("The mandates your authority gave and those your organisation holds"),
        responses={200: MandateSerializer(many=True)},
    ),
    create=extend_schema(
        summary=_("Mandate another public organisation (RVO) to run your authority's calls"),
        request=MandateCreateSerializer,
        responses={201: MandateSerializer},
    ),
)
@extend_schema(tags=["calls"])
class MandateViewSet(AuditActorMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Mandates: who may run whose calls. The same rules as the officer's mandates page."""

    permission_classes = [IsProcurementOfficer]
    serializer_class = MandateSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return no_mandates()
        return mandates_of(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = MandateCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        mandate = mandate_grant(actor=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=mandate.pk)
        return Response(MandateSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Revoke a mandate your authority gave"),
        request=None,
        responses={200: MandateSerializer, 404: OpenApiResponse()},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        mandate = mandate_of_user(request.user, int(pk))
        if mandate is None:
            raise Http404
        mandate_revoke(actor=request.user, mandate=mandate)
        fresh = self.get_queryset().get(pk=mandate.pk)
        return Response(MandateSerializer(fresh).data)
