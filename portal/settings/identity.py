"""Settings of trusted identity: eHerkenning, single sign-on, API tokens, teams, proxies.

Read from the environment like the rest; ``.env.example`` and the README explain each one.
"""

import json

from .base import DEBUG, env, env_bool

# How many reverse proxies in front of the portal add the client's address to
# X-Forwarded-For. 0: the portal faces the internet and REMOTE_ADDR is the client. With one
# proxy (nginx, a load balancer) set 1: the last address in the header is what that proxy
# saw. Never more than the number of proxies you run, or clients can choose their address.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# --- eHerkenning --------------------------------------------------------------------------
# "saml": the real flow through the broker configured in the admin (or with
# `manage.py eherkenning_configure` from the EHERKENNING_* variables). "mock": a page that
# pretends to be the broker, for development and demonstration only. "off": no eHerkenning.
EHERKENNING_MODE = env("EHERKENNING_MODE", "mock" if DEBUG else "off")
# A company is verified by an eHerkenning login only at this level of assurance or above
# (EH3, "substantial", is what submitting a tender asks for).
EHERKENNING_MIN_LOA = env("EHERKENNING_MIN_LOA", "urn:etoegang:core:assurance-class:loa3")
# django-privates (the eHerkenning certificates and metadata): never served over HTTP.
PRIVATE_MEDIA_URL = "/private-media/"

# --- Single sign-on for officials (OpenID Connect) -----------------------------------------
# Providers come from the admin (Identity providers) and from this JSON list, e.g.
# [{"slug": "rws", "organisation": "Rijkswaterstaat", "issuer": "https://login.rws.example",
#   "client_id": "innovatieloket", "client_secret": "…", "mfa_amr": ["mfa"]}]
OIDC_PROVIDERS = json.loads(env("OIDC_PROVIDERS", "[]") or "[]")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_CREATE_USER = False  # people are matched, never made: roles are given in the portal
OIDC_TIMEOUT = int(env("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:oidc_callback"
# Values of the ID token's "amr" (RFC 8176) or "acr" claims that say the provider asked for
# more than a password; a provider's own list in its configuration replaces this default.
OIDC_MFA_AMR = [v for v in env("OIDC_MFA_AMR", "mfa").split(",") if v.strip()]
OIDC_MFA_ACR = [v for v in env("OIDC_MFA_ACR", "").split(",") if v.strip()]
# Where an organisation has a provider, its officials log in through it; set true to let
# them use the portal's own password as well (e.g. while the provider is being tried out).
OIDC_ALLOW_PASSWORD_LOGIN = env_bool("OIDC_ALLOW_PASSWORD_LOGIN", False)

# --- Accounts, teams and API tokens -------------------------------------------------------
EMAIL_CONFIRMATION_DAYS = int(env("EMAIL_CONFIRMATION_DAYS", "3"))
TEAM_INVITATION_DAYS = int(env("TEAM_INVITATION_DAYS", "7"))
API_TOKEN_DEFAULT_DAYS = int(env("API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(env("API_TOKEN_MAX_DAYS", "365"))
