from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import TeamRole

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
