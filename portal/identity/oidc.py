"""Single sign-on for officials with mozilla-django-oidc, one or more providers per
organisation.

mozilla-django-oidc speaks to one provider named in the settings; here each login names its
provider (kept with the state in the session), and the backend reads that provider's
endpoints from its discovery document. The ID token must be signed by the provider, be for
this client (aud) and come from the configured issuer (iss); the library alone checks
neither of the last two.
"""

import logging
import os
from dataclasses import dataclass

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from portal.models import Organisation

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 3600


class ProviderUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    organisation_id: int
    organisation_name: str
    issuer: str
    client_id: str
    client_secret: str
    mfa_amr: tuple[str, ...]
    mfa_acr: tuple[str, ...]


def _split(value: str | list | None) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _secret(slug: str, configured: str) -> str:
    return configured or os.environ.get(f"OIDC_CLIENT_SECRET_{slug.upper().replace('-', '_')}", "")


def providers() -> list[Provider]:
    """Active providers from the admin, then those from OIDC_PROVIDERS in the environment."""
    from .models import IdentityProvider

    found = [
        Provider(
            slug=p.slug,
            name=p.name,
            organisation_id=p.organisation_id,
            organisation_name=p.organisation.name,
            issuer=p.issuer.rstrip("/"),
            client_id=p.client_id,
            client_secret=_secret(p.slug, p.client_secret),
            mfa_amr=_split(p.mfa_amr) or tuple(settings.OIDC_MFA_AMR),
            mfa_acr=_split(p.mfa_acr) or tuple(settings.OIDC_MFA_ACR),
        )
        for p in IdentityProvider.objects.filter(is_active=True).select_related("organisation")
    ]
    taken = {p.slug for p in found}
    configured = [c for c in settings.OIDC_PROVIDERS if c.get("slug") not in taken]
    names = {c.get("organisation") for c in configured}
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    for config in configured:
        organisation = organisations.get(config.get("organisation"))
        if organisation is None:
            logger.warning(
                "OIDC provider %s: no organisation named %r",
                config.get("slug"),
                config.get("organisation"),
            )
            continue
        found.append(
            Provider(
                slug=config["slug"],
                name=config.get("name") or organisation.name,
                organisation_id=organisation.pk,
                organisation_name=organisation.name,
                issuer=config["issuer"].rstrip("/"),
                client_id=config["client_id"],
                client_secret=_secret(config["slug"], config.get("client_secret", "")),
                mfa_amr=_split(config.get("mfa_amr")) or tuple(settings.OIDC_MFA_AMR),
                mfa_acr=_split(config.get("mfa_acr")) or tuple(settings.OIDC_MFA_ACR),
            )
        )
    return sorted(found, key=lambda p: (p.organisation_name, p.name))


def provider_by_slug(slug: str) -> Provider | None:
    return next((p for p in providers() if p.slug == slug), None)


def providers_for_organisations(organisation_ids: set[int]) -> list[Provider]:
    return [p for p in providers() if p.organisation_id in organisation_ids]


def discovery(provider: Provider) -> dict:
    """The provider's endpoints, from its discovery document (cached for an hour)."""
    key = f"identity:oidc-discovery:{provider.issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(
                f"{provider.issuer}/.well-known/openid-configuration",
                timeout=settings.OIDC_TIMEOUT,
            )
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(str(error)) from error
        if document.get("issuer", "").rstrip("/") != provider.issuer:
            raise ProviderUnavailable("the discovery document names another issuer")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def mfa_asserted(provider: Provider, claims: dict) -> bool:
    """Whether the provider says it asked for more than a password (RFC 8176 amr, or acr)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(amr) & set(provider.mfa_amr):
        return True
    return bool(provider.mfa_acr) and claims.get("acr") in provider.mfa_acr


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """Logs in an official who already holds a role in the provider's organisation.

    The login view puts the provider on the request (``identity_oidc_provider``); without it
    this backend answers None, so password logins never reach it. The outcome is left on the
    request for the view: ``identity_oidc_mfa`` and, on failure, ``identity_oidc_failure``.
    """

    def __init__(self, *args, **kwargs):
        # The library reads one provider's settings here; ours are per login, below.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "identity_oidc_provider", None) if request else None
        if provider is None or "nonce" not in kwargs:
            return None
        self.provider = provider
        try:
            document = discovery(provider)
            self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
            self.OIDC_OP_USER_ENDPOINT = document.get("userinfo_endpoint")
            self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
            self.OIDC_RP_CLIENT_ID = provider.client_id
            self.OIDC_RP_CLIENT_SECRET = provider.client_secret
            self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
            self.OIDC_RP_IDP_SIGN_KEY = None
            return super().authenticate(request, **kwargs)
        except (ProviderUnavailable, requests.RequestException, KeyError) as error:
            logger.warning("OIDC login at %s failed: %s", provider.slug, error)
            request.identity_oidc_failure = "unavailable"
        except SuspiciousOperation as error:
            logger.warning("OIDC login at %s refused: %s", provider.slug, error)
            request.identity_oidc_failure = "invalid"
        return None

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("unexpected signing algorithm")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about someone else")
            claims = {**userinfo, **payload}
        email = (claims.get("email") or "").strip().lower()
        if not email or claims.get("email_verified") is False:
            self.request.identity_oidc_failure = "no_email"
            return None
        users = list(
            self.UserModel.objects.filter(
                email__iexact=email,
                is_active=True,
                memberships__organisation_id=self.provider.organisation_id,
            ).distinct()
        )
        if len(users) != 1:
            self.request.identity_oidc_failure = "unknown"
            self.request.identity_oidc_email = email
            return None
        self.request.identity_oidc_mfa = mfa_asserted(self.provider, payload)
        return users[0]
