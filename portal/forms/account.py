"""Forms of a person's account: logging in, a company's registration, the profile, API tokens."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ..models import User, kvk_number_validator


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or password is not correct. "
            "After five failed attempts the account is locked for half an hour."
        ),
    }


class CompanyRegistrationForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=8,
        min_length=8,
        validators=[kvk_number_validator],
        help_text=_("The 8 digits of your Chamber of Commerce registration."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    is_sme = forms.BooleanField(
        label=_("We are a small or medium-sized enterprise (SME)"),
        required=False,
        help_text=_("Fewer than 250 employees and an annual turnover of at most € 50 million."),
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
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not only digits and not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_kvk_number(self) -> str:
        return self.cleaned_data["kvk_number"].strip()

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password and password != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        elif password:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}


class TokenForm(forms.Form):
    """The six digits of an authenticator app, or one of the backup codes."""

    otp_token = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        help_text=_("The 6 digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_otp_token(self) -> str:
        return self.cleaned_data["otp_token"].replace(" ", "").strip()
