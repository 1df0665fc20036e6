"""API tokens: made only after the second factor, named, scoped, expiring, revocable."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal.exceptions import DomainError, NotAllowed
from portal.models import Membership, User
from portal.selectors.identity import requires_two_factor, two_factor_enabled

from ..models import ApiToken

# Writing the moment of last use on every request would turn each read into a write.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    """Changes whenever the password does, by whatever path (page, reset, admin, shell)."""
    return salted_hmac("portal.identity.api-token", user.password, algorithm="sha256").hexdigest()


def second_factor_required_for_tokens(user: User) -> bool:
    """Everyone who must log in with a second factor, and everyone who switched one on."""
    return requires_two_factor(user) or two_factor_enabled(user)


def api_token_create(
    *, actor: User, name: str, scope: str, days: int, second_factor_verified: bool
) -> tuple[ApiToken, str]:
    """A new token for the actor; returns it with its key, which is never stored or shown again.

    ``second_factor_verified`` is whether the actor's session passed the second factor.
    """
    if second_factor_required_for_tokens(actor) and not second_factor_verified:
        raise NotAllowed(
            _("Log in with your second factor before you create an API token."),
            code="second_factor",
        )
    name = name.strip()
    if not name:
        raise DomainError(
            _("Give the token a name, e.g. the system that will use it."), code="name"
        )
    if scope not in ApiToken.Scope.values:
        raise DomainError(_("Choose whether the token may only read or also write."), code="scope")
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise DomainError(
            _("A token is valid for 1 to %(max)s days.") % {"max": settings.API_TOKEN_MAX_DAYS},
            code="days",
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        scope=scope,
        prefix=key[:8],
        key_hash=_hash(key),
        password_fingerprint=password_fingerprint(actor),
        membership_ids=sorted(Membership.objects.filter(user=actor).values_list("pk", flat=True)),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, key


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """The owner (or a portal administrator) ends a token at once."""
    if actor.pk != token.user_id and not actor.is_staff:
        raise NotAllowed()
    reason = (
        ApiToken.RevokeReason.OWNER
        if actor.pk == token.user_id
        else (ApiToken.RevokeReason.ADMINISTRATOR)
    )
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoke_reason = reason
            token.save(update_fields=["revoked_at", "revoke_reason"])
    return token


def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """End every live token of a person (password changed, membership ended)."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    now = timezone.now()
    for token in tokens:
        # One save per token (not .update()) so the audit trail records each.
        token.revoked_at = now
        token.revoke_reason = reason
        token.save(update_fields=["revoked_at", "revoke_reason"])
    return len(tokens)


def api_token_authenticate(*, key: str, ip: str | None) -> ApiToken | None:
    """The live token with this key, its last use noted; None for anything else.

    A token made under an earlier password, or in a membership that has since ended, is
    revoked here if no service did so already (the admin and the shell bypass services).
    """
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.is_expired or not token.user.is_active:
        return None
    user = token.user
    if token.password_fingerprint != password_fingerprint(user):
        api_tokens_revoke_all(user=user, reason=ApiToken.RevokeReason.PASSWORD_CHANGED)
        return None
    ids = token.membership_ids
    if ids and Membership.objects.filter(pk__in=ids, user=user).count() != len(ids):
        api_tokens_revoke_all(user=user, reason=ApiToken.RevokeReason.MEMBERSHIP_ENDED)
        return None
    # Noted at most once a minute, so a busy integration does not write on every read; the
    # condition sits in the UPDATE itself, so every request costs the same queries.
    now = timezone.now()
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USE_RESOLUTION),
        pk=token.pk,
    ).update(last_used_at=now, last_used_ip=ip)
    return token
