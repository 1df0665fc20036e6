"""The authority's form to mandate another organisation; the rules are the service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Membership, Organisation, Role

from ..models import Call
from ..selectors.mandates import possible_agents


class MandateForm(forms.Form):
    principal = forms.ModelChoiceField(
        label=_("Contracting authority"), queryset=None, empty_label=None
    )
    agent = forms.ModelChoiceField(label=_("Mandated organisation"), queryset=None)
    call = forms.ModelChoiceField(
        label=_("Call"),
        queryset=None,
        required=False,
        empty_label=_("Every call of the authority"),
        help_text=_("Leave empty for a general mandate."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
            "organisation_id"
        )
        self.fields["principal"].queryset = Organisation.objects.filter(
            pk__in=own, kind=Organisation.Kind.AUTHORITY
        ).order_by("name")
        self.fields["agent"].queryset = possible_agents(own)
        self.fields["call"].queryset = Call.objects.filter(authority_id__in=own).order_by(
            "-created_at"
        )
        self.fields["call"].label_from_instance = lambda call: f"{call.reference} {call.title}"
