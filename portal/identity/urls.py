"""Pages of trusted identity, under the namespace ``identity``."""

from django.urls import path

from .views import accounts, eherkenning, oidc, team, tokens, verification

app_name = "identity"

urlpatterns = [
    path(
        "account/register/sent/",
        accounts.RegistrationSentView.as_view(),
        name="registration_sent",
    ),
    path("account/confirm/<str:token>/", accounts.EmailConfirmView.as_view(), name="email_confirm"),
    path(
        "account/confirm-email/",
        accounts.EmailUnconfirmedView.as_view(),
        name="email_unconfirmed",
    ),
    path(
        "account/confirm-email/again/",
        accounts.EmailConfirmResendView.as_view(),
        name="email_confirm_resend",
    ),
    path("account/api-tokens/", tokens.ApiTokenCreateView.as_view(), name="api_tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        tokens.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
    path("account/invitation/<str:token>/", team.invitation, name="invitation"),
    path("company/team/", team.team, name="team"),
    path("company/details/", team.company_details_view, name="company_details"),
    path("company/team/invite/", team.team_invite_view, name="team_invite"),
    path("company/team/<int:pk>/remove/", team.team_member_remove_view, name="team_remove"),
    path("company/team/<int:pk>/role/", team.team_role_view, name="team_role"),
    path(
        "company/team/invitations/<int:pk>/withdraw/",
        team.team_invitation_withdraw_view,
        name="team_invitation_withdraw",
    ),
    path("staff/companies/", verification.companies, name="companies"),
    path("staff/companies/<int:pk>/", verification.company, name="company"),
    path(
        "staff/verifications/<int:pk>/revoke/",
        verification.verification_revoke,
        name="verification_revoke",
    ),
    path(
        "account/eherkenning/",
        eherkenning.EherkenningLoginView.as_view(),
        name="eherkenning_login",
    ),
    path(
        "account/eherkenning/demo/",
        eherkenning.EherkenningMockView.as_view(),
        name="eherkenning_mock",
    ),
    path(
        "account/eherkenning/details/",
        eherkenning.EherkenningDetailsView.as_view(),
        name="eherkenning_details",
    ),
    path("account/eherkenning/link/", eherkenning.eherkenning_link, name="eherkenning_link"),
    path("account/sso/callback/", oidc.OidcCallbackView.as_view(), name="oidc_callback"),
    path("account/sso/<slug:slug>/", oidc.OidcLoginView.as_view(), name="oidc_login"),
]
