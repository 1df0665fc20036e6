"""A small OpenID Connect provider for tests and development, as an organisation's would be.

Authorization code flow with PKCE (S256) and nonce, ID tokens signed RS256 with a key
published at the JWKS address, a userinfo endpoint and a discovery document.

    python -m tests.identity_providers.oidc_provider --port 8162 \
        --client-id innovatieloket --client-secret geheim

The login page is a form (no JavaScript): the tester types the e-mail address and ticks
whether a second factor was used, which sets the ``amr`` claim (["pwd"] or ["pwd", "otp",
"mfa"]) and optionally ``acr``. For tests of the relying party's checks it can also issue a
token for another audience, from another issuer or signed with another key.
"""

import argparse
import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Provider:
    def __init__(self, *, issuer: str, client_id: str, client_secret: str):
        self.issuer, self.client_id, self.client_secret = issuer, client_id, client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.lock = threading.Lock()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
            "claims_supported": ["sub", "email", "email_verified", "name", "amr", "acr"],
        }

    def jwks(self) -> dict:
        numbers = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.kid,
                    "n": b64url_uint(numbers.n),
                    "e": b64url_uint(numbers.e),
                }
            ]
        }

    def authorize(self, params: dict, form: dict) -> str:
        """The person logged in (or cancelled): back to the client with a code."""
        if params.get("client_id") != self.client_id:
            raise ValueError("unknown client")
        if params.get("response_type") != "code" or "openid" not in params.get("scope", ""):
            raise ValueError("only the authorization code flow with openid")
        redirect_uri, state = params["redirect_uri"], params.get("state", "")
        if form.get("action") == "cancel":
            return f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': state})}"
        email = form["email"].strip()
        amr = ["pwd", "otp", "mfa"] if form.get("mfa") else ["pwd"]
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {
                "redirect_uri": redirect_uri,
                "nonce": params.get("nonce"),
                "challenge": params.get("code_challenge"),
                "claims": {
                    "sub": hashlib.sha256(email.lower().encode()).hexdigest()[:24],
                    "email": email,
                    "email_verified": form.get("email_verified", "true") == "true",
                    "name": form.get("name", email.split("@")[0]),
                    "amr": amr,
                    **({"acr": form["acr"]} if form.get("acr") else {}),
                },
                "trick": form.get("trick", ""),
            }
        return f"{redirect_uri}?{urlencode({'code': code, 'state': state})}"

    def token(self, form: dict, basic: tuple[str, str] | None) -> dict:
        client_id, secret = basic or (form.get("client_id"), form.get("client_secret"))
        if (client_id, secret) != (self.client_id, self.client_secret):
            raise PermissionError("invalid_client")
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("grant_type") != "authorization_code":
            raise PermissionError("invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            raise PermissionError("invalid_grant")
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if grant["challenge"] and challenge.rstrip(b"=").decode() != grant["challenge"]:
            raise PermissionError("invalid_grant")
        now = int(time.time())
        claims = {
            **grant["claims"],
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
        }
        key = self.key
        if grant["trick"] == "audience":
            claims["aud"] = "someone-else"
        elif grant["trick"] == "issuer":
            claims["iss"] = "https://evil.example"
        elif grant["trick"] == "key":
            key = self.other_key
        access_token = secrets.token_urlsafe(24)
        with self.lock:
            self.access_tokens[access_token] = grant["claims"]
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def userinfo(self, authorization: str) -> dict:
        token = authorization.removeprefix("Bearer ").strip()
        with self.lock:
            claims = self.access_tokens.get(token)
        if claims is None:
            raise PermissionError("invalid_token")
        return {k: claims[k] for k in ("sub", "email", "email_verified", "name")}


LOGIN_FIELDS = {"email", "mfa", "acr", "action", "trick", "email_verified"}

LOGIN_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Local identity provider</title></head><body><main>
<h1>Local identity provider (tests and development)</h1>
<form method="post">{hidden}
<p><label for="email">E-mail address</label> <input id="email" name="email" type="email"></p>
<p><input id="mfa" name="mfa" type="checkbox" value="1">
<label for="mfa">Used a second factor (amr: mfa)</label></p>
<p><label for="acr">acr (optional)</label> <input id="acr" name="acr"></p>
<button type="submit" name="action" value="login">Log in</button>
<button type="submit" name="action" value="cancel">Cancel</button>
</form></main></body></html>"""


def handler_for(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status: int, body, content_type="application/json", **headers):
            data = (json.dumps(body) if isinstance(body, dict) else body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _query(self) -> dict:
            return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

        def _form(self) -> dict:
            length = int(self.headers.get("Content-Length", 0))
            return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

        def _basic(self) -> tuple[str, str] | None:
            value = self.headers.get("Authorization", "")
            if not value.startswith("Basic "):
                return None
            client_id, _sep, secret = base64.b64decode(value[6:]).decode().partition(":")
            return client_id, secret

        def do_GET(self):
            path = urlsplit(self.path).path
            try:
                if path == "/health":
                    self._send(200, "ok", "text/plain")
                elif path == "/.well-known/openid-configuration":
                    self._send(200, provider.discovery())
                elif path == "/jwks":
                    self._send(200, provider.jwks())
                elif path == "/authorize":
                    hidden = "".join(
                        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                        for k, v in self._query().items()
                    )
                    self._send(200, LOGIN_PAGE.format(hidden=hidden), "text/html; charset=utf-8")
                elif path == "/userinfo":
                    self._send(200, provider.userinfo(self.headers.get("Authorization", "")))
                else:
                    self._send(404, {"error": "not_found"})
            except PermissionError as error:
                self._send(401, {"error": str(error)})

        def do_POST(self):
            path = urlsplit(self.path).path
            try:
                if path == "/authorize":
                    form = self._form()
                    params = {k: form.pop(k) for k in list(form) if k not in LOGIN_FIELDS}
                    self._send(302, "", "text/plain", Location=provider.authorize(params, form))
                elif path == "/token":
                    self._send(200, provider.token(self._form(), self._basic()))
                else:
                    self._send(404, {"error": "not_found"})
            except PermissionError as error:
                self._send(400, {"error": str(error)})
            except (KeyError, ValueError) as error:
                self._send(400, {"error": "invalid_request", "error_description": str(error)})

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--issuer", default="")
    parser.add_argument("--client-id", default="innovatieloket")
    parser.add_argument("--client-secret", default="geheim")
    args = parser.parse_args()
    provider = Provider(
        issuer=args.issuer or f"http://127.0.0.1:{args.port}",
        client_id=args.client_id,
        client_secret=args.client_secret,
    )
    ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(provider)).serve_forever()


if __name__ == "__main__":
    main()
