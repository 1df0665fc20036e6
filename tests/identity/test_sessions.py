"""Sessions and lockout: a new session key after the second factor, lockout per username
across addresses and per address, the client's address read right behind proxies, and a
Permissions-Policy header."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import totp

from portal.identity.network import client_ip
from portal.models import Role
from tests.factories import PASSWORD, confirmed_totp_device, person_with_role

pytestmark = pytest.mark.django_db


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_the_session_key_is_renewed_when_the_second_factor_is_passed(client):
    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    device = confirmed_totp_device(officer)
    client.post(reverse("login"), {"username": officer.email, "password": PASSWORD})
    before = client.session.session_key

    client.post(reverse("two_factor_verify"), {"otp_token": code(device)})

    assert client.session.session_key != before
    assert client.get(reverse("dashboard")).status_code == 200


def attempt(client, email, address, password="wrong-password-123"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_failures_per_username_count_across_addresses(client, settings):
    victim = person_with_role(Role.APPLICANT)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, victim.email, f"198.51.100.{n + 1}")

    # From yet another address, even the right password is refused now.
    response = attempt(client, victim.email, "203.0.113.9", password=PASSWORD)

    assert response.status_code == 429


def test_failures_per_address_count_across_usernames(client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"gok{n}@example.org", "198.51.100.77")
    someone = person_with_role(Role.APPLICANT)

    response = attempt(client, someone.email, "198.51.100.77", password=PASSWORD)

    assert response.status_code == 429
    # Someone else, from elsewhere, still logs in.
    assert attempt(client, someone.email, "203.0.113.10", password=PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # no proxy: the header is the client's lie
        (1, "10.0.0.2", "1.2.3.4, 198.51.100.20", "198.51.100.20"),  # what nginx saw
        (2, "10.0.0.3", "1.2.3.4, 198.51.100.20, 10.0.0.2", "198.51.100.20"),
        (1, "10.0.0.2", "", "10.0.0.2"),  # came around the proxy
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (2, "10.0.0.3", "198.51.100.20", "10.0.0.3"),  # fewer hops than proxies
    ],
)
def test_the_client_address_behind_proxies(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_lockout_uses_the_address_the_proxy_saw(client, settings):
    """Behind one proxy every request comes from the proxy; the lockout must not lump all
    clients together, and a client cannot escape it by forging X-Forwarded-For."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"gok{n}@example.org", "password": "wrong-password-123"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 198.51.100.30",
        )
    someone = person_with_role(Role.APPLICANT)

    same_client = client.post(
        reverse("login"),
        {"username": someone.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="8.8.8.8, 198.51.100.30",
    )
    other_client = client.post(
        reverse("login"),
        {"username": someone.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.31",
    )

    assert same_client.status_code == 429
    assert other_client.status_code == 302


def test_pages_send_a_permissions_policy(client):
    policy = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
