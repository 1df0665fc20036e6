from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, User

from ..countries import NETHERLANDS, country_choices
from ..services.companies import CompanyIdentifier
from ..validators import validate_euid, validate_kvk_number, validate_vat_number

if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class PasswordPairMixin(_FormBase):
    """Two password fields that must match and pass the password validators."""

    def clean_password_pair(self, cleaned: dict, *, email: str, full_name: str) -> None:
        password = cleaned.get("password")
        if password and password != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        elif password:
            candidate = User(email=email or "", full_name=full_name or "")
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)


def password_fields() -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=_("At least 12 characters, not only digits and not a common password."),
        ),
        forms.CharField(
            label=_("Password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class CompanyIdentifierFields(forms.Form):
    """Country, then the KvK number (the Netherlands) or a VAT number or EUID (abroad)."""

    country = forms.ChoiceField(
        label=_("Country where the company is registered"),
        choices=country_choices,
        initial=NETHERLANDS,
    )
    kvk_number = forms.CharField(
        label=_("KvK number"),
        required=False,
        max_length=20,
        help_text=_("Companies in the Netherlands: the 8 digits of your KvK registration."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    vat_number = forms.CharField(
        label=_("VAT number"),
        required=False,
        max_length=30,
        help_text=_("Companies from abroad: your VAT number, e.g. DE136695976, or the EUID below."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    euid = forms.CharField(
        label=_("EUID"),
        required=False,
        max_length=60,
        help_text=_(
            "Companies from abroad: the European unique identifier of your registration in "
            "your country's business register, e.g. DEK1101R.HRB116737."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    marks_optional_fields = False

    def clean_identifier(self, cleaned: dict) -> CompanyIdentifier | None:
        country = cleaned.get("country")
        if not country:
            return None
        try:
            if country == NETHERLANDS:
                if not cleaned.get("kvk_number"):
                    self.add_error("kvk_number", _("Fill in the KvK number of your company."))
                    return None
                return CompanyIdentifier(kvk_number=validate_kvk_number(cleaned["kvk_number"]))
            if cleaned.get("kvk_number"):
                self.add_error(
                    "kvk_number",
                    _("Only companies registered in the Netherlands have a KvK number."),
                )
                return None
            vat, euid = cleaned.get("vat_number"), cleaned.get("euid")
            if not (vat or euid):
                self.add_error("vat_number", _("Fill in your VAT number or your EUID."))
                return None
            return CompanyIdentifier(
                country=country,
                vat_number=validate_vat_number(vat, country=country) if vat else "",
                euid=validate_euid(euid, country=country) if euid else "",
            )
        except forms.ValidationError as error:
            field = {
                "invalid_vat": "vat_number",
                "country": "vat_number",
                "invalid_euid": "euid",
                "euid_country": "euid",
            }.get(error.code or "", "kvk_number")
            self.add_error(field, error)
            return None


class CompanyRegistrationForm(PasswordPairMixin, CompanyIdentifierFields):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    is_sme = forms.BooleanField(
        label=_("We are a small or medium-sized enterprise (SME)"),
        required=False,
        help_text=_("Fewer than 250 employees and an annual turnover of at most € 50 million."),
    )
    company_size = forms.ChoiceField(
        label=_("Size of the company"),
        required=False,
        choices=[("", "—"), *Organisation.CompanySize.choices],
        help_text=_(
            "Employees and annual turnover of the whole company, with its group. An award "
            "notice states it when you win."
        ),
    )
    is_startup = forms.BooleanField(label=_("We are a start-up"), required=False)
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
    password, password_again = password_fields()
    marks_optional_fields = True

    field_order = [
        "company_name",
        "country",
        "kvk_number",
        "vat_number",
        "euid",
        "is_sme",
        "company_size",
        "is_startup",
        "full_name",
        "email",
        "password",
        "password_again",
    ]

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        cleaned["identifier"] = self.clean_identifier(cleaned)
        size = cleaned.get("company_size")
        if size == Organisation.CompanySize.LARGE and cleaned.get("is_sme"):
            self.add_error("is_sme", _("A large enterprise is not an SME."))
        elif size:
            cleaned["is_sme"] = True  # micro, small and medium-sized enterprises are SMEs
        self.clean_password_pair(
            cleaned, email=cleaned.get("email", ""), full_name=cleaned.get("full_name", "")
        )
        return cleaned
