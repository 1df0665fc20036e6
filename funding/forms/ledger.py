"""Forms of the funding pages: they read and type what was posted; the rules are services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from portal.forms.base import FilterForm

from ..models import Fund, Transaction


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
