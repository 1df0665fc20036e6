"""Single sign-on for officials: start at the organisation's provider, come back here."""

from urllib.parse import parse_qs, urlparse

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from ..oidc import Provider, ProviderUnavailable, discovery, provider_by_slug
from ..services.accounts import identity_provider_device


class OidcLoginView(OIDCAuthenticationRequestView):
    """To the provider, with state, nonce and PKCE; the provider is remembered with the state."""

    def __init__(self, *args, **kwargs):
        # The library reads one global provider here; this view learns its provider per request.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request, slug: str):
        provider = provider_by_slug(slug)
        if provider is None:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = discovery(provider)["authorization_endpoint"]
        except (ProviderUnavailable, KeyError):
            messages.error(
                request,
                _("%(provider)s cannot be reached right now. Try again later.")
                % {"provider": provider.name},
            )
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        state = parse_qs(urlparse(response["Location"]).query)["state"][0]
        request.session["oidc_states"][state]["provider"] = provider.slug
        request.session.modified = True
        return response


FAILURES = {
    "unknown": _(
        "%(provider)s confirmed who you are, but the portal knows no official of "
        "%(organisation)s with the address %(email)s. Ask your portal administrator to give "
        "you your role."
    ),
    "no_email": _("%(provider)s did not give a confirmed e-mail address."),
    "unavailable": _("%(provider)s cannot be reached right now. Try again later."),
    "invalid": _("The answer of %(provider)s could not be trusted. Try again."),
}


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: the backend matches the person by e-mail and organisation."""

    provider: Provider

    def get(self, request):
        state = request.GET.get("state", "")
        entry = request.session.get("oidc_states", {}).get(state) or {}
        provider = provider_by_slug(entry.get("provider", ""))
        if provider is None:
            messages.error(request, _("This login has expired. Start again, please."))
            return redirect("login")
        self.provider = provider
        request.identity_oidc_provider = self.provider
        return super().get(request)

    def login_failure(self):
        reason = getattr(self.request, "identity_oidc_failure", "invalid")
        if self.request.GET.get("error"):
            reason = "cancelled"
        message = FAILURES.get(reason, _("Logging in through %(provider)s did not succeed."))
        messages.error(
            self.request,
            message
            % {
                "provider": self.provider.name,
                "organisation": self.provider.organisation_name,
                "email": getattr(self.request, "identity_oidc_email", ""),
            },
        )
        return redirect("login")

    def login_success(self):
        response = super().login_success()
        request = self.request
        if getattr(request, "identity_oidc_mfa", False):
            # The provider asked for more than a password: that is the second factor.
            device = identity_provider_device(
                user=self.user, provider_slug=self.provider.slug, name=self.provider.name
            )
            otp_login(request, device)
            request.session.cycle_key()
        request.session["identity_login_method"] = f"oidc:{self.provider.slug}"
        return response

    @property
    def failure_url(self):  # pragma: no cover - login_failure redirects itself
        return import_from_settings("LOGIN_URL", "/")
