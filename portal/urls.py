from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from .identity.views import accounts as identity_accounts
from .views import account, public, staff

auth_patterns = [
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", account.LogoutView.as_view(), name="logout"),
    path("register/", identity_accounts.CompanyRegistrationView.as_view(), name="register"),
    path("two-factor/", account.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/setup/", account.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("two-factor/backup-codes/", account.BackupCodesRenewView.as_view(), name="backup_codes"),
    path("two-factor/disable/", account.TwoFactorDisableView.as_view(), name="two_factor_disable"),
    path("", account.AccountView.as_view(), name="account"),
    path(
        "password/change/",
        identity_accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        identity_accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        identity_accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

# The API first, so that an API request does not try the pages' three hundred patterns before
# its own.
api_patterns: list[URLPattern | URLResolver] = [
    path("v1/", include("portal.api.urls")),
    path("v1/", include("portal.identity.api.urls")),
    path("v1/", include("calls.api.urls")),
    path("v1/", include("proposals.api.urls")),
    path("v1/", include("funding.api.urls")),
    path("v1/", include("reporting.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    path("", public.HomeView.as_view(), name="home"),
    path("health/", public.health, name="health"),
    path("favicon.ico", public.favicon, name="favicon"),
    path("dashboard/", account.DashboardView.as_view(), name="dashboard"),
    path("account/", include(auth_patterns)),
    path("accessibility/", public.AccessibilityStatementView.as_view(), name="accessibility"),
    path("staff/audit-trail/", staff.AuditTrailView.as_view(), name="audit_trail"),
    path("staff/status/", staff.SystemStatusView.as_view(), name="system_status"),
    path("", include("portal.identity.urls")),
    path("eherkenning/", include("portal.identity.saml_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("calls.urls")),
    path("", include("proposals.urls")),
    path("", include("funding.urls")),
    path("", include("reporting.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
