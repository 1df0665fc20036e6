from django import forms
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.utils.translation import gettext_lazy as _

from ..services.accounts import password_reset_request


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, with the e-mail sent by a worker and an answer for unknown addresses
    too (see ``password_reset_request``)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    # Only PasswordResetView calls it, with keywords; the rest of the parent's are unused.
    def save(self, *, domain_override=None, use_https=False, request=None, **kwargs):  # type: ignore[override]
        domain = domain_override or (request.get_host() if request else "")
        password_reset_request(email=self.cleaned_data["email"], domain=domain, use_https=use_https)
