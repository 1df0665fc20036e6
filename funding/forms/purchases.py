"""An officer's form for a follow-up purchase."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.money import MONEY_DIGITS

from ..selectors.purchases import developers_of
from .funds import DateInput, ServiceErrorMixin


class PurchaseForm(ServiceErrorMixin, forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=None)
    amount = forms.DecimalField(label=_("Amount (€)"), **MONEY_DIGITS, min_value=0)
    purchased_on = forms.DateField(label=_("Date of the purchase"), widget=DateInput())
    description = forms.CharField(label=_("What was bought"), max_length=500)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = developers_of(call)
