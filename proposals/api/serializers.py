"""How proposals and assessments look in the REST API, and what clients may send.

Serializers only read and validate: every write goes through proposals.services.
"""

from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from calls.api.serializers import RejectUnknownFieldsMixin
from calls.models import Call, Criterion, Phase, Question
from calls.selectors.calls import phases_of_published_calls
from portal.api.rows import RowFormat
from portal.money import MONEY_DIGITS

from ..models import Assessment, Assignment, Attachment, DecisionLetter, Proposal
from ..selectors.opening import deadline_of_phase
from ..services.submission import phase_deadline, questions_for

# --- Reading -----------------------------------------------------------------------------------


class ProposalCallSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text=_("For example IL-2026-00042."))
    authority = serializers.CharField(source="authority.name", read_only=True)

    class Meta:
        model = Call
        fields = ["id", "reference", "title", "authority", "blind_assessment"]
        read_only_fields = fields


class ProposalPhaseSerializer(serializers.ModelSerializer):
    deadline = serializers.SerializerMethodField(
        help_text=_("When proposals for this phase must be in (Europe/Amsterdam).")
    )

    class Meta:
        model = Phase
        fields = ["id", "order", "kind", "name", "deadline"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_deadline(self, phase: Phase) -> str | None:
        deadline = phase_deadline(phase)
        return serializers.DateTimeField().to_representation(deadline) if deadline else None


class CompanyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kvk_number = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True)
    verified = serializers.SerializerMethodField(
        help_text=_("Whether eHerkenning or a check in the trade register proved who it is.")
    )

    def get_verified(self, company) -> bool:
        return company.verified_at is not None


class DecisionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Proposal.Status.AWARDED, Proposal.Status.REJECTED], read_only=True
    )
    motivation = serializers.CharField(source="decision_motivation", read_only=True)
    decided_at = serializers.DateTimeField(read_only=True)


class ProposalSummaryListSerializer(serializers.ListSerializer):
    """A page of proposals from plain values (``proposals.selectors.proposals
    .proposal_summaries``): the address of each from one prefix instead of a ``reverse()`` per
    row, dates and amounts in one ``RowFormat``."""

    def to_representation(self, data):
        rows = list(data)
        if rows and not isinstance(rows[0], dict):  # Proposal instances: DRF's way
            return super().to_representation(rows)
        path = reverse("proposals:detail", kwargs={"pk": 0})
        request = self.context.get("request")
        prefix = path.removesuffix("0/")
        prefix = request.build_absolute_uri(prefix) if request else prefix
        row_format = RowFormat()
        return [self.child.row(row, prefix=prefix, fmt=row_format) for row in rows]


# A list reads plain values (``proposals.selectors.proposals.SUMMARY_VALUES``) and ``row``
# writes each out; the declared fields describe them in the schema (a test compares the two).
# The docstring is the schema's description of the component.
class ProposalSummarySerializer(serializers.ModelSerializer):
    """A proposal in a list: where it belongs, whose it is, where it stands."""

    url = serializers.SerializerMethodField(help_text=_("The proposal's page."))
    call = ProposalCallSerializer(read_only=True)
    phase = ProposalPhaseSerializer(read_only=True)
    company = CompanyRefSerializer(read_only=True)

    class Meta:
        model = Proposal
        list_serializer_class = ProposalSummaryListSerializer
        fields = [
            "id",
            "url",
            "title",
            "status",
            "call",
            "phase",
            "company",
            "requested_amount",
            "submission_number",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "requested_amount": {
                "help_text": _(
                    "In euro; null for an entry of a prize competition or hackathon, which "
                    "asks no amount but wins a prize of the call."
                )
            }
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, proposal: Proposal) -> str:
        path = reverse("proposals:detail", kwargs={"pk": proposal.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @staticmethod
    def row(row: dict, *, prefix: str, fmt: RowFormat) -> dict:
        """What ``to_representation`` makes of the proposal, from its ``SUMMARY_VALUES``."""
        pk = row["id"]
        order = row["phase__order"]
        return {
            "id": pk,
            "url": f"{prefix}{pk}/",
            "title": row["title"],
            "status": row["status"],
            "call": {
                "id": row["call_id"],
                "reference": Call.reference_of(row["call_id"], row["call__created_at"]),
                "title": row["call__title"],
                "authority": row["call__authority__name"],
                "blind_assessment": row["call__blind_assessment"],
            },
            "phase": {
                "id": row["phase_id"],
                "order": order,
                "kind": row["phase__kind"],
                "name": row["phase__name"],
                "deadline": fmt.datetime(
                    deadline_of_phase(order, row["phase__deadline"], row["call__deadline"])
                ),
            },
            "company": {
                "id": row["company_id"],
                "name": row["company__name"],
                "kvk_number": row["company__kvk_number"],
                "country": row["company__country"],
                "verified": row["company__verified_at"] is not None,
            },
            "requested_amount": fmt.money(row["requested_amount"]),
            "submission_number": row["submission_number"],
            "submitted_at": fmt.datetime(row["submitted_at"]),
            "decided_at": fmt.datetime(row["decided_at"]),
        }


class QuestionSnapshotSerializer(serializers.Serializer):
    """The call's question as it was when the company answered it."""

    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    choices = serializers.ListField(child=serializers.CharField(), read_only=True)
    required = serializers.BooleanField(read_only=True)


class AnswerSerializer(serializers.Serializer):
    question = QuestionSnapshotSerializer(read_only=True)
    answer = serializers.JSONField(read_only=True, allow_null=True)


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    required_document = serializers.CharField(
        source="required_document.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "sha256", "required_document", "question"]
        read_only_fields = fields


class ProposalDetailSerializer(ProposalSummarySerializer):
    """The whole proposal. For committee members of a blind call: no company, no team."""

    answers = AnswerSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()

    subcontracting = serializers.ChoiceField(
        choices=Proposal._meta.get_field("subcontracting").choices,
        allow_blank=True,
        read_only=True,
    )

    BLIND_HIDDEN = ("company", "team", "consortium_partners")

    class Meta(ProposalSummarySerializer.Meta):
        fields = [
            *ProposalSummarySerializer.Meta.fields,
            "summary",
            "approach",
            "team",
            "planning",
            "consortium_partners",
            "subcontracting",
            "subcontracting_share",
            "answers",
            "attachments",
            "content_hash",
            "declaration_text",
            "declared_at",
            "withdrawn_at",
            "decision",
        ]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        if self.context.get("blind"):
            for name in self.BLIND_HIDDEN:
                fields.pop(name, None)
        return fields

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, proposal: Proposal) -> dict | None:
        if proposal.status not in (Proposal.Status.AWARDED, Proposal.Status.REJECTED):
            return None
        return DecisionSerializer(proposal).data


# --- Writing proposals -------------------------------------------------------------------------


class ProposalCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    phase = serializers.PrimaryKeyRelatedField(
        queryset=phases_of_published_calls(),
        help_text=_("The id of the call's phase the proposal is for."),
    )
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")

    def refused_message(self, name: str) -> str:
        if name in ProposalDraftSerializer().fields:
            return _(
                "Not when creating a proposal: create the draft with phase and title, then set "
                "this field with PATCH /api/v1/proposals/<id>/."
            )
        return super().refused_message(name)


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text=_("The id of one of the call's questions."))
    answer = serializers.JSONField(
        allow_null=True,
        help_text=_(
            "Text (at most 5000 characters), a number, true or false, or one of the choices."
        ),
    )


class ProposalDraftSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """What a draft may change (PATCH: any of these; answers are merged by question)."""

    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(
        allow_blank=True, required=False, max_length=Proposal.TEXT_MAX_LENGTH["summary"]
    )
    approach = serializers.CharField(
        allow_blank=True, required=False, max_length=Proposal.TEXT_MAX_LENGTH["approach"]
    )
    team = serializers.CharField(
        allow_blank=True, required=False, max_length=Proposal.TEXT_MAX_LENGTH["team"]
    )
    planning = serializers.CharField(
        allow_blank=True, required=False, max_length=Proposal.TEXT_MAX_LENGTH["planning"]
    )
    requested_amount = serializers.DecimalField(
        **MONEY_DIGITS,
        min_value=Decimal("0.01"),
        allow_null=True,
        required=False,
        help_text=_(
            'In euro, e.g. "20000.00". An entry of a prize competition or hackathon asks no '
            "amount (it wins a prize of the call): leave it out or null."
        ),
    )
    consortium_partners = serializers.CharField(
        allow_blank=True, required=False, max_length=Proposal.TEXT_MAX_LENGTH["consortium_partners"]
    )
    subcontracting = serializers.ChoiceField(
        choices=Proposal._meta.get_field("subcontracting").choices,
        allow_blank=True,
        required=False,
        help_text=_("Whether part of the work goes to subcontractors: yes, no or unknown."),
    )
    subcontracting_share = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=Decimal("100"),
        allow_null=True,
        required=False,
        help_text=_('The share subcontracted in percent, e.g. "20.0"; only with "yes".'),
    )
    answers = AnswerInputSerializer(
        many=True,
        required=False,
        help_text=_("Answers to the call's own questions; files are uploaded on the page."),
    )

    def validate_requested_amount(self, value: Decimal | None) -> Decimal | None:
        proposal: Proposal = self.context["proposal"]
        if value is not None and proposal.call.is_contest:
            raise serializers.ValidationError(
                _("An entry of a prize competition or hackathon asks no amount: it wins a prize.")
            )
        return value

    def validate_answers(self, answers: list[dict]) -> dict[int, object]:
        """Each answer must fit its question; returns {question_id: value}."""
        proposal: Proposal = self.context["proposal"]
        questions = {q.pk: q for q in questions_for(proposal.phase)}
        errors, values = {}, {}
        for index, item in enumerate(answers):
            question = questions.get(item["question"])
            if question is None or question.kind == Question.Kind.FILE:
                errors[index] = {"question": [_("Not a question of this phase's form.")]}
                continue
            try:
                values[question.pk] = _answer_value(question, item["answer"])
            except serializers.ValidationError as error:
                errors[index] = {"answer": error.detail}
        if errors:  # keyed by position, like DRF's own errors in a list
            raise serializers.ValidationError(errors)
        return values


def _answer_value(question: Question, value):
    if value in (None, ""):
        return None
    if question.kind == Question.Kind.NUMBER:
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise serializers.ValidationError(_("Answer with a number."))
        return str(number)
    if question.kind == Question.Kind.YES_NO:
        if not isinstance(value, bool):
            raise serializers.ValidationError(_("Answer true or false."))
        return value
    if not isinstance(value, str):
        raise serializers.ValidationError(_("Answer with text."))
    if len(value) > Proposal.ANSWER_MAX_LENGTH:
        raise serializers.ValidationError(
            _("An answer has at most %(count)s characters.") % {"count": Proposal.ANSWER_MAX_LENGTH}
        )
    if question.kind == Question.Kind.CHOICE and value not in question.choice_list:
        raise serializers.ValidationError(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(question.choice_list)}
        )
    return value


class SubmitInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    declaration_accepted = serializers.BooleanField(
        required=True,
        help_text=_(
            "Required, and must be true: the company declares that its information is true and "
            "that it accepts the call's conditions (the call's declaration). The text and the "
            "moment are kept with the proposal."
        ),
    )


class DecisionInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("award", _("award")), ("reject", _("reject"))])
    motivation = serializers.CharField(
        help_text=_("Why; the company reads it in the decision e-mail.")
    )
    amount = serializers.DecimalField(
        **MONEY_DIGITS,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        help_text=_(
            "Contract amount in euro for an award; default the requested amount. For a prize: "
            "leave it out (the prize's amount), any other amount is refused."
        ),
    )
    prize = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_(
            "Prize competition or hackathon: the rank of the prize the entry wins (required "
            "for an award there, refused elsewhere)."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["decision"] == "reject" and attrs.get("amount") is not None:
            raise serializers.ValidationError({"amount": [_("A rejection has no amount.")]})
        if attrs["decision"] == "reject" and attrs.get("prize") is not None:
            raise serializers.ValidationError({"prize": [_("A rejection gives no prize.")]})
        return attrs


# --- Assessment --------------------------------------------------------------------------------


class AssessmentCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "weight", "scale_min", "scale_max", "threshold"]
        read_only_fields = fields


class OwnScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id", read_only=True)
    score = serializers.IntegerField(read_only=True)
    motivation = serializers.CharField(read_only=True)


class AssignedProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = ["id", "title", "submission_number", "status"]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    """A proposal the member is to score, with the phase's criteria and the own scores so far."""

    proposal = AssignedProposalSerializer(read_only=True)
    call = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    role = serializers.CharField(source="member.role", read_only=True)
    cleared = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Code of conduct accepted and no conflict of interest declared: "
            "the proposal can be read and scored."
        ),
    )
    criteria = serializers.SerializerMethodField()
    assessment_status = serializers.SerializerMethodField()
    submitted_at = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "proposal",
            "call",
            "phase",
            "role",
            "cleared",
            "criteria",
            "assessment_status",
            "submitted_at",
            "scores",
        ]
        read_only_fields = fields

    @extend_schema_field(ProposalCallSerializer)
    def get_call(self, assignment: Assignment) -> dict:
        return ProposalCallSerializer(assignment.proposal.call).data

    @extend_schema_field(ProposalPhaseSerializer)
    def get_phase(self, assignment: Assignment) -> dict:
        return ProposalPhaseSerializer(assignment.proposal.phase).data

    @extend_schema_field(AssessmentCriterionSerializer(many=True))
    def get_criteria(self, assignment: Assignment) -> list[dict]:
        return AssessmentCriterionSerializer(
            assignment.proposal.phase.criteria.all(), many=True
        ).data

    @staticmethod
    def _assessment(assignment: Assignment) -> Assessment | None:
        return getattr(assignment, "assessment", None)

    @extend_schema_field(
        serializers.ChoiceField(choices=["not_started", *Assessment.Status.values])
    )
    def get_assessment_status(self, assignment: Assignment) -> str:
        assessment = self._assessment(assignment)
        return assessment.status if assessment else "not_started"

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_submitted_at(self, assignment: Assignment) -> str | None:
        assessment = self._assessment(assignment)
        if assessment is None or assessment.submitted_at is None:
            return None
        return serializers.DateTimeField().to_representation(assessment.submitted_at)

    @extend_schema_field(OwnScoreSerializer(many=True))
    def get_scores(self, assignment: Assignment) -> list[dict]:
        assessment = self._assessment(assignment)
        if assessment is None:
            return []
        scores = sorted(assessment.scores.all(), key=lambda s: s.criterion_id)
        return OwnScoreSerializer(scores, many=True).data


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    score = serializers.IntegerField(allow_null=True)
    motivation = serializers.CharField(allow_blank=True, required=False, default="")


class AssessmentInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    scores = ScoreInputSerializer(many=True)
    submit = serializers.BooleanField(
        default=False, help_text=_("Submit: the scores are locked; only the chair can reopen.")
    )

    def validate_scores(self, scores: list[dict]) -> dict[int, tuple]:
        """Each score on its criterion's scale; returns {criterion_id: (score, motivation)}."""
        assignment: Assignment = self.context["assignment"]
        criteria = {c.pk: c for c in assignment.proposal.phase.criteria.all()}
        errors, values = {}, {}
        for index, item in enumerate(scores):
            criterion = criteria.get(item["criterion"])
            error = {}
            if criterion is None:
                error["criterion"] = [_("Not a criterion of this phase.")]
            elif item["criterion"] in values:
                error["criterion"] = [_("This criterion is scored twice.")]
            elif item["score"] is not None and not (
                criterion.scale_min <= item["score"] <= criterion.scale_max
            ):
                error["score"] = [
                    _("The score must lie between %(min)d and %(max)d.")
                    % {"min": criterion.scale_min, "max": criterion.scale_max}
                ]
            else:
                values[criterion.pk] = (item["score"], item["motivation"])
            if error:
                errors[index] = error
        if errors:  # keyed by position, like DRF's own errors in a list
            raise serializers.ValidationError(errors)
        return values


# --- Starting a phase's assessment -------------------------------------------------------------


class AssessmentStartCallSerializer(ProposalCallSerializer):
    class Meta(ProposalCallSerializer.Meta):
        fields = [*ProposalCallSerializer.Meta.fields, "status"]
        read_only_fields = fields


class AssessmentStartSerializer(serializers.Serializer):
    """What starting a phase's assessment did, and where the phase and its call now stand."""

    detail = serializers.CharField(read_only=True, help_text=_("What happened, in words."))
    sent_to_committee = serializers.IntegerField(
        read_only=True,
        help_text=_("Submitted proposals this request gave to the committee; 0 if none waited."),
    )
    under_assessment = serializers.IntegerField(
        read_only=True, help_text=_("The phase's proposals now with the committee, in all.")
    )
    phase = ProposalPhaseSerializer(read_only=True)
    call = AssessmentStartCallSerializer(read_only=True)


class ErrorSerializer(serializers.Serializer):
    """A refused action: the rule's message and a stable code."""

    detail = serializers.CharField()
    code = serializers.CharField()


class DecisionLetterSerializer(serializers.ModelSerializer):
    """A decision letter: its number, the decision, whether it was sent and read, and where
    to download the PDF (the company it is addressed to and the call's officers only)."""

    proposal = serializers.IntegerField(
        source="proposal_id",
        read_only=True,
        allow_null=True,
        help_text=_("The proposal decided on; null for a letter on the selection."),
    )
    participation_request = serializers.IntegerField(
        source="participation_request_id",
        read_only=True,
        allow_null=True,
        help_text=_("The request to participate of a selection letter; null otherwise."),
    )
    submission_number = serializers.CharField(
        source="proposal.submission_number", read_only=True, default=""
    )
    company = serializers.CharField(source="company.name", read_only=True)
    download_url = serializers.SerializerMethodField(help_text=_("The letter as PDF."))

    class Meta:
        model = DecisionLetter
        fields = [
            "id",
            "number",
            "proposal",
            "participation_request",
            "submission_number",
            "company",
            "kind",
            "language",
            "standstill_ends_on",
            "created_at",
            "sent_at",
            "read_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, letter) -> str | None:
        if not letter.pdf:
            return None
        url = reverse("api-letter-download", kwargs={"pk": letter.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
