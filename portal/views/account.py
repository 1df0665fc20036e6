"""A person's own pages: logging in and out, two-factor set-up, the account (with its API
tokens from portal.identity) and the dashboard with "My tasks". Registration, teams and tokens
themselves live in portal.identity.views.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView
from django_otp import login as otp_login

from ..forms.account import LoginForm, ProfileForm, TokenForm
from ..hooks import tasks_for
from ..http import AuthenticatedHttpRequest
from ..identity.views.tokens import token_context
from ..selectors.identity import backup_codes_left, requires_two_factor, two_factor_enabled
from ..services import twofactor


def safe_next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class DashboardView(LoginRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest

    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        memberships = list(self.request.user.memberships.select_related("organisation"))
        context["memberships"] = memberships
        # A company that cannot submit yet says so first, with how to have it verified.
        context["unverified_companies"] = [
            m.organisation
            for m in memberships
            if m.organisation.is_company and not m.organisation.verified_at
        ]
        context["tasks"] = self.tasks()
        return context

    def tasks(self) -> list[dict]:
        return tasks_for(self.request.user)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """The second step of logging in: a code from the app or a backup code."""

    request: AuthenticatedHttpRequest

    form_class = TokenForm
    template_name = "registration/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_verified():
            return redirect(safe_next_url(request, reverse("dashboard")))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        device = twofactor.verify(self.request.user, form.cleaned_data["otp_token"])
        if device is None:
            form.add_error("otp_token", _("This code is not correct or has expired. Try again."))
            return self.form_invalid(form)
        otp_login(self.request, device)
        # A new key once the second factor is passed: a key learnt before is worth nothing.
        self.request.session.cycle_key()
        return redirect(safe_next_url(self.request, reverse("dashboard")))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": safe_next_url(self.request, "")}


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """Link an authenticator app: scan the QR code (or type the key), confirm with a code."""

    request: AuthenticatedHttpRequest

    form_class = TokenForm
    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        # Replacing an app needs the current one first: a stolen password is not enough.
        if user.is_authenticated and not user.is_verified() and two_factor_enabled(user):
            return redirect(f"{reverse('two_factor_verify')}?next={request.path}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = twofactor.totp_device_pending(self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "qr_data_uri": twofactor.totp_qr_data_uri(device),
            "secret": twofactor.totp_secret_for_display(device),
            "next": safe_next_url(self.request, ""),
        }

    def form_valid(self, form):
        device = twofactor.totp_device_pending(self.request.user)
        codes = twofactor.totp_confirm(device=device, token=form.cleaned_data["otp_token"])
        if codes is None:
            form.add_error(
                "otp_token", _("This code is not correct. Check the time on your phone.")
            )
            return self.form_invalid(form)
        otp_login(self.request, device)
        self.request.session.cycle_key()
        return render(
            self.request,
            "registration/backup_codes.html",
            {"codes": codes, "next": safe_next_url(self.request, reverse("dashboard"))},
        )


class BackupCodesRenewView(LoginRequiredMixin, View):
    def post(self, request):
        if not request.user.is_verified():
            return redirect("two_factor_verify")
        codes = twofactor.backup_codes_renew(request.user)
        return render(
            request, "registration/backup_codes.html", {"codes": codes, "next": reverse("account")}
        )


class TwoFactorDisableView(LoginRequiredMixin, View):
    def post(self, request):
        if requires_two_factor(request.user):
            messages.error(request, _("Your role requires two-factor authentication."))
        elif request.user.is_verified():
            twofactor.two_factor_disable(request.user)
            messages.success(request, _("Two-factor authentication is switched off."))
        return redirect("account")


class AccountView(LoginRequiredMixin, UpdateView):
    request: AuthenticatedHttpRequest

    form_class = ProfileForm
    template_name = "portal/account.html"
    success_url = reverse_lazy("account")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Your details are saved."))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "memberships": user.memberships.select_related("organisation"),
            "two_factor_enabled": two_factor_enabled(user),
            "two_factor_required": requires_two_factor(user),
            "backup_codes_left": backup_codes_left(user),
            **token_context(self.request),
        }
