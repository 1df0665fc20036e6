from auditlog.models import LogEntry
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import FormView, TemplateView, UpdateView
from django_otp import login as otp_login

from . import twofactor
from .forms import LoginForm, ProfileForm, TokenForm
from .health import check_database, system_status
from .identity.views.tokens import token_context
from .selectors import requires_two_factor


def safe_next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def health(request):
    """Liveness for load balancers and container healthchecks: the database answers."""
    database = check_database()
    return JsonResponse(
        {"status": "ok" if database.ok else "error"}, status=200 if database.ok else 503
    )


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links to; answer with the real icon.

    Found like any static file, so an operator's EXTRA_STATIC_DIR may hold its own.
    """
    path = finders.find("img/favicon.ico")
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/vnd.microsoft.icon")


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sections": self.sections()}

    def sections(self) -> list[dict]:
        """What the apps show on the home page, below the introduction.

        An app adds a section by giving its AppConfig a ``home_sections(request)`` method
        returning dicts with a template name and the context for it, so the portal needs to
        know nothing about the apps built on it.
        """
        sections = []
        for config in apps.get_app_configs():
            if hasattr(config, "home_sections"):
                sections += config.home_sections(self.request)
        return sections


class AccessibilityStatementView(TemplateView):
    template_name = "portal/accessibility.html"


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.request.user.memberships.select_related("organisation")
        context["tasks"] = self.tasks()
        return context

    def tasks(self) -> list[dict]:
        """What waits for this person, soonest deadline first (none last).

        An app adds tasks by giving its AppConfig a ``tasks_for(user)`` method returning dicts
        with title, url, deadline (datetime or None) and kind, so the portal needs to know
        nothing about the apps built on it.
        """
        tasks = []
        for config in apps.get_app_configs():
            if hasattr(config, "tasks_for"):
                tasks += config.tasks_for(self.request.user)
        return sorted(tasks, key=lambda task: (task["deadline"] is None, task["deadline"] or 0))


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """The second step of logging in: a code from the app or a backup code."""

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

    form_class = TokenForm
    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        # Replacing an app needs the current one first: a stolen password is not enough.
        if (
            user.is_authenticated
            and not user.is_verified()
            and user.totpdevice_set.filter(confirmed=True).exists()
        ):
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
            "two_factor_enabled": user.totpdevice_set.filter(confirmed=True).exists(),
            "two_factor_required": requires_two_factor(user),
            "backup_codes_left": sum(d.token_set.count() for d in user.staticdevice_set.all()),
            **token_context(self.request),
        }


def _record_type(content_type: ContentType) -> str:
    """The record's kind as people call it (its verbose name), e.g. "Oproep", not "call"."""
    model = content_type.model_class()
    if model is None:  # a model that no longer exists
        return content_type.model
    return capfirst(model._meta.verbose_name)


class AuditTrailView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_audit_trail"
    template_name = "portal/audit_trail.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
        model = self.request.GET.get("model", "")
        if model.isdigit():
            entries = entries.filter(content_type_id=int(model))
        actor = self.request.GET.get("actor", "").strip()
        if actor:
            entries = entries.filter(actor__email__icontains=actor)
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        for entry in page:
            entry.record_type = _record_type(entry.content_type)
        types = ContentType.objects.filter(
            pk__in=LogEntry.objects.order_by().values("content_type").distinct()
        )
        models = [(content_type.pk, _record_type(content_type)) for content_type in types]
        return {
            **super().get_context_data(**kwargs),
            "page_obj": page,
            "models": sorted(models, key=lambda m: m[1]),
            "selected_model": model,
            "actor": actor,
        }


class SystemStatusView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_system_status"
    template_name = "portal/system_status.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "status": system_status(),
        }
