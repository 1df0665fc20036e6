"""Forms of the committee's pages. They check what was typed; the rules live in the services
(proposals/services/assessment.py), whose refusals the views put back on these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from calls.models import Criterion
from portal.forms.base import FilterForm

CONFLICT = "conflict"
NO_CONFLICT = "none"


def _scale_message(criterion: Criterion) -> str:
    return _("Give a whole number from %(min)d to %(max)d.") % {
        "min": criterion.scale_min,
        "max": criterion.scale_max,
    }


def score_field(criterion: Criterion, *, label) -> forms.IntegerField:
    """A score on the criterion's scale; outside it, a message that names the scale."""
    message = _scale_message(criterion)
    return forms.IntegerField(
        label=label,
        min_value=criterion.scale_min,
        max_value=criterion.scale_max,
        help_text=_("From %(min)d (lowest) to %(max)d (highest).")
        % {"min": criterion.scale_min, "max": criterion.scale_max},
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "required": _("Give a score."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )


class CodeOfConductForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the code of conduct and will keep every proposal confidential."),
        error_messages={"required": _("Tick the box to accept the code of conduct.")},
    )


class DeclarationForm(forms.Form):
    """A member's declaration about one proposal; the button pressed gives the decision."""

    decision = forms.ChoiceField(
        choices=[
            (NO_CONFLICT, _("No conflict of interest")),
            (CONFLICT, _("I have a conflict of interest")),
        ],
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose one of the two buttons.")},
    )
    explanation = forms.CharField(
        label=_("Explanation of the conflict of interest"),
        required=False,
        max_length=2000,
        help_text=_("For example: “former colleague of the founder”."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def has_conflict(self) -> bool:
        return self.cleaned_data["decision"] == CONFLICT

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == CONFLICT and not cleaned.get("explanation", "").strip():
            self.add_error("explanation", _("Explain the conflict of interest briefly."))
        return cleaned


class ScoringForm(forms.Form):
    """A score and a written motivation per criterion of the phase.

    Everything is required to submit. Saving a draft keeps whatever is complete per
    criterion; a motivation without a score cannot be stored, so that is refused rather
    than dropped.
    """

    def __init__(self, *args, criteria: list[Criterion], submit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.submit = submit
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = score_field(
                criterion, label=_("Score for “%(name)s”") % {"name": criterion.name}
            )
            self.fields[f"motivation_{criterion.pk}"] = forms.CharField(
                label=_("Motivation for “%(name)s”") % {"name": criterion.name},
                max_length=10000,
                error_messages={"required": _("Write a motivation for this score.")},
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def full_clean(self):
        # The fields are marked required (that is what they are for submitting); a draft
        # may be incomplete, so they are relaxed only while a draft is validated.
        if self.submit:
            return super().full_clean()
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()
        finally:
            for field in self.fields.values():
                field.required = True

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            score = cleaned.get(f"score_{criterion.pk}")
            motivation = (cleaned.get(f"motivation_{criterion.pk}") or "").strip()
            if motivation and score is None and f"score_{criterion.pk}" not in self.errors:
                self.add_error(
                    f"score_{criterion.pk}", _("Give a score to save this motivation with.")
                )
        return cleaned

    def scores(self) -> dict[int, tuple[int, str]]:
        """What the service takes: {criterion_id: (score, motivation)} for the scored ones."""
        scores = {}
        for criterion in self.criteria:
            score = self.cleaned_data.get(f"score_{criterion.pk}")
            if score is not None:
                scores[criterion.pk] = (score, self.cleaned_data.get(f"motivation_{criterion.pk}"))
        return scores

    def pairs(self):
        """(criterion, score field, motivation field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"motivation_{c.pk}"]) for c in self.criteria]

    @staticmethod
    def initial_from(scores) -> dict:
        initial = {}
        for score in scores:
            initial[f"score_{score.criterion_id}"] = score.score
            initial[f"motivation_{score.criterion_id}"] = score.motivation
        return initial


class ConsensusForm(forms.Form):
    """The chair records the committee's agreed score on one criterion."""

    def __init__(self, *args, criterion: Criterion, **kwargs):
        kwargs.setdefault("prefix", f"c{criterion.pk}")
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.fields["score"] = score_field(
            criterion, label=_("Consensus score for “%(name)s”") % {"name": criterion.name}
        )
        self.fields["motivation"] = forms.CharField(
            label=_("Motivation of the consensus on “%(name)s”") % {"name": criterion.name},
            max_length=10000,
            error_messages={"required": _("Motivate the consensus score.")},
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["minority_view"] = forms.CharField(
            label=_("Minority view on “%(name)s”") % {"name": criterion.name},
            required=False,
            max_length=10000,
            help_text=_("A member who does not agree, and why."),
            widget=forms.Textarea(attrs={"rows": 2}),
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        error_messages={"required": _("Give the reason for reopening.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, assessment_pk: int, **kwargs):
        kwargs.setdefault("prefix", f"reopen{assessment_pk}")
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for reopening."))
        return reason


class AssignmentStateForm(FilterForm):
    """Narrow a member's list of assignments by the state of their assessment (GET)."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("todo", _("to do")),
            ("draft", _("draft saved")),
            ("submitted", _("submitted")),
        ],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)

    def chosen_state(self) -> str:
        """The chosen state; an invalid choice narrows nothing."""
        return self.cleaned_data.get("state", "") if self.is_valid() else ""


class AdviceForm(forms.Form):
    """The chair's selection from the ranking; only eligible proposals can be chosen."""

    selected = forms.TypedMultipleChoiceField(
        label=_("Proposals the committee advises to award"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remarks = forms.CharField(
        label=_("Remarks of the committee"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, eligible: list[int], planned_awards: int, **kwargs):
        """``eligible``: the ids of the eligible proposals of the whole ranking, since the
        selection spans its pages (see ``views.chair.advice``)."""
        super().__init__(*args, **kwargs)
        self.planned_awards = planned_awards
        self.fields["selected"].choices = [(pk, str(pk)) for pk in eligible]
        self.fields["selected"].error_messages["invalid_choice"] = _(
            "Only eligible proposals can be selected."
        )

    def clean_selected(self) -> list[int]:
        selected = self.cleaned_data["selected"]
        if len(selected) > self.planned_awards:
            raise forms.ValidationError(
                ngettext(
                    "The phase plans %(n)d award; select at most one.",
                    "The phase plans %(n)d awards; select at most that many.",
                    self.planned_awards,
                )
                % {"n": self.planned_awards}
            )
        return selected

    def selected_pks(self) -> set[str]:
        """The ticked boxes as typed, to re-render them after an error."""
        return set(self.data.getlist(self.add_prefix("selected"))) if self.is_bound else set()


class DeputyForm(forms.Form):
    """The deputy chair's selection among the proposals on which the chair is conflicted."""

    selected = forms.TypedMultipleChoiceField(
        label=_("Proposals the committee advises to award"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, rows, planned_awards: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.planned_awards = planned_awards
        self.fields["selected"].choices = [
            (row.proposal.pk, str(row.proposal)) for row in rows if row.eligible
        ]
        self.fields["selected"].error_messages["invalid_choice"] = _(
            "Only eligible proposals can be selected."
        )

    clean_selected = AdviceForm.clean_selected
    selected_pks = AdviceForm.selected_pks
