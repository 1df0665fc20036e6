"""Forms of the innovation partnership's first stage. They validate input; services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ExclusionAnswer, ExclusionGround, SelectionCriterion
from ..services.selection import CriterionAssessment, GroundAnswer, GroundDecision


class ParticipationRequestForm(forms.Form):
    motivation = forms.CharField(
        label=_("Experience and capacity"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Briefly: comparable work your company did, and the people and means it can put in."
        ),
        error_messages={"required": _("Describe your experience and capacity.")},
    )
    document = forms.FileField(
        label=_("Suitability document (PDF)"),
        help_text=_("References, CVs of key people, certificates: one PDF of at most 20 MB."),
        # The service checks the content (empty, size, really a PDF, viruses).
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Add the suitability document.")},
    )


class ParticipationDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("select", _("select: invite to tender")), ("reject", _("do not select"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "select",
        error_messages={"required": _("Choose whether to select this company.")},
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("On suitability: experience and capacity. The company reads it."),
        error_messages={"required": _("Give the motivation of your decision.")},
    )


YES_NO = [("no", _("no")), ("yes", _("yes"))]


class SelfDeclarationForm(ParticipationRequestForm):
    """The request as a self-declaration (UEA-like) against the call's published exclusion
    grounds and selection criteria, with the suitability document."""

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.grounds = list(call.exclusion_grounds.all())
        self.criteria = list(call.selection_criteria.all())
        if self.grounds or self.criteria:
            self.fields["motivation"].required = False
            self.fields["motivation"].label = _("Further explanation")
            self.fields["motivation"].help_text = _(
                "Anything the authority should know beyond the answers below."
            )
        for ground in self.grounds:
            self.fields[f"ground_{ground.pk}"] = forms.ChoiceField(
                label=ground.display_name,
                choices=YES_NO,
                widget=forms.RadioSelect,
                help_text=_("Does this ground apply to your company or its directors?"),
                error_messages={"required": _("Answer yes or no.")},
            )
            self.fields[f"ground_{ground.pk}_explanation"] = forms.CharField(
                label=_("Explanation (if yes)"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"ground_{ground.pk}_self_cleaning"] = forms.CharField(
                label=_("Self-cleaning measures (if yes)"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.CharField(
                label=_("Your figures and references"),
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=criterion.evidence,
                error_messages={"required": _("Give the requested figures or references.")},
            )

    def ground_rows(self):
        return [
            (
                ground,
                self[f"ground_{ground.pk}"],
                self[f"ground_{ground.pk}_explanation"],
                self[f"ground_{ground.pk}_self_cleaning"],
            )
            for ground in self.grounds
        ]

    def criterion_rows(self):
        return [(criterion, self[f"criterion_{criterion.pk}"]) for criterion in self.criteria]

    def clean(self):
        cleaned = super().clean()
        for ground in self.grounds:
            name = f"ground_{ground.pk}"
            if cleaned.get(name) == "yes" and not cleaned.get(f"{name}_explanation", "").strip():
                self.add_error(
                    f"{name}_explanation",
                    _("Explain your “yes”, with any self-cleaning measures."),
                )
        return cleaned

    def declaration(self) -> dict:
        data = self.cleaned_data
        return {
            "exclusions": {
                ground.pk: GroundAnswer(
                    applies=data[f"ground_{ground.pk}"] == "yes",
                    explanation=data[f"ground_{ground.pk}_explanation"],
                    self_cleaning=data[f"ground_{ground.pk}_self_cleaning"],
                )
                for ground in self.grounds
            },
            "criteria": {
                criterion.pk: data[f"criterion_{criterion.pk}"] for criterion in self.criteria
            },
        }


class ParticipationAssessmentForm(ParticipationDecisionForm):
    """The officer's assessment per selection criterion, the decision on every exclusion
    ground answered "yes", and the decision on the request, each with its reason."""

    def __init__(self, *args, participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.yes_answers = [a for a in participation.exclusion_answers.all() if a.applies]
        self.criterion_answers = list(participation.criterion_answers.all())
        for answer in self.yes_answers:
            name = f"ground_{answer.ground_id}"
            self.fields[name] = forms.ChoiceField(
                label=_("Decision on this exclusion ground"),
                choices=ExclusionAnswer.Decision.choices,
                widget=forms.RadioSelect,
                initial=answer.decision or None,
                error_messages={"required": _("Decide whether to exclude the candidate.")},
            )
            self.fields[f"{name}_reason"] = forms.CharField(
                label=_("Reason"),
                max_length=5000,
                initial=answer.decision_reason,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Give the reason of your decision.")},
            )
        for answer in self.criterion_answers:
            name = f"criterion_{answer.criterion_id}"
            self.fields[name] = forms.ChoiceField(
                label=_("Assessment"),
                choices=[("meets", _("meets the minimum level")), ("fails", _("does not meet it"))],
                widget=forms.RadioSelect,
                initial={True: "meets", False: "fails"}.get(answer.meets),  # type: ignore[arg-type]
                error_messages={"required": _("Assess this criterion.")},
            )
            self.fields[f"{name}_reason"] = forms.CharField(
                label=_("Reason"),
                max_length=5000,
                initial=answer.reason,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("The candidate reads it."),
                error_messages={"required": _("Give the reason of your assessment.")},
            )
        # The decision and its motivation come last, after the assessment.
        self.order_fields([name for name in self.fields if name not in ("decision", "motivation")])

    def ground_rows(self):
        return [
            (answer, self[f"ground_{answer.ground_id}"], self[f"ground_{answer.ground_id}_reason"])
            for answer in self.yes_answers
        ]

    def criterion_rows(self):
        return [
            (
                answer,
                self[f"criterion_{answer.criterion_id}"],
                self[f"criterion_{answer.criterion_id}_reason"],
            )
            for answer in self.criterion_answers
        ]

    def assessment(self) -> dict:
        data = self.cleaned_data
        return {
            "exclusions": {
                answer.ground_id: GroundDecision(
                    exclude=data[f"ground_{answer.ground_id}"] == ExclusionAnswer.Decision.EXCLUDE,
                    reason=data[f"ground_{answer.ground_id}_reason"],
                )
                for answer in self.yes_answers
            },
            "criteria": {
                answer.criterion_id: CriterionAssessment(
                    meets=data[f"criterion_{answer.criterion_id}"] == "meets",
                    reason=data[f"criterion_{answer.criterion_id}_reason"],
                )
                for answer in self.criterion_answers
            },
        }


class InvitationsForm(forms.Form):
    fewer_reason = forms.CharField(
        label=_("Reason for inviting fewer candidates than the minimum"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when fewer candidates qualify than the call's minimum."),
    )


class SelectionCriterionForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=SelectionCriterion.Category.choices,
        error_messages={"required": _("Choose a category.")},
    )
    description = forms.CharField(
        label=_("Criterion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the criterion.")},
    )
    minimum_level = forms.CharField(
        label=_("Minimum level"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("State the minimum level.")},
    )
    evidence = forms.CharField(
        label=_("Requested evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExclusionGroundForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ExclusionGround.Kind.choices,
        initial=ExclusionGround.Kind.DISCRETIONARY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the ground is mandatory.")},
    )
    name = forms.CharField(
        label=_("Exclusion ground"),
        max_length=200,
        error_messages={"required": _("Name the exclusion ground.")},
    )


class MinimumInvitationsForm(forms.Form):
    min_invitations = forms.IntegerField(
        label=_("Minimum number of candidates to invite"),
        min_value=3,
        max_value=50,
        help_text=_("At least three, unless fewer candidates qualify (art. 2.99 Aw)."),
        error_messages={
            "required": _("Give the minimum number."),
            "min_value": _("Invite at least three candidates: the law sets that minimum."),
        },
    )
