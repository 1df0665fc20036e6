"""Ministry staff's form for a co-financing round: it reads what was typed; the rules are
the service's (funding.services.rounds)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from portal.money import MONEY_DIGITS

from ..models import FundingRound
from ..selectors.funds import ezk_funds
from .funds import DateInput, ServiceErrorMixin


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RoundForm(ServiceErrorMixin, forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DateTimeInput())
    max_share = forms.DecimalField(
        label=_("Maximum share of the trajectory's cost (%)"),
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=100,
        initial=50,
    )
    max_amount = forms.DecimalField(
        label=_("Maximum per trajectory (€)"), **MONEY_DIGITS, min_value=0, initial="500000.00"
    )
    instruments = forms.MultipleChoiceField(
        label=_("Instruments"),
        choices=Call.Instrument.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Call.Instrument.SBIR, Call.Instrument.INNOVATION_PARTNERSHIP],
    )
    mission_required = forms.BooleanField(
        label=_("The call must serve a mission of the knowledge and innovation agendas"),
        required=False,
        initial=True,
    )
    allocation = forms.ChoiceField(
        label=_("Allocation"),
        choices=FundingRound.Allocation.choices,
        widget=forms.RadioSelect,
        initial=FundingRound.Allocation.FIRST_COME,
    )
    publish_by = forms.DateField(
        label=_("Calls must be published by"),
        required=False,
        widget=DateInput(),
        help_text=_("An approved application whose call is still a draft after this day lapses."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = ezk_funds().order_by("-period_start", "code")

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["max_share"] = data["max_share"] / 100
        return data
