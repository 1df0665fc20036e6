"""The proposals API: a company's drafts and submissions, the start of a phase's assessment,
the committee's scores, decisions.

Thin on purpose: who may see what comes from proposals.permissions (the same rules as the
pages), reads from proposals.selectors, every write from the services; domain errors become
JSON through portal.api.errors.exception_handler (DomainError 400, NotAllowed 403,
IllegalTransition 409). A proposal someone may not see does not exist for them (404).
"""

import django_filters
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from calls.models import Phase
from calls.permissions import is_officer_of
from calls.selectors.calls import calls_with_authority, phases_with_call, prize_of_phase
from portal.api.filters import FilterBackend, IdFilter
from portal.api.pagination import Rows
from portal.api.views import AuditActorMixin
from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import can

from ..models import DecisionLetter, Proposal
from ..permissions import is_company_member
from ..selectors.assessment import assignments_for_member, no_assignments, own_assignment
from ..selectors.letters import letter_by_pk, letters_visible_to, no_letters
from ..selectors.proposals import (
    no_proposals,
    proposal_summaries,
    proposals_visible_in_list,
    proposals_with_attachments,
    under_assessment_count,
)
from ..services.assessment import assessment_open, assessment_save
from ..services.decisions import proposal_award, proposal_reject
from ..services.letters import decision_letter_mark_read
from ..services.submission import (
    proposal_save_draft,
    proposal_start,
    proposal_submit,
    proposal_withdraw,
)
from .serializers import (
    AssessmentInputSerializer,
    AssessmentStartSerializer,
    AssignmentSerializer,
    DecisionInputSerializer,
    DecisionLetterSerializer,
    ErrorSerializer,
    ProposalCreateSerializer,
    ProposalDetailSerializer,
    ProposalDraftSerializer,
    ProposalSummarySerializer,
    SubmitInputSerializer,
)


class Conflict(DomainError):
    """The object is in a state that refuses this change (submitted, locked)."""

    status_code = 409


# Domain error codes that mean "not in this state" rather than "bad input".
CONFLICT_CODES = {"frozen", "locked", "deadline_not_passed", "call_status"}


def _as_conflict(error: DomainError) -> DomainError:
    if error.code in CONFLICT_CODES and error.status_code == 400:
        return Conflict(error.message, code=error.code)
    return error


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


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


PROPOSAL_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The proposal's id.")
)
ASSIGNMENT_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The assignment's id.")
)
PHASE_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The id of the call's phase.")
)


class ProposalFilter(django_filters.FilterSet):
    call = IdFilter(field_name="call_id", label=_("Call id"))
    phase = IdFilter(field_name="phase_id", label=_("Phase id"))
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices, label=_("Status"))

    class Meta:
        model = Proposal
        fields = ["call", "phase", "status"]


@extend_schema_view(
    list=extend_schema(
        summary=_("My proposals: my company's, or the submitted ones of my calls"),
        responses={200: ProposalSummarySerializer(many=True), **_errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary=_("One proposal with its answers, documents and decision"),
        parameters=[PROPOSAL_ID],
        responses={200: ProposalDetailSerializer, **_errors(401, 404)},
    ),
    create=extend_schema(
        summary=_("Start a draft proposal for a phase of an open call"),
        request=ProposalCreateSerializer,
        responses={201: ProposalDetailSerializer, **_errors(400, 401, 403)},
    ),
    partial_update=extend_schema(
        summary=_("Save a draft: any of its fields and answers"),
        parameters=[PROPOSAL_ID],
        request=ProposalDraftSerializer,
        responses={200: ProposalDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    ),
)
@extend_schema(tags=["proposals"])
class ProposalViewSet(AuditActorMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [FilterBackend]
    filterset_class = ProposalFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return no_proposals()
        if self.action == "list":
            return proposals_visible_in_list(self.request.user).order_by("-created_at", "-pk")
        return proposals_with_attachments()

    def get_serializer_class(self):
        return {
            "list": ProposalSummarySerializer,
            "create": ProposalCreateSerializer,
            "partial_update": ProposalDraftSerializer,
            "decision": DecisionInputSerializer,
            "submit": SubmitInputSerializer,
        }.get(self.action, ProposalDetailSerializer)

    def get_object(self) -> Proposal:
        """The proposal if this person may see it; anyone else's does not exist (404)."""
        try:
            proposal = proposals_with_attachments().get(pk=self.kwargs["pk"])
        except Proposal.DoesNotExist:
            raise Http404 from None
        if not can(self.request.user, "proposals.view_proposal", proposal):
            raise Http404
        return proposal

    def _detail(self, proposal: Proposal, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = proposals_with_attachments().get(pk=proposal.pk)
        user = self.request.user
        blind = (
            fresh.call.blind_assessment
            and not is_company_member(user, fresh.company_id)
            and not is_officer_of(user, fresh.call.authority_id)
        )
        context = {**self.get_serializer_context(), "blind": blind}
        return Response(ProposalDetailSerializer(fresh, context=context).data, status=status_code)

    # --- Reading -------------------------------------------------------------------------------

    def list(self, request):
        proposals = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(Rows(proposals, proposal_summaries))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    # --- The company's writes ------------------------------------------------------------------

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = proposal_start(phase=data["phase"], actor=request.user, title=data["title"])
        return self._detail(proposal, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        proposal = self.get_object()
        serializer = self.get_serializer(
            data=request.data,
            partial=True,
            context={**self.get_serializer_context(), "proposal": proposal},
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        answers = fields.pop("answers", None)
        if answers is not None:
            # PATCH: the answers sent replace those to the same questions, the rest stay.
            kept = {entry["question"]["id"]: entry.get("answer") for entry in proposal.answers}
            answers = {**kept, **answers}
        try:
            proposal = proposal_save_draft(
                proposal=proposal, actor=request.user, fields=fields, answers=answers
            )
        except DomainError as error:
            raise _as_conflict(error) from error
        return self._detail(proposal)

    @extend_schema(
        summary=_("Submit a complete draft before the deadline (a repeat changes nothing)"),
        parameters=[PROPOSAL_ID],
        request=SubmitInputSerializer,
        responses={200: ProposalDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        proposal = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = proposal_submit(
            proposal=proposal,
            actor=request.user,
            declaration_accepted=serializer.validated_data["declaration_accepted"],
        )
        return self._detail(proposal)

    @extend_schema(
        summary=_("Withdraw: a draft is deleted (204), a submission withdrawn before the deadline"),
        parameters=[PROPOSAL_ID],
        request=None,
        responses={
            200: ProposalDetailSerializer,
            204: OpenApiResponse(description=_("The draft is deleted.")),
            **_errors(400, 401, 403, 404, 409),
        },
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        proposal = self.get_object()
        was_draft = proposal.status == Proposal.Status.DRAFT
        proposal = proposal_withdraw(proposal=proposal, actor=request.user)
        if was_draft:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._detail(proposal)

    # --- The officer's decision ----------------------------------------------------------------

    @extend_schema(
        summary=_("Award (with a contract) or reject a proposal under assessment"),
        parameters=[PROPOSAL_ID],
        request=DecisionInputSerializer,
        responses={200: ProposalDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        proposal = self.get_object()
        if not can(request.user, "proposals.decide_proposal", proposal):
            self.permission_denied(
                request, message=_("Only officers of the call's authority decide.")
            )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["decision"] == "award":
            rank = data.get("prize")
            prize = None
            if rank is not None:
                prize = prize_of_phase(phase_id=proposal.phase_id, rank=rank)
                if prize is None:
                    raise ValidationError({"prize": [_("The phase has no prize of that rank.")]})
            proposal_award(
                proposal=proposal,
                actor=request.user,
                motivation=data["motivation"],
                amount=data.get("amount"),
                prize=prize,
            )
        else:
            proposal_reject(proposal=proposal, actor=request.user, motivation=data["motivation"])
        return self._detail(proposal)


# --- Assessment --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("My assignments: proposals to score, the criteria and my scores so far"),
        responses={200: AssignmentSerializer(many=True), **_errors(401)},
    ),
    update=extend_schema(
        summary=_("Save my scores for an assignment; with submit, lock them"),
        parameters=[ASSIGNMENT_ID],
        request=AssessmentInputSerializer,
        responses={200: AssignmentSerializer, **_errors(400, 401, 403, 404, 409)},
    ),
)
@extend_schema(tags=["assessment"])
class AssessmentViewSet(AuditActorMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AssignmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return no_assignments()
        return assignments_for_member(self.request.user)

    def get_serializer_class(self):
        return AssessmentInputSerializer if self.action == "update" else AssignmentSerializer

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    def update(self, request, pk=None):
        assignment = own_assignment(pk=pk, user=request.user)
        # Not one's own, not cleared (code, declaration) or conflicted: it does not exist.
        if assignment is None or not can(
            request.user, "proposals.view_proposal", assignment.proposal
        ):
            raise Http404
        serializer = AssessmentInputSerializer(
            data=request.data, context={**self.get_serializer_context(), "assignment": assignment}
        )
        serializer.is_valid(raise_exception=True)
        try:
            assessment_save(
                assignment=assignment,
                actor=request.user,
                scores=serializer.validated_data["scores"],
                submit=serializer.validated_data["submit"],
            )
        except DomainError as error:
            raise _as_conflict(error) from error
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(AssignmentSerializer(fresh, context=self.get_serializer_context()).data)


# --- A phase: starting its assessment ----------------------------------------------------------


@extend_schema(tags=["assessment"])
class PhaseViewSet(AuditActorMixin, viewsets.GenericViewSet):
    """A call's phase, by the id the calls and proposals give it; only the assessment's start.

    A phase of a call someone may not see (another authority's draft) does not exist for
    them (404); a visible one that they do not manage is refused (403), as for calls.
    """

    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AssessmentStartSerializer

    def get_queryset(self):
        return phases_with_call()

    def get_object(self) -> Phase:
        try:
            phase = self.get_queryset().get(pk=self.kwargs["pk"])
        except Phase.DoesNotExist:
            raise Http404 from None
        if not can(self.request.user, "calls.view_call", phase.call):
            raise Http404
        if not can(self.request.user, "calls.manage_call", phase.call):
            self.permission_denied(
                self.request,
                message=_(
                    "Only procurement officers of the call's contracting authority can do this."
                ),
            )
        return phase

    @extend_schema(
        summary=_(
            "After the deadline: give the phase's submitted proposals to the committee "
            "(with the first phase, the call goes under assessment; a repeat changes nothing)"
        ),
        parameters=[PHASE_ID],
        request=None,
        responses={200: AssessmentStartSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="start-assessment")
    def start_assessment(self, request, pk=None):
        phase = self.get_object()
        try:
            sent = assessment_open(phase=phase, actor=request.user)
        except DomainError as error:
            raise _as_conflict(error) from error
        if sent:
            detail = ngettext(
                "The assessment has started: %(count)d proposal goes to the committee.",
                "The assessment has started: %(count)d proposals go to the committee.",
                sent,
            ) % {"count": sent}
        else:
            detail = _("No submitted proposals were waiting for the assessment.")
        result = {
            "detail": detail,
            "sent_to_committee": sent,
            "under_assessment": under_assessment_count(phase),
            "phase": phase,
            "call": calls_with_authority().get(pk=phase.call_id),
        }
        return Response(
            AssessmentStartSerializer(result, context=self.get_serializer_context()).data
        )


# --- Decision letters --------------------------------------------------------------------------


class PDFRenderer(BaseRenderer):
    """Lets a client ask for the PDF with ``Accept: application/pdf``; the view returns it."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class LetterFilter(django_filters.FilterSet):
    proposal = IdFilter(field_name="proposal_id", label=_("Proposal id"))
    phase = IdFilter(field_name="proposal__phase_id", label=_("Phase id"))

    class Meta:
        model = DecisionLetter
        fields = ["proposal", "phase"]


LETTER_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The letter's id.")
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Decision letters: my company's, or those of the calls I run"),
        responses={200: DecisionLetterSerializer(many=True), **_errors(401)},
    ),
    retrieve=extend_schema(
        summary=_("One decision letter"),
        parameters=[LETTER_ID],
        responses={200: DecisionLetterSerializer, **_errors(401, 404)},
    ),
    download=extend_schema(
        summary=_("The decision letter as PDF; a first download by the company marks it read"),
        parameters=[LETTER_ID],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **_errors(401, 404),
        },
    ),
)
@extend_schema(tags=["proposals"])
class DecisionLetterViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DecisionLetterSerializer
    filter_backends = [FilterBackend]
    filterset_class = LetterFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return no_letters()
        return letters_visible_to(self.request.user)

    def get_object(self) -> DecisionLetter:
        """The letter if this person may read it; anyone else's does not exist (404)."""
        letter = letter_by_pk(int(self.kwargs["pk"]))
        if letter is None or not can(self.request.user, "proposals.view_letter", letter):
            raise Http404
        return letter

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def download(self, request, pk=None):
        letter = self.get_object()
        if not letter.pdf:
            raise Http404
        response = file_response(letter.pdf, filename=letter.filename)
        decision_letter_mark_read(letter=letter, actor=request.user)
        return response
