"""How calls look in the REST API, and what an officer may send to draft one.

Serializers only read and validate: every write goes through calls.services.
"""

import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.rows import RowFormat
from portal.models import Organisation, Role
from portal.money import MONEY_DIGITS
from portal.selectors.identity import authorities, organisations_of

from ..models import (
    Amendment,
    Call,
    CallDocument,
    ClarificationQuestion,
    Criterion,
    CriterionAnswer,
    ExclusionAnswer,
    ExclusionGround,
    Mandate,
    ParticipationRequest,
    Phase,
    Prize,
    Question,
    SelectionCriterion,
)
from ..selectors.calls import (
    calls_not_draft,
    calls_of_authorities,
    mission_codes_of,
    missions,
    no_calls,
)
from ..selectors.mandates import possible_agents
from ..services.lifecycle import CALL_FIELDS, standstill_problem
from ..services.selection import CriterionAssessment, GroundAnswer, GroundDecision
from ..structures import declaration_text

# --- Reading -----------------------------------------------------------------------------------


class AuthorityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class MissionCodesField(serializers.Field):
    """The call's mission codes (a list reads them for the whole page with
    ``mission_codes_of``)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, call: Call) -> list[str]:
        return [mission.code for mission in call.missions.all()]


class CallSummaryListSerializer(serializers.ListSerializer):
    """A page of calls from plain values (``calls.selectors.calls.call_summaries``): the
    missions of all of them in one query of values, the public page's address from one prefix
    instead of a ``reverse()`` per call, dates and amounts in one ``RowFormat``."""

    def to_representation(self, data):
        rows = list(data)
        if rows and not isinstance(rows[0], dict):  # Call instances: DRF's way
            return super().to_representation(rows)
        codes = mission_codes_of(row["id"] for row in rows)
        prefix = call_url_prefix(self.context.get("request"))
        row_format = RowFormat()
        return [
            self.child.row(row, missions=codes.get(row["id"], []), prefix=prefix, fmt=row_format)
            for row in rows
        ]


def call_url_prefix(request) -> str:
    """The absolute address of the calls' pages up to ``<pk>-<slug>/``."""
    path = reverse("calls:detail", kwargs={"pk": 0, "slug": "x"})
    return _absolute(request, path.removesuffix("0-x/"))


# A list reads plain values (``calls.selectors.calls.SUMMARY_VALUES``) and ``row`` writes each
# out; the declared fields describe them in the schema (a test compares the two). The docstring
# is the schema's description of the component.
class CallSummarySerializer(serializers.ModelSerializer):
    """A call in a list: enough to find it and decide whether to read on."""

    reference = serializers.CharField(read_only=True, help_text=_("For example IL-2026-00042."))
    url = serializers.SerializerMethodField(help_text=_("The call's public page."))
    authority = AuthorityRefSerializer(read_only=True)
    missions = extend_schema_field(
        {"type": "array", "items": {"type": "string"}, "readOnly": True}
    )(MissionCodesField)()

    class Meta:
        model = Call
        list_serializer_class = CallSummaryListSerializer
        fields = [
            "id",
            "reference",
            "url",
            "title",
            "title_en",
            "authority",
            "instrument",
            "status",
            "missions",
            "total_budget",
            "publication_date",
            "deadline",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, call: Call) -> str:
        return _absolute(self.context.get("request"), call.get_absolute_url())

    def row(self, row: dict, *, missions: list[str], prefix: str, fmt: RowFormat) -> dict:
        """What ``to_representation`` makes of the call, from its ``SUMMARY_VALUES``."""
        pk = row["id"]
        return {
            "id": pk,
            "reference": Call.reference_of(pk, row["created_at"]),
            "url": f"{prefix}{pk}-{Call.slug_of(row['title'])}/",
            "title": row["title"],
            "title_en": row["title_en"],
            "authority": {"id": row["authority_id"], "name": row["authority__name"]},
            "instrument": row["instrument"],
            "status": row["status"],
            "missions": missions,
            "total_budget": fmt.money(row["total_budget"]),
            "publication_date": fmt.datetime(row["publication_date"]),
            "deadline": fmt.datetime(row["deadline"]),
        }


class ManagedCallSerializer(CallSummarySerializer):
    """A call in an officer's own list: also drafts, with the questions waiting for an answer."""

    open_questions = serializers.IntegerField(
        read_only=True, help_text=_("Clarification questions not yet answered.")
    )

    class Meta(CallSummarySerializer.Meta):
        fields = [*CallSummarySerializer.Meta.fields, "open_questions"]
        read_only_fields = fields

    def row(self, row: dict, **page) -> dict:
        return {**super().row(row, **page), "open_questions": row["open_questions"]}


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = [
            "name",
            "name_en",
            "description",
            "description_en",
            "weight",
            "scale_min",
            "scale_max",
            "threshold",
        ]
        read_only_fields = fields


class PrizeSerializer(serializers.ModelSerializer):
    """A prize of a prize competition or hackathon: each of its ``count`` winners gets
    ``amount``; ``total`` is what the prize costs."""

    total = serializers.DecimalField(
        **MONEY_DIGITS,
        read_only=True,
        help_text=_("The amount times the number of prizes at this rank."),
    )

    class Meta:
        model = Prize
        fields = ["rank", "amount", "count", "total", "description"]
        read_only_fields = fields


class PhaseSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    required_documents = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    prizes = PrizeSerializer(many=True, read_only=True)

    class Meta:
        model = Phase
        fields = [
            "id",
            "order",
            "kind",
            "name",
            "name_en",
            "budget",
            "max_per_award",
            "planned_awards",
            "duration_months",
            "deadline",
            "interim_targets",
            "overall_threshold",
            "criteria",
            "required_documents",
            "prizes",
        ]
        read_only_fields = fields


class FormQuestionSerializer(serializers.ModelSerializer):
    """A call-specific question of the proposal form."""

    choices = serializers.ListField(
        source="choice_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Question
        fields = ["id", "text", "help_text", "kind", "choices", "required", "phase"]
        read_only_fields = fields
        extra_kwargs = {"phase": {"help_text": _("Empty: asked in every phase.")}}


class CallDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CallDocument
        fields = ["title", "url", "size"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document: CallDocument) -> str:
        path = reverse(
            "calls:document", kwargs={"pk": document.call_id, "document_pk": document.pk}
        )
        return _absolute(self.context.get("request"), path)


class AmendmentSerializer(serializers.ModelSerializer):
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        read_only=True,
        help_text=_(
            "Per changed field: [old value, new value]; a date and time in ISO 8601 with its"
            " offset, text as it is."
        ),
    )

    class Meta:
        model = Amendment
        fields = ["number", "reason", "changes", "created_at"]
        read_only_fields = fields


class ClarificationSerializer(serializers.ModelSerializer):
    """A published question and its answer, as it appears in the nota van inlichtingen."""

    release = serializers.IntegerField(source="release.number", read_only=True)
    published_at = serializers.DateTimeField(source="release.published_at", read_only=True)
    question = serializers.CharField(source="public_text", read_only=True)

    class Meta:
        model = ClarificationQuestion
        fields = ["release", "published_at", "question", "answer"]
        read_only_fields = fields


class SelectionCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelectionCriterion
        fields = ["id", "order", "category", "description", "minimum_level", "evidence"]


class SelectionCriterionCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=SelectionCriterion.Category.choices)
    description = serializers.CharField(max_length=2000)
    minimum_level = serializers.CharField(max_length=2000)
    evidence = serializers.CharField(max_length=2000, required=False, default="")


class ExclusionGroundSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = ExclusionGround
        fields = ["id", "order", "code", "kind", "name"]


class ExclusionGroundCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExclusionGround.Kind.choices)
    name = serializers.CharField(max_length=200)


class MinimumInvitationsSerializer(serializers.Serializer):
    min_invitations = serializers.IntegerField(min_value=3, max_value=50)


class SendInvitationsSerializer(serializers.Serializer):
    fewer_reason = serializers.CharField(
        max_length=5000,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Needed when fewer candidates than the call's minimum qualify."),
    )


class CallDetailSerializer(CallSummarySerializer):
    """Everything the call's public page shows. Expects a queryset from call_detail()."""

    selection_criteria = SelectionCriterionSerializer(many=True, read_only=True)
    exclusion_grounds = ExclusionGroundSerializer(many=True, read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)
    questions = FormQuestionSerializer(many=True, read_only=True)
    documents = CallDocumentSerializer(many=True, read_only=True)
    amendments = AmendmentSerializer(many=True, read_only=True)
    clarifications = serializers.SerializerMethodField()
    declaration = serializers.SerializerMethodField(
        help_text=_("What a company declares when it submits (Dutch).")
    )
    declaration_en = serializers.SerializerMethodField(
        help_text=_("What a company declares when it submits (English).")
    )

    class Meta(CallSummarySerializer.Meta):
        fields = [
            *CallSummarySerializer.Meta.fields,
            "challenge",
            "challenge_en",
            "declaration",
            "declaration_en",
            "contact_name",
            "contact_email",
            "questions_deadline",
            "participation_deadline",
            "max_partners",
            "min_invitations",
            "reserves_right_to_stop",
            "consortium_allowed",
            "blind_assessment",
            "tie_break",
            "cancellation_reason",
            "selection_criteria",
            "exclusion_grounds",
            "phases",
            "questions",
            "documents",
            "amendments",
            "clarifications",
        ]
        read_only_fields = fields

    def get_declaration(self, call: Call) -> str:
        return declaration_text(call, settings.LANGUAGE_CODE)

    def get_declaration_en(self, call: Call) -> str:
        return declaration_text(call, "en")

    @extend_schema_field(ClarificationSerializer(many=True))
    def get_clarifications(self, call: Call) -> list[dict]:
        published = sorted(
            call.published_clarifications, key=lambda q: (q.release.number, q.asked_at, q.pk)
        )
        return ClarificationSerializer(published, many=True, context=self.context).data


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# --- Writing -----------------------------------------------------------------------------------


class RejectUnknownFieldsMixin:
    """Name a field the client may not send instead of silently ignoring it (and, where a
    serializer knows, say how it is set: ``refused_message``)."""

    def refused_message(self, name: str) -> str:
        return _("This field cannot be set here.")

    def to_internal_value(self, data):
        unknown = {}
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = {
                name: [self.refused_message(name)] for name in sorted(set(data.keys()) - writable)
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **unknown}) from error
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class CallDraftSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """The main fields of a draft call (PATCH changes any of them)."""

    missions = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=missions(),
        required=False,
        help_text=_("Mission codes, e.g. energy, health-care."),
    )

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        extra_kwargs = {"max_partners": {"min_value": 1}, "max_registrations": {"min_value": 1}}

    def validate_total_budget(self, value: Decimal) -> Decimal:
        if value <= 0:
            raise serializers.ValidationError(_("The budget must be more than zero."))
        return value

    def validate_deadline(self, value):
        if value <= timezone.now():
            raise serializers.ValidationError(_("The deadline must lie in the future."))
        return value

    def validate(self, attrs: dict) -> dict:
        def current(name):
            if name in attrs:
                return attrs[name]
            return getattr(self.instance, name, None)

        errors = {}
        deadline, questions_deadline = current("deadline"), current("questions_deadline")
        if deadline and questions_deadline and questions_deadline > deadline:
            errors["questions_deadline"] = [
                _("The deadline for questions must not lie after the deadline.")
            ]
        participation_deadline = current("participation_deadline")
        if deadline and participation_deadline and participation_deadline >= deadline:
            errors["participation_deadline"] = [
                _("Requests to participate must close before the deadline for tenders.")
            ]
        instrument = self.instance.instrument if self.instance else attrs.get("instrument")
        if instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
            for name in ("participation_deadline", "max_partners"):
                if not current(name) and name not in errors:
                    errors[name] = [_("An innovation partnership needs this.")]
        if instrument != Call.Instrument.HACKATHON and current("max_registrations"):
            errors["max_registrations"] = [_("Only a hackathon limits its registrations.")]
        if problem := standstill_problem(
            instrument=instrument or "",
            days=current("standstill_days"),
            reason=current("standstill_reason") or "",
        ):
            errors["standstill_days"] = [problem]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class CallCreateSerializer(CallDraftSerializer):
    """A new draft: its main fields plus the authority and instrument, fixed from then on."""

    authority = serializers.PrimaryKeyRelatedField(
        queryset=authorities(),
        required=False,
        help_text=_("Needed only if you are an officer of several authorities."),
    )

    class Meta(CallDraftSerializer.Meta):
        fields = ["authority", "instrument", *CallDraftSerializer.Meta.fields]


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text=_("Why the call is cancelled; published with the call.")
    )


class CallErrorSerializer(serializers.Serializer):
    """A refused action: the rule's message and a stable code."""

    detail = serializers.CharField()
    code = serializers.CharField()


class ExclusionAnswerSerializer(serializers.ModelSerializer):
    ground_name = serializers.CharField(source="ground.display_name", read_only=True)

    class Meta:
        model = ExclusionAnswer
        fields = [
            "ground",
            "ground_name",
            "applies",
            "explanation",
            "self_cleaning",
            "decision",
            "decision_reason",
        ]
        read_only_fields = fields


class CriterionAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriterionAnswer
        fields = ["criterion", "response", "meets", "reason"]
        read_only_fields = fields


class ParticipationRequestSerializer(serializers.ModelSerializer):
    call_reference = serializers.CharField(source="call.reference", read_only=True)
    company = serializers.CharField(source="company.name", read_only=True)
    document_url = serializers.SerializerMethodField()
    is_invited = serializers.BooleanField(read_only=True)
    decision_motivation = serializers.SerializerMethodField()
    exclusion_answers = ExclusionAnswerSerializer(many=True, read_only=True)
    criterion_answers = CriterionAnswerSerializer(many=True, read_only=True)

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
            "exclusion_answers",
            "criterion_answers",
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
        if self._hides_decision(participation):
            if data["status"] in ("selected", "rejected", "excluded"):
                data["status"] = ParticipationRequest.Status.SUBMITTED.value
                data["decided_at"] = None
            # The officer's assessment is read with the decision, not before.
            for answer in data["exclusion_answers"]:
                answer["decision"], answer["decision_reason"] = "", ""
            for answer in data["criterion_answers"]:
                answer["meets"], answer["reason"] = None, ""
        return data


class GroundAnswerSerializer(serializers.Serializer):
    ground = serializers.IntegerField()
    applies = serializers.BooleanField()
    explanation = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    self_cleaning = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )


class CriterionResponseSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    response = serializers.CharField(max_length=5000)


class DeclarationSerializer(serializers.Serializer):
    exclusions = GroundAnswerSerializer(many=True, required=False, default=list)
    criteria = CriterionResponseSerializer(many=True, required=False, default=list)


class DeclarationField(serializers.JSONField):
    """The self-declaration as one JSON value: a JSON text in a multipart form."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as error:
                raise serializers.ValidationError(_("Send the declaration as JSON.")) from error
        serializer = DeclarationSerializer(data=value)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return {
            "exclusions": {
                item["ground"]: GroundAnswer(
                    applies=item["applies"],
                    explanation=item["explanation"],
                    self_cleaning=item["self_cleaning"],
                )
                for item in data["exclusions"]
            },
            "criteria": {item["criterion"]: item["response"] for item in data["criteria"]},
        }


@extend_schema_field(DeclarationSerializer)
class _DocumentedDeclarationField(DeclarationField):
    pass


class ParticipationCreateSerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=calls_not_draft())
    motivation = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    document = serializers.FileField(allow_empty_file=True)
    declaration = _DocumentedDeclarationField(
        required=False,
        help_text=_(
            "The self-declaration, as JSON (a JSON text in multipart): every exclusion ground "
            "of the call with applies true/false (an explanation on true, and any "
            "self-cleaning measures), and every selection criterion with the requested "
            "figures and references."
        ),
    )


class GroundDecisionSerializer(serializers.Serializer):
    ground = serializers.IntegerField()
    exclude = serializers.BooleanField()
    reason = serializers.CharField(max_length=5000)


class CriterionAssessmentSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    meets = serializers.BooleanField()
    reason = serializers.CharField(max_length=5000)


class ParticipationDecisionSerializer(serializers.Serializer):
    selected = serializers.BooleanField(help_text=_("true: invite to tender; false: reject."))
    motivation = serializers.CharField(max_length=5000)
    exclusions = GroundDecisionSerializer(
        many=True,
        required=False,
        default=list,
        help_text=_("A decision with its reason on every exclusion ground answered yes."),
    )
    criteria = CriterionAssessmentSerializer(
        many=True,
        required=False,
        default=list,
        help_text=_("The assessment with its reason of every selection criterion."),
    )

    def assessment(self) -> dict:
        data = self.validated_data
        return {
            "exclusions": {
                item["ground"]: GroundDecision(exclude=item["exclude"], reason=item["reason"])
                for item in data["exclusions"]
            },
            "criteria": {
                item["criterion"]: CriterionAssessment(meets=item["meets"], reason=item["reason"])
                for item in data["criteria"]
            },
        }


# --- Mandates ------------------------------------------------------------------------------------


class MandateSerializer(serializers.ModelSerializer):
    principal_name = serializers.CharField(source="principal.name")
    agent_name = serializers.CharField(source="agent.name")
    call_reference = serializers.CharField(source="call.reference", allow_null=True, default=None)
    active = serializers.SerializerMethodField()

    class Meta:
        model = Mandate
        fields = [
            "id",
            "principal",
            "principal_name",
            "agent",
            "agent_name",
            "call",
            "call_reference",
            "granted_at",
            "revoked_at",
            "active",
        ]

    def get_active(self, mandate) -> bool:
        return mandate.revoked_at is None


class MandateCreateSerializer(serializers.Serializer):
    """A mandate from one of the officer's own authorities to another public organisation
    (RVO), for every call of the authority or for one call."""

    principal = serializers.PrimaryKeyRelatedField(
        queryset=authorities().none(), help_text=_("Your contracting authority.")
    )
    agent = serializers.PrimaryKeyRelatedField(
        queryset=authorities().none(), help_text=_("The organisation that may act for it.")
    )
    call = serializers.PrimaryKeyRelatedField(
        queryset=no_calls(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Leave empty for a general mandate."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            own = organisations_of(request.user, role=Role.PROCUREMENT_OFFICER)
            self.fields["principal"].queryset = own.filter(kind=Organisation.Kind.AUTHORITY)
            self.fields["agent"].queryset = possible_agents(own.values("pk"))
            self.fields["call"].queryset = calls_of_authorities(own)
