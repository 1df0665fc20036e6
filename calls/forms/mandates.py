"""The authority's form to mandate another organisation; the rules are the service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Membership, Organisation, Role

from ..models import Call
from ..selectors.mandates import possible_agents
from .fields import call_field, organisation_field


class MandateForm(forms.Form):
    principal = forms.ModelChoiceField(
        label=_("Contracting authority"), queryset=None, empty_label=None
    )
    # Text fields with the server's suggestions: there are thousands of both.
    agent = organisation_field(
        label=_("Mandated organisation"), help_text=_("Part of the organisation's name.")
    )
    call = call_field(
        label=_("Call"),
        required=False,
        help_text=_(
            "Its reference (IL-2026-00042) or part of its title; leave empty for a general "
            "mandate of every call of the authority."
        ),
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
