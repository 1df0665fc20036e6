from django import forms
from django.utils.translation import gettext_lazy as _

from ..eherkenning import LOA_LABELS
from .registration import CompanyIdentifierFields


class EherkenningDetailsForm(forms.Form):
    """A person's first login with eHerkenning: who they are (the broker only says which
    company they act for)."""

    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address; your account works once you followed it."),
    )
    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)

    def __init__(self, *args, ask_company_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_company_name:
            self.fields["company_name"].required = True
        else:
            del self.fields["company_name"]


class MockEherkenningForm(CompanyIdentifierFields):
    """Development and demonstration only: what a real broker would assert."""

    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    acting_subject_id = forms.CharField(
        label=_("Who you are at eHerkenning"),
        max_length=100,
        initial="demo-persoon-1",
        help_text=_("Any text: the same text is the same person next time."),
    )
    level_of_assurance = forms.ChoiceField(
        label=_("Level of assurance"),
        choices=[(urn, label) for urn, label in LOA_LABELS.items() if label != "EH1"],
        initial="urn:etoegang:core:assurance-class:loa3",
    )
    marks_optional_fields = True
    field_order = [
        "country",
        "kvk_number",
        "vat_number",
        "euid",
        "company_name",
        "acting_subject_id",
        "level_of_assurance",
    ]

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        cleaned["identifier"] = self.clean_identifier(cleaned)
        return cleaned
