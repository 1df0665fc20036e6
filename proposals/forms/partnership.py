"""Forms of an innovation partnership's negotiation and phases (officer and partner).

They check only the shape of the input; the services decide.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms.base import at_least_amount
from portal.money import MONEY_DIGITS

from ..services.partnership import TargetSpec
from .officer import FIELDSET_TEMPLATE

DATETIME = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}


def _money(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        **MONEY_DIGITS,
        min_value=Decimal("0.01"),
        error_messages={"min_value": at_least_amount(Decimal("0.01"))},
        widget=forms.NumberInput(attrs={"min": "0.01", "step": "0.01"}),
        **kwargs,
    )


class RoundForm(forms.Form):
    points = forms.CharField(
        label=_("Points and questions"),
        max_length=10000,
        help_text=_("Every tenderer receives exactly this text at the same moment."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline for revised tenders"),
        help_text=_("Date and time in Europe/Amsterdam. The tenders stay sealed until then."),
        **DATETIME,
    )
    final = forms.BooleanField(
        label=_("Ask for the final tenders (no further negotiation)"), required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "round-%s")
        super().__init__(*args, **kwargs)


class TenderVersionForm(forms.Form):
    changes = forms.CharField(
        label=_("What your revised tender changes"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    price = _money(_("Price (€)"))
    document = forms.FileField(
        label=_("Revised tender (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "tender-%s")
        super().__init__(*args, **kwargs)


class PlanForm(forms.Form):
    max_cost = _money(_("Maximum cost (€)"))
    targets = forms.CharField(
        label=_("Interim targets"),
        required=False,
        max_length=10000,
        help_text=_(
            "One target per line: target | measurable level | evidence required. "
            "The purchase phase needs none."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "plan-%s")
        super().__init__(*args, **kwargs)

    def clean_targets(self) -> list[TargetSpec]:
        specs = []
        for line in self.cleaned_data["targets"].splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not all(parts):
                raise forms.ValidationError(
                    _("Write each target as: target | measurable level | evidence required."),
                    code="targets",
                )
            specs.append(TargetSpec(*parts))
        return specs


def targets_as_text(plan) -> str:
    return "\n".join(
        f"{t.description} | {t.measure} | {t.evidence_required}" for t in plan.targets.all()
    )


class DecisionForm(forms.Form):
    GO = "go"
    NO_GO = "no_go"

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (GO, _("Go: the partner continues in the next phase")),
            (NO_GO, _("No-go: the partnership with this partner ends")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose go or no-go.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        help_text=_("Against the interim targets; the partner reads it."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "decision-%s")
        super().__init__(*args, **kwargs)
        self.fields["outcome"].template_name = FIELDSET_TEMPLATE

    @property
    def go(self) -> bool:
        return self.cleaned_data.get("outcome") == self.GO


class PurchaseForm(forms.Form):
    amount = _money(_("Amount (€)"))
    purchased_on = forms.DateField(
        label=_("Date of the purchase"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("What was bought"), max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "purchase-%s")
        super().__init__(*args, **kwargs)


class ReportForm(forms.Form):
    """One result and one evidence file per interim target of the phase."""

    def __init__(self, *args, targets, **kwargs):
        kwargs.setdefault("auto_id", "report-%s")
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"result_{target.pk}"] = forms.CharField(
                label=_("Result: %(target)s (%(measure)s)")
                % {"target": target.description, "measure": target.measure},
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"evidence_{target.pk}"] = forms.FileField(
                label=_("Evidence (PDF): %(evidence)s") % {"evidence": target.evidence_required},
                widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
            )

    def results(self) -> dict:
        from ..services.partnership import TargetResult

        return {
            target.pk: TargetResult(
                self.cleaned_data.get(f"result_{target.pk}", ""),
                self.cleaned_data.get(f"evidence_{target.pk}"),
            )
            for target in self.targets
        }
