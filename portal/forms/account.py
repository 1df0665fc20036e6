"""Forms of a person's account: logging in, the profile, the second factor. (Registration,
teams and API tokens: portal.identity.forms.)"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ..models import User


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

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from ..identity.services.accounts import password_login_problem

        if problem := password_login_problem(user):
            raise forms.ValidationError(problem, code="use_single_sign_on")


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
