from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import (
    ApiToken,
    CompanyVerification,
    EherkenningLink,
    IdentifierClaim,
    IdentityProvider,
    TeamInvitation,
)
from .services.tokens import api_token_revoke


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only services write: the admin shows them, nothing more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IdentityProviderForm(forms.ModelForm):
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Leave empty to keep the current one, or to read it from OIDC_CLIENT_SECRET_<SLUG>."
        ),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation",
            "slug",
            "name",
            "issuer",
            "client_id",
            "client_secret",
            "mfa_amr",
            "mfa_acr",
            "is_active",
        ]

    def clean_client_secret(self):
        return self.cleaned_data["client_secret"] or (
            self.instance.client_secret if self.instance.pk else ""
        )


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderForm
    list_display = ["name", "organisation", "slug", "issuer", "is_active"]
    list_filter = ["is_active"]
    autocomplete_fields = ["organisation"]
    search_fields = ["name", "organisation__name", "issuer"]


@admin.register(CompanyVerification)
class CompanyVerificationAdmin(ReadOnlyAdmin):
    list_display = ["company", "method", "identifier", "verified_by", "verified_at", "revoked_at"]
    list_filter = ["method"]
    search_fields = ["company__name", "identifier"]


@admin.register(IdentifierClaim)
class IdentifierClaimAdmin(ReadOnlyAdmin):
    list_display = ["identifier", "taken_from", "claimed_by", "claimed_by_person", "claimed_at"]


@admin.register(TeamInvitation)
class TeamInvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "company", "team_role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "company__name"]


@admin.register(EherkenningLink)
class EherkenningLinkAdmin(ReadOnlyAdmin):
    list_display = ["user", "company", "created_at", "last_login_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", "revoke_reason"]
    search_fields = ["name", "user__email", "prefix"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.is_staff  # the action needs the list's rights

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("The tokens are revoked."))
