"""The funding API: funds with their balances and transactions, and co-financing applications.

Thin on purpose: reads come from funding.selectors and querysets shaped for one query per list,
every write from funding.services; domain errors become JSON through
portal.api.errors.exception_handler (DomainError 400, NotAllowed 403).
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from calls.selectors.calls import calls_managed_by
from portal.api.views import AuditActorMixin
from portal.models import Role
from portal.selectors.identity import organisations_of, roles_of

from ..selectors.budget import (
    ezk_fund_codes,
    fund_balances,
    fund_transactions_with_entries,
    funds_visible_to,
    no_funds,
)
from ..selectors.cofinancing import applications_with_round, round_by_pk, rounds_with_counts
from ..selectors.funds import ezk_fund_by_code
from ..selectors.purchases import no_purchases, purchases_of_call
from ..selectors.trajectories import supported_trajectory_calls, trajectories_of
from ..services.cofinancing import cofinancing_apply, cofinancing_approve, cofinancing_reject
from ..services.funds import appropriation_book, fund_create
from ..services.purchases import follow_up_purchase_record
from ..services.rounds import round_close, round_create, round_open
from .serializers import (
    ApplicationSerializer,
    ApplyRequestSerializer,
    AppropriationRequestSerializer,
    DecisionSerializer,
    FundCreateSerializer,
    FundSerializer,
    PurchaseCreateSerializer,
    PurchaseSerializer,
    RejectSerializer,
    RoundCreateSerializer,
    RoundSerializer,
    TrajectorySerializer,
    TransactionQuerySerializer,
    TransactionSerializer,
)


def _is_staff(user) -> bool:
    return Role.MINISTRY_STAFF in roles_of(user)


def _is_officer(user) -> bool:
    return Role.PROCUREMENT_OFFICER in roles_of(user)


class IsStaffOrOfficer(permissions.BasePermission):
    message = _("Only ministry staff and procurement officers can see funding.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return user.is_authenticated and (_is_staff(user) or _is_officer(user))


class IsMinistryStaff(permissions.BasePermission):
    message = _("Only ministry staff decide on co-financing.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and _is_staff(request.user)


class IsOfficer(permissions.BasePermission):
    message = _("Only procurement officers of a contracting authority can apply.")

    def has_permission(self, request, view) -> bool:
        return request.user.is_authenticated and _is_officer(request.user)


# --- Views ----------------------------------------------------------------------------------------


def _visible_funds(user):
    return funds_visible_to(user, everything=_is_staff(user))


@extend_schema_view(
    list=extend_schema(
        summary=_("Funds with their appropriated, available, committed and paid amounts"),
        responses={200: FundSerializer(many=True)},
    ),
)
@extend_schema(tags=["funding"])
class FundViewSet(AuditActorMixin, viewsets.GenericViewSet):
    lookup_field = "code"
    serializer_class = FundSerializer
    filter_backends: list = []

    def get_permissions(self):
        if self.action in ("create", "appropriations"):
            return [IsMinistryStaff()]
        return [IsStaffOrOfficer()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return no_funds()
        return _visible_funds(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        data = FundSerializer(fund_balances(page), many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary=_("Create an EZK fund with its first appropriation"),
        request=FundCreateSerializer,
        responses={201: FundSerializer},
    )
    def create(self, request):
        serializer = FundCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        fund = fund_create(actor=request.user, **serializer.validated_data)
        return Response(
            FundSerializer(fund_balances([fund])[0]).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Book an appropriation (more money) or a correction (less) on an EZK fund"),
        request=AppropriationRequestSerializer,
        responses={201: TransactionSerializer, 404: OpenApiResponse()},
    )
    @action(detail=True, methods=["post"], serializer_class=AppropriationRequestSerializer)
    def appropriations(self, request, code=None):
        fund = ezk_fund_by_code(code)
        if fund is None:
            raise Http404
        serializer = AppropriationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = appropriation_book(
            fund=fund,
            actor=request.user,
            amount=data["amount"],
            description=data["description"],
            correction=data["kind"] == "correction",
        )
        return Response(TransactionSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("A fund's transactions with their entries, newest first"),
        parameters=[TransactionQuerySerializer],
        responses={200: TransactionSerializer(many=True), 404: OpenApiResponse()},
    )
    @action(detail=True, methods=["get"], serializer_class=TransactionSerializer)
    def transactions(self, request, code=None):
        fund = self.get_queryset().filter(code=code).first()
        if fund is None:
            raise Http404
        query = TransactionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = fund_transactions_with_entries(fund)
        if query.validated_data.get("call"):
            queryset = queryset.filter(call_id=query.validated_data["call"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(TransactionSerializer(page, many=True).data)


@extend_schema(
    tags=["funding"],
    summary=_("The trajectories EZK co-finances, with their money and phase funnel"),
    responses={200: TrajectorySerializer(many=True)},
)
class TrajectoryViewSet(viewsets.GenericViewSet):
    """Ministry staff see every trajectory; an officer only their own authority's."""

    permission_classes = [IsStaffOrOfficer]
    serializer_class = TrajectorySerializer
    filter_backends: list = []

    def list(self, request):
        own = None
        if not _is_staff(request.user):
            own = organisations_of(request.user, role=Role.PROCUREMENT_OFFICER)
        # A page of the calls, then only that page's money and funnel.
        page = self.paginate_queryset(supported_trajectory_calls(authorities=own))
        codes = ezk_fund_codes()
        serializer = TrajectorySerializer(
            trajectories_of(page or []),
            many=True,
            context={"request": request, "fund_codes": codes},
        )
        return self.get_paginated_response(serializer.data)


@extend_schema_view(
    list=extend_schema(
        summary=_("Co-financing applications: your authority's, or all for ministry staff")
    ),
    create=extend_schema(
        summary=_("Apply for EZK co-financing of a trajectory in an open round"),
        request=ApplyRequestSerializer,
        responses={201: ApplicationSerializer},
    ),
)
@extend_schema(tags=["funding"])
class CoFinancingApplicationViewSet(
    AuditActorMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    lookup_value_regex = r"\d+"
    serializer_class = ApplicationSerializer
    filter_backends: list = []

    def get_permissions(self):
        if self.action == "create":
            return [IsOfficer()]
        if self.action in ("approve", "reject"):
            return [IsMinistryStaff()]
        return [IsStaffOrOfficer()]

    def get_queryset(self):
        applications = applications_with_round()
        if getattr(self, "swagger_fake_view", False):
            return applications.none()
        user = self.request.user
        if _is_staff(user):
            return applications
        return applications.filter(
            authority__in=organisations_of(user, role=Role.PROCUREMENT_OFFICER)
        )

    def create(self, request):
        serializer = ApplyRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = cofinancing_apply(
            funding_round=data["round"],
            call=data["call"],
            actor=request.user,
            trajectory_cost=data["trajectory_cost"],
            requested=data["requested"],
            motivation=data["motivation"],
            plan=data["plan"],
        )
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    def _decided(self, application) -> Response:
        fresh = self.get_queryset().get(pk=application.pk)
        return Response(ApplicationSerializer(fresh).data)

    @extend_schema(
        summary=_("Approve: commit the requested amount from the round's fund"),
        request=DecisionSerializer,
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        application = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cofinancing_approve(
            application=application,
            actor=request.user,
            motivation=serializer.validated_data["motivation"],
        )
        return self._decided(application)

    @extend_schema(
        summary=_("Reject, with the motivation"),
        request=RejectSerializer,
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        application = self.get_object()
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cofinancing_reject(
            application=application,
            actor=request.user,
            motivation=serializer.validated_data["motivation"],
        )
        return self._decided(application)


@extend_schema_view(
    list=extend_schema(summary=_("Co-financing rounds, newest first")),
    create=extend_schema(
        summary=_("Prepare a co-financing round (ministry staff)"),
        request=RoundCreateSerializer,
        responses={201: RoundSerializer},
    ),
)
@extend_schema(tags=["funding"])
class RoundViewSet(AuditActorMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    serializer_class = RoundSerializer
    filter_backends: list = []

    def get_permissions(self):
        if self.action in ("create", "open", "close"):
            return [IsMinistryStaff()]
        return [IsStaffOrOfficer()]

    def get_queryset(self):
        return rounds_with_counts()

    def create(self, request):
        serializer = RoundCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        funding_round = round_create(actor=request.user, **serializer.validated_data)
        return Response(RoundSerializer(funding_round).data, status=status.HTTP_201_CREATED)

    def _transition(self, pk, service) -> Response:
        funding_round = round_by_pk(int(pk))
        if funding_round is None:
            raise Http404
        return Response(
            RoundSerializer(service(funding_round=funding_round, actor=self.request.user)).data
        )

    @extend_schema(
        summary=_("Open a prepared round"), request=None, responses={200: RoundSerializer}
    )
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return self._transition(pk, round_open)

    @extend_schema(summary=_("Close an open round"), request=None, responses={200: RoundSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(pk, round_close)


@extend_schema_view(
    list=extend_schema(
        summary=_("The follow-up purchases (phase 3) of a call you run"),
        responses={200: PurchaseSerializer(many=True), 404: OpenApiResponse()},
    ),
    create=extend_schema(
        summary=_("Record a follow-up purchase (phase 3) of a call you run"),
        request=PurchaseCreateSerializer,
        responses={201: PurchaseSerializer, 404: OpenApiResponse()},
    ),
)
@extend_schema(tags=["funding"])
class FollowUpPurchaseViewSet(AuditActorMixin, viewsets.GenericViewSet):
    """The same rules as the follow-up page: a call someone does not run does not exist here."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PurchaseSerializer
    filter_backends: list = []

    def _call(self):
        call = calls_managed_by(self.request.user).filter(pk=self.kwargs["call_pk"]).first()
        if call is None:
            raise Http404
        return call

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return no_purchases()
        return purchases_of_call(self._call())

    def list(self, request, call_pk=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PurchaseSerializer(page, many=True).data)

    def create(self, request, call_pk=None):
        call = self._call()
        serializer = PurchaseCreateSerializer(data=request.data, context={"call": call})
        serializer.is_valid(raise_exception=True)
        purchase = follow_up_purchase_record(
            actor=request.user, call=call, **serializer.validated_data
        )
        fresh = purchases_of_call(call).get(pk=purchase.pk)
        return Response(PurchaseSerializer(fresh).data, status=status.HTTP_201_CREATED)
