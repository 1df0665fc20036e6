"""Registering a company, confirming an e-mail address, and passwords that answer alike."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.exceptions import DomainError
from portal.http import authenticated

from ..forms.accounts import PasswordResetForm
from ..forms.registration import CompanyRegistrationForm
from ..models import ApiToken
from ..services.accounts import (
    Registration,
    company_register,
    email_confirm,
    email_confirmation_resend,
)
from ..services.tokens import api_tokens_revoke_all


class CompanyRegistrationView(FormView):
    """The form for companies without eHerkenning. Whatever exists already, the answer is
    the same page (see ``company_register``)."""

    form_class = CompanyRegistrationForm
    template_name = "registration/register.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("dashboard")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        if data["identifier"] is None:  # reported on its field by the form
            return self.form_invalid(form)
        company_register(
            registration=Registration(
                company_name=data["company_name"],
                identifier=data["identifier"],
                is_sme=data["is_sme"],
                company_size=data.get("company_size", ""),
                is_startup=data["is_startup"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
            )
        )
        self.request.session["identity_registered_email"] = data["email"].strip().lower()
        return redirect("identity:registration_sent")


class RegistrationSentView(TemplateView):
    template_name = "identity/registration_sent.html"

    def get_context_data(self, **kwargs):
        email = self.request.session.get("identity_registered_email", "")
        return {**super().get_context_data(**kwargs), "email": email}


class EmailConfirmView(View):
    def get(self, request, token: str):
        try:
            user = email_confirm(token=token)
        except DomainError as error:
            return render(
                request, "identity/email_confirm_failed.html", {"error": error.message}, status=400
            )
        if request.user.is_authenticated and request.user.pk == user.pk:
            messages.success(request, _("Thank you: your e-mail address is confirmed."))
            return redirect("dashboard")
        messages.success(request, _("Thank you: your e-mail address is confirmed. Log in now."))
        return redirect("login")


class EmailUnconfirmedView(TemplateView):
    """Where someone lands who logged in before confirming their address."""

    template_name = "identity/email_unconfirmed.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)


class EmailConfirmResendView(View):
    def post(self, request):
        if not request.user.is_authenticated:
            return redirect("login")
        if email_confirmation_resend(user=request.user):
            messages.success(request, _("We sent the link again. Check your inbox."))
        else:
            messages.info(
                request, _("We sent a link a short while ago. Wait a few minutes and try again.")
            )
        return redirect("identity:email_unconfirmed")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password ends every API token made under the old one."""

    template_name = "registration/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        if api_tokens_revoke_all(
            user=authenticated(self.request.user), reason=ApiToken.RevokeReason.PASSWORD_CHANGED
        ):
            messages.info(self.request, _("Your API tokens are revoked with your old password."))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        api_tokens_revoke_all(user=form.user, reason=ApiToken.RevokeReason.PASSWORD_CHANGED)
        return response
