"""Forms of the funding pages: they read and type what was posted; the rules are services'."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from portal.exceptions import DomainError
from portal.forms import FilterForm
from portal.models import Organisation

from .models import AuthorityTarget, Fund, Transaction


class TransactionFilter(FilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), *list(Transaction.Kind.choices)],
    )
    call = forms.ModelChoiceField(
        label=_("Trajectory"), required=False, queryset=Call.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        # The trajectories this fund has booked money for: the drill-down from the dashboard.
        self.fields["call"].queryset = Call.objects.filter(
            pk__in=Transaction.objects.filter(fund=fund).values("call")
        ).order_by("title")
        self.fields["call"].label_from_instance = lambda call: f"{call.title} ({call.reference})"


class TargetForm(forms.ModelForm):
    """A target agreed with an authority; `target_add` decides whether it holds."""

    class Meta:
        model = AuthorityTarget
        fields = ["authority", "year", "measure", "target", "procurement_budget"]
        labels = {"authority": _("Contracting authority")}
        help_texts = {
            "target": _(
                "In the unit of the measure: a share in percent (e.g. 2.5), a number of "
                "trajectories, or an amount in euros."
            ),
            "procurement_budget": _(
                "Only for a share: the authority's procurement budget in that year, in euros."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.AUTHORITY
        ).order_by("name")
        for name in ("year", "target", "procurement_budget"):
            self.fields[name].widget.attrs["min"] = 2000 if name == "year" else 0

    def validate_unique(self):
        """The service refuses a duplicate with a clear message; no second check here."""

    def add_service_error(self, error: DomainError) -> None:
        """A refusal of the service on the field it names (its code), else on the form."""
        field = error.code if error.code in self.fields else None
        self.add_error(field, ValidationError(error.message, code=error.code))
