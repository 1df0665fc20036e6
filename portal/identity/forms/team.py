from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, TeamRole

from ..services.companies import COMPANY_DETAIL_FIELDS
from ..validators import normalise_postcode
from .registration import PasswordPairMixin, password_fields


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of your colleague"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    team_role = forms.ChoiceField(
        label=_("Role"),
        choices=TeamRole.choices,
        initial=TeamRole.MEMBER,
        help_text=_("Members work on proposals; administrators also manage the team."),
    )


class TeamRoleForm(forms.Form):
    team_role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)


class InvitationNewAccountForm(PasswordPairMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password, password_again = password_fields()

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        self.clean_password_pair(cleaned, email=self.email, full_name=cleaned.get("full_name", ""))
        return cleaned


class CompanyDetailsForm(forms.ModelForm):
    """What procurement notices say about a company that wins: its address, region, telephone
    and size (eForms BT-510, BT-512, BT-507, BT-503, BT-165)."""

    class Meta:
        model = Organisation
        fields = list(COMPANY_DETAIL_FIELDS)
        widgets = {
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "telephone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company_size"].required = True
        self.fields["nuts_code"].help_text = _(
            "The region (NUTS 2024) of your address in the Netherlands; empty for an address "
            "abroad."
        )

    def clean_postal_code(self) -> str:
        return normalise_postcode(self.cleaned_data.get("postal_code", ""))
