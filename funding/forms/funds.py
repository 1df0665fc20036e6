"""Ministry staff's forms for funds and appropriations: they read what was typed; the rules
are the services' (funding.services.funds)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.exceptions import DomainError
from portal.money import MONEY_DIGITS

from ..selectors.funds import fund_owners_for


class ServiceErrorMixin:
    def add_service_error(self, error: DomainError) -> None:
        """A refusal of the service on the field it names (its code), else on the form."""
        field = error.code if error.code in self.fields else None
        self.add_error(field, ValidationError(error.message, code=error.code))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FundForm(ServiceErrorMixin, forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        help_text=_("Short and unique, e.g. ezk-2021-eenmalig; used in addresses."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Ministry"), queryset=None, empty_label=None)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    amount = forms.DecimalField(label=_("Appropriated amount (€)"), **MONEY_DIGITS, min_value=0)
    description = forms.CharField(
        label=_("Basis of the appropriation"),
        max_length=500,
        required=False,
        help_text=_("E.g. the letter or budget article; the fund's name when left empty."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = fund_owners_for(user)


class AppropriationForm(ServiceErrorMixin, forms.Form):
    KINDS = [
        ("appropriation", _("Appropriation: more money for the fund")),
        ("correction", _("Correction: less money for the fund (from what is available)")),
    ]
    kind = forms.ChoiceField(
        label=_("Kind"), choices=KINDS, widget=forms.RadioSelect, initial="appropriation"
    )
    amount = forms.DecimalField(label=_("Amount (€)"), **MONEY_DIGITS, min_value=0)
    description = forms.CharField(
        label=_("Why"),
        max_length=500,
        help_text=_("Every transaction records its reason, e.g. the budget letter."),
    )
