from django import forms
from django.utils.translation import gettext_lazy as _


class RegisterCheckForm(forms.Form):
    evidence = forms.CharField(
        label=_("What did you check?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E.g. “Handelsregister extract of 3 March 2026: name, KvK number and the "
            "registering person's authority to sign match.”"
        ),
    )
    checked = forms.BooleanField(
        label=_("I checked the company in the trade register and it matches what it registered"),
    )


class RevokeVerificationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
