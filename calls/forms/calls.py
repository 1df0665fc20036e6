"""Forms of the procurement officer's pages. They validate input; services do the writes."""

from datetime import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, fields_for_model, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms.base import FilterForm
from portal.models import Organisation
from portal.templatetags.portal import euro

from ..models import Call, Criterion, Phase, Prize, Question, RequiredDocument
from ..services.lifecycle import (
    AMENDABLE_FIELDS,
    CALL_FIELDS,
    STANDSTILL_DEFAULT_DAYS,
    VALIDITY_FIELDS,
    DraftRows,
    prizes_problem,
    standstill_problem,
)

FIELDSET_TEMPLATE = "calls/officer/field_fieldset.html"


class DateTimeLocalInput(forms.DateTimeInput):
    """A date and time picker without JavaScript; the value is read in Europe/Amsterdam."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def keep_seconds(new: datetime | None, saved: datetime | None) -> datetime | None:
    """The input shows minutes: a moment left as shown keeps the seconds it was saved with.

    Otherwise saving a form unchanged would move e.g. a phase's deadline a few seconds
    before the call's deadline.
    """
    if new and saved and saved.replace(second=0, microsecond=0) == new:
        return saved
    return new


# --- The call itself -------------------------------------------------------------------------

PARTNERSHIP_FIELDS = ("participation_deadline", "max_partners")
CALL_WIDGETS = {
    "challenge": forms.Textarea(attrs={"rows": 8}),
    "challenge_en": forms.Textarea(attrs={"rows": 8}),
    "missions": forms.CheckboxSelectMultiple(),
    "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
    "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
    "total_budget": forms.NumberInput(attrs={"min": "0.01", "step": "0.01"}),
    "deadline": DateTimeLocalInput(),
    "questions_deadline": DateTimeLocalInput(),
    "participation_deadline": DateTimeLocalInput(),
    "standstill_days": forms.NumberInput(attrs={"min": "0", "max": "365"}),
    "standstill_reason": forms.Textarea(attrs={"rows": 3}),
}
CALL_HELP_TEXTS = {
    "questions_deadline": _(
        "Companies can ask clarification questions until this moment (Europe/Amsterdam)."
    ),
    "participation_deadline": _(
        "Innovation partnership only: requests to participate close at this moment "
        "(Europe/Amsterdam), at least 30 days after publication."
    ),
    "max_partners": _("Innovation partnership only."),
    "max_registrations": _("Hackathon only: registrations beyond this number are refused."),
}


class CallForm(forms.ModelForm):
    """The main fields of a call; the rules every draft must meet before it is saved."""

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        widgets = CALL_WIDGETS
        help_texts = CALL_HELP_TEXTS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missions"].template_name = FIELDSET_TEMPLATE
        if "standstill_days" in self.fields:
            # Left empty, the period stays what it was (20 days for a new call).
            self.fields["standstill_days"].required = False
        if "tender_validity_unit" in self.fields:
            self.fields["tender_validity_unit"].required = False  # left empty: months

    def clean_standstill_days(self) -> int:
        days = self.cleaned_data.get("standstill_days")
        if days is None:
            return self.instance.standstill_days or STANDSTILL_DEFAULT_DAYS
        return days

    def clean_tender_validity_unit(self) -> str:
        return (
            self.cleaned_data.get("tender_validity_unit")
            or self.instance.tender_validity_unit
            or Call.ValidityUnit.MONTH
        )

    @property
    def instrument(self) -> str:
        return self.instance.instrument

    def clean_total_budget(self) -> Decimal:
        budget = self.cleaned_data["total_budget"]
        if budget is not None and budget <= 0:
            raise ValidationError(_("The budget must be more than € 0."), code="budget")
        return budget

    def clean_deadline(self) -> datetime:
        deadline = keep_seconds(self.cleaned_data["deadline"], self.instance.deadline)
        if deadline is not None and deadline <= timezone.now():
            raise ValidationError(_("The deadline must lie in the future."), code="past")
        return deadline

    def clean_questions_deadline(self) -> datetime:
        questions_deadline = keep_seconds(
            self.cleaned_data["questions_deadline"], self.instance.questions_deadline
        )
        if questions_deadline is not None and questions_deadline <= timezone.now():
            raise ValidationError(
                _("The deadline for questions must lie in the future."), code="past"
            )
        return questions_deadline

    def clean_participation_deadline(self) -> datetime | None:
        return keep_seconds(
            self.cleaned_data["participation_deadline"], self.instance.participation_deadline
        )

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("deadline")
        questions_deadline = cleaned.get("questions_deadline")
        if deadline and questions_deadline and questions_deadline > deadline:
            self.add_error(
                "questions_deadline",
                _("The deadline for questions must not lie after the deadline."),
            )
        standstill = standstill_problem(
            instrument=self.instrument,
            days=cleaned.get("standstill_days"),
            reason=cleaned.get("standstill_reason", ""),
        )
        if standstill and "standstill_days" in self.fields:
            self.add_error("standstill_days", standstill)
        if self.instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
            self._clean_partnership(cleaned, deadline)
        else:
            for name in PARTNERSHIP_FIELDS:
                if name in self.fields:
                    cleaned[name] = None
        if self.instrument != Call.Instrument.HACKATHON and "max_registrations" in self.fields:
            cleaned["max_registrations"] = None
        return cleaned

    def _clean_partnership(self, cleaned: dict, deadline: datetime | None) -> None:
        for name in PARTNERSHIP_FIELDS:
            if name in self.fields and cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, _("An innovation partnership needs this."))
        participation = cleaned.get("participation_deadline")
        if participation and deadline and participation >= deadline:
            self.add_error(
                "participation_deadline",
                _("Requests to participate must close before the deadline for tenders."),
            )
        if cleaned.get("max_partners") == 0:
            self.add_error("max_partners", _("An innovation partnership needs at least 1 partner."))


class CallCreateForm(CallForm):
    """A new call: also its instrument and, for officers of several authorities, which one."""

    class Meta(CallForm.Meta):
        fields = ["authority", "instrument", *CALL_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from ..permissions import acting_authority_ids

        # Their own authority, and those that mandated their organisation (RVO for RWS).
        authorities = Organisation.objects.filter(
            kind=Organisation.Kind.AUTHORITY, pk__in=acting_authority_ids(user)
        ).order_by("name")
        choices = list(authorities)
        self.authority = choices[0] if len(choices) == 1 else None
        if len(choices) > 1:
            self.fields["authority"].queryset = authorities
        else:
            del self.fields["authority"]

    @property
    def instrument(self) -> str:
        return self.cleaned_data.get("instrument", "")

    def service_arguments(self) -> dict:
        """The keyword arguments for call_create."""
        data = {name: self.cleaned_data[name] for name in CALL_FIELDS}
        data["missions"] = list(data["missions"])
        return {
            "authority": self.cleaned_data.get("authority") or self.authority,
            "instrument": self.cleaned_data["instrument"],
            **data,
        }


class CallEditForm(CallForm):
    """The draft's main fields; the instrument and authority are fixed once created."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.instrument != Call.Instrument.INNOVATION_PARTNERSHIP:
            for name in PARTNERSHIP_FIELDS:
                del self.fields[name]
        if self.instance.instrument != Call.Instrument.HACKATHON:
            del self.fields["max_registrations"]
        if self.instance.is_contest:
            # A prize is a decision under the Awb, not a procurement: no standstill period,
            # no proposal that binds the company for a period.
            for name in (
                "standstill_days",
                "standstill_reason",
                "tender_validity",
                "tender_validity_unit",
            ):
                del self.fields[name]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the call's page and sent to everyone who follows the call."),
        error_messages={"required": _("Give the reason for cancelling the call.")},
    )


class CallAmendForm(forms.Form):
    """A change to a published call: the amendable fields, prefilled, and the reason."""

    reason = forms.CharField(
        label=_("Reason for the amendment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published with the amendment and sent to everyone who follows the call."),
        error_messages={"required": _("Give the reason for the amendment.")},
    )

    def __init__(self, *args, call: Call, **kwargs):
        self.call = call
        initial = {name: getattr(call, name) for name in AMENDABLE_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        reason = self.fields.pop("reason")
        self.fields.update(
            fields_for_model(
                Call, fields=AMENDABLE_FIELDS, widgets=CALL_WIDGETS, help_texts=CALL_HELP_TEXTS
            )
        )
        if call.is_contest:
            # A prize is a decision under the Awb: no proposal binds the company for a period.
            for name in VALIDITY_FIELDS:
                del self.fields[name]
        self.fields["reason"] = reason

    def changes(self) -> dict:
        """Only what the officer changed; a time shown to the minute counts as unchanged."""
        changes = {}
        for name in AMENDABLE_FIELDS:
            if name not in self.fields:
                continue
            old, new = getattr(self.call, name), self.cleaned_data.get(name)
            if isinstance(old, datetime):
                new = keep_seconds(new, old)
            if new != old:
                changes[name] = new
        return changes


class CallDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF document of at most 20 MB."),
        # The service checks the content (empty, size, really a PDF) and says what is wrong.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


# --- Inline formsets: phases, prizes, criteria, required documents, questions -------------


class LegendFormSet(BaseInlineFormSet):
    """An inline formset whose forms each know their legend ("Phase 2", "New phase").

    It validates; ``changes()`` hands what changed to call_update_draft_rows, which writes it
    (and numbers an ordered list 1, 2, 3 … so that the first phase is always number 1).
    """

    legend = _("Item %(number)s")
    legend_new = _("New item")
    ordered = True

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        template = self.legend if i < self.initial_form_count() else self.legend_new
        form.legend = template % {"number": i + 1}
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        form.legend = self.legend_new
        return form

    def kept_forms(self) -> list:
        """The forms that will be saved: not deleted and not an untouched empty row."""
        return [
            form
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk or form.has_changed())
        ]

    def freeze(self) -> None:
        """Show the saved rows read-only (the call is published: nothing may change)."""
        self.extra = 0
        self.can_delete = False
        for form in self.forms:
            for field in form.fields.values():
                field.disabled = True

    def changes(self) -> DraftRows:
        """What the officer changed, as data for call_update_draft_rows (valid formsets only)."""
        fields = [name for name in self.form._meta.fields if name != self.fk.name]

        def values(form) -> dict:
            return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}

        rows = DraftRows(
            parent=self.instance, model=self.model, fields=fields, ordered=self.ordered
        )
        for form in self.initial_forms:
            if self.can_delete and self._should_delete_form(form):
                rows.delete.append(form.instance.pk)
            elif form.has_changed():
                rows.update[form.instance.pk] = values(form)
        for form in self.extra_forms:
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form)):
                rows.create.append(values(form))
        return rows


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = [
            "name",
            "name_en",
            "kind",
            "budget",
            "max_per_award",
            "planned_awards",
            "duration_months",
            "deadline",
            "interim_targets",
            "overall_threshold",
        ]
        widgets = {
            "budget": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
            "max_per_award": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
            "deadline": DateTimeLocalInput(),
            "interim_targets": forms.Textarea(attrs={"rows": 3}),
        }

    # A contest's phase has prizes (their own page) instead of a maximum per award and a
    # planned number of awards: those follow from the prizes (call_update_draft_rows).
    PRIZE_DERIVED = ("max_per_award", "planned_awards", "interim_targets")

    def __init__(self, *args, contest: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        if contest:
            for name in self.PRIZE_DERIVED:
                del self.fields[name]

    def clean_deadline(self) -> datetime | None:
        return keep_seconds(self.cleaned_data["deadline"], self.instance.deadline)

    def clean(self):
        cleaned = super().clean()
        if self.contest:
            # Kept as they are; a new phase starts at nothing until its prizes are saved.
            cleaned["max_per_award"] = self.instance.max_per_award or Decimal("0.00")
            cleaned["planned_awards"] = self.instance.planned_awards or 1
            cleaned["interim_targets"] = self.instance.interim_targets
        budget, max_per_award = cleaned.get("budget"), cleaned.get("max_per_award")
        if budget is not None and max_per_award is not None and max_per_award > budget:
            if self.contest:
                self.add_error("budget", _("The budget cannot be less than the highest prize."))
            else:
                self.add_error(
                    "max_per_award",
                    _("The maximum per award cannot be more than the phase's budget."),
                )
        return cleaned


class BasePhaseFormSet(LegendFormSet):
    legend = _("Phase %(number)s")
    legend_new = _("New phase")

    def clean(self):
        super().clean()
        kept = self.kept_forms()
        if not kept:
            raise ValidationError(_("A call needs at least one phase."), code="empty")
        total = sum(
            (form.cleaned_data.get("budget") or Decimal("0.00") for form in kept),
            Decimal("0.00"),
        )
        if total > self.instance.total_budget:
            raise ValidationError(
                _(
                    "The phase budgets add up to %(total)s, "
                    "more than the call's budget of %(budget)s."
                )
                % {"total": euro(total), "budget": euro(self.instance.total_budget)},
                code="budget",
            )


PhaseFormSet = inlineformset_factory(
    Call, Phase, form=PhaseForm, formset=BasePhaseFormSet, extra=1, can_delete=True
)


class PrizeForm(forms.ModelForm):
    class Meta:
        model = Prize
        fields = ["rank", "amount", "count", "description"]
        widgets = {
            "rank": forms.NumberInput(attrs={"min": "1"}),
            "amount": forms.NumberInput(attrs={"min": "0.01", "step": "0.01"}),
            "count": forms.NumberInput(attrs={"min": "1"}),
        }
        error_messages = {
            "amount": {"min_value": _("A prize must be more than € 0.")},
        }


class BasePrizeFormSet(LegendFormSet):
    """The prizes of a contest's phase: ranks 1, 2, 3 … without gaps or doubles, each
    amount more than € 0, and all of them together (amount × number) within the budget."""

    legend = _("Prize %(number)s")
    legend_new = _("New prize")
    ordered = False

    def clean(self):
        super().clean()
        if any(self.errors):
            return  # the fields' own errors first: the ranks and amounts may be missing
        prizes = [
            (form.cleaned_data["rank"], form.cleaned_data["amount"], form.cleaned_data["count"])
            for form in self.kept_forms()
            if form.cleaned_data.get("rank") is not None
        ]
        if problem := prizes_problem(prizes, budget=self.instance.budget):
            raise ValidationError(problem, code="prizes")


PrizeFormSet = inlineformset_factory(
    Phase,
    Prize,
    form=PrizeForm,
    formset=BasePrizeFormSet,
    extra=1,
    can_delete=True,
)


class CriterionForm(forms.ModelForm):
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
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        threshold = cleaned.get("threshold")
        if low is not None and high is not None:
            if low >= high:
                self.add_error(
                    "scale_max", _("The highest score must be more than the lowest score.")
                )
            elif threshold is not None and not low <= threshold <= high:
                self.add_error(
                    "threshold", _("The minimum score must lie between the lowest and highest.")
                )
        return cleaned


class BaseCriterionFormSet(LegendFormSet):
    legend = _("Criterion %(number)s")
    legend_new = _("New criterion")

    def clean(self):
        super().clean()
        kept = self.kept_forms()
        if not kept:
            raise ValidationError(_("A phase needs at least one criterion."), code="empty")
        weights = sum(form.cleaned_data.get("weight") or 0 for form in kept)
        if weights != 100:
            raise ValidationError(
                _("The weights add up to %(sum)s%%; they must add up to 100%%.") % {"sum": weights},
                code="weights",
            )


CriterionFormSet = inlineformset_factory(
    Phase,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=1,
    can_delete=True,
)


class BaseRequiredDocumentFormSet(LegendFormSet):
    legend = _("Required document %(number)s")
    legend_new = _("New required document")


RequiredDocumentFormSet = inlineformset_factory(
    Phase,
    RequiredDocument,
    fields=["name", "description"],
    formset=BaseRequiredDocumentFormSet,
    extra=1,
    can_delete=True,
)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "help_text", "kind", "choices", "required", "phase"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = phases
        self.fields["phase"].empty_label = _("All phases")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Question.Kind.CHOICE:
            options = [line for line in cleaned.get("choices", "").splitlines() if line.strip()]
            if len(options) < 2:
                self.add_error(
                    "choices", _("A choice question needs at least two choices, one per line.")
                )
        elif cleaned.get("kind"):
            cleaned["choices"] = ""
        return cleaned


class BaseQuestionFormSet(LegendFormSet):
    legend = _("Question %(number)s")
    legend_new = _("New question")


QuestionFormSet = inlineformset_factory(
    Call,
    Question,
    form=QuestionForm,
    formset=BaseQuestionFormSet,
    extra=1,
    can_delete=True,
)


class OfficerCallFilter(FilterForm):
    """The officer's calls narrowed and sorted on the server: an authority runs thousands."""

    ORDERS = {
        "-created": ("-created_at", "-pk"),
        "deadline": ("deadline", "pk"),
        "-deadline": ("-deadline", "-pk"),
        "title": ("title", "pk"),
    }

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Part of the title, or the reference (IL-2026-00042)."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Call.Status.choices]
    )
    instrument = forms.ChoiceField(
        label=_("Instrument"), required=False, choices=[("", _("All")), *Call.Instrument.choices]
    )
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-created", _("Newest first")),
            ("deadline", _("Deadline, soonest first")),
            ("-deadline", _("Deadline, latest first")),
            ("title", _("Title")),
        ],
    )

    def choice(self) -> dict:
        """What was chosen, as the selector's arguments (nothing chosen for invalid input)."""
        if not self.is_valid():
            return {"search": "", "status": "", "instrument": "", "order": self.ORDERS["-created"]}
        data = self.cleaned_data
        return {
            "search": data["q"].strip(),
            "status": data["status"],
            "instrument": data["instrument"],
            "order": self.ORDERS[data["order"] or "-created"],
        }
