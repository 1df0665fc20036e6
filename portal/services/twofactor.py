"""Two-factor authentication with django-otp: TOTP apps plus single-use backup codes."""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import User

BACKUP_CODE_COUNT = 10


def totp_device_pending(user: User) -> TOTPDevice:
    """The not-yet-confirmed authenticator of a person setting up two-factor authentication."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_secret_for_display(device: TOTPDevice) -> str:
    """The key in base32, grouped by four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def totp_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app with a first code; returns fresh backup codes, or None if wrong."""
    if not device.verify_token(token):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One authenticator per person: setting up a new one replaces the old.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        return backup_codes_renew(device.user)


def backup_codes_renew(user: User) -> list[str]:
    """Replace a person's backup codes; each code works once."""
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def verify(user: User, token: str):
    """The device that accepts this code (throttled by django-otp), or None."""
    return match_token(user, token)


def two_factor_disable(user: User) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
