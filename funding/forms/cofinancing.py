"""Co-financing forms: an officer's application, the ministry's rejection."""

from django import forms
from django.utils.translation import gettext_lazy

from portal.money import MONEY_DIGITS

from ..models import FundingRound
from ..selectors.cofinancing import open_rounds


class ApplyForm(forms.Form):
    funding_round = forms.ModelChoiceField(
        label=gettext_lazy("Funding round"), queryset=FundingRound.objects.none()
    )
    trajectory_cost = forms.DecimalField(
        label=gettext_lazy("Total cost of the trajectory (€)"),
        **MONEY_DIGITS,
        min_value=0,
    )
    requested = forms.DecimalField(
        label=gettext_lazy("Requested co-financing (€)"),
        **MONEY_DIGITS,
        min_value=0,
        help_text=gettext_lazy("At most the round's share of the cost and its maximum amount."),
    )
    motivation = forms.CharField(
        label=gettext_lazy("Motivation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("How the trajectory fits the missions."),
    )
    plan = forms.CharField(
        label=gettext_lazy("Plan of the competition"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "When the call will be published, its phases and how the cost is made up."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_round"].queryset = open_rounds()


class RejectForm(forms.Form):
    motivation = forms.CharField(label=gettext_lazy("Motivation"), widget=forms.Textarea)
