"""The client's address, read correctly behind reverse proxies.

Each proxy appends the address it received the request from to X-Forwarded-For, so with
TRUSTED_PROXY_COUNT proxies in front, the n-th address from the right is the one the
outermost proxy saw: the client. Addresses further left were sent by the client itself and
prove nothing; trusting them would let anyone escape the lockout by inventing addresses.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        # Fewer hops than proxies configured: the request came around the proxy, or the
        # setting is wrong. The address that connected is the only one we can trust.
        return remote
    return _valid(forwarded[-proxies]) or remote
