"""No account enumeration: registration and password reset answer alike, and as fast, whether
or not the address (or the company's number) is known.

The e-mails go through Celery; here its ``delay`` only records, as a broker would take the
task in constant time. Mail sent inside the request, or a password hashed only for new
addresses, would show in the timings: the hasher and the mail server are made slow enough.
"""

import statistics
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from portal.identity import tasks
from portal.models import User
from tests.factories import CompanyFactory, UserFactory
from tests.identity.support import SlowMailBackend

pytestmark = pytest.mark.django_db(transaction=True)

# Medians of several interleaved rounds, so a busy machine's hiccups do not decide.
ROUNDS = 9


@pytest.fixture
def slow(settings):
    settings.PASSWORD_HASHERS = ["tests.identity.support.SlowHasher"]
    settings.EMAIL_BACKEND = "tests.identity.support.SlowMailBackend"


@pytest.fixture
def enqueued(monkeypatch):
    """The tasks the requests queued, instead of running them in the request."""
    queued = []
    for name in ("send_registration_mail", "send_password_reset"):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", lambda *a, _n=name, **k: queued.append((_n, a, k)))
    return queued


def timed(post) -> float:
    start = time.perf_counter()
    response = post()
    elapsed = time.perf_counter() - start
    assert response.status_code == 302
    return elapsed


def hash_time() -> float:
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        make_password("Viaduct-van-morgen-42")
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def registration(n: int, email: str, kvk: str) -> dict:
    return {
        "company_name": f"Bedrijf {n} B.V.",
        "country": "NL",
        "kvk_number": kvk,
        "full_name": "Eva de Boer",
        "email": email,
        "password": "Viaduct-van-morgen-42",
        "password_again": "Viaduct-van-morgen-42",
    }


def test_registration_takes_as_long_for_a_known_address_or_number(client, slow, enqueued):
    UserFactory(email="bekend@example.org")
    CompanyFactory(kvk_number="55555555")
    url = reverse("register")
    new, known_address, known_number = [], [], []
    for n in range(ROUNDS):
        new_person = registration(n, f"nieuw{n}@example.org", f"{41000000 + n}")
        known_person = registration(n, "bekend@example.org", f"{42000000 + n}")
        known_company = registration(n, f"ander{n}@example.org", "55555555")
        new.append(timed(lambda data=new_person: client.post(url, data)))
        known_address.append(timed(lambda data=known_person: client.post(url, data)))
        known_number.append(timed(lambda data=known_company: client.post(url, data)))

    budget = hash_time() / 2
    median_new = statistics.median(new)
    assert abs(statistics.median(known_address) - median_new) < budget, (new, known_address)
    assert abs(statistics.median(known_number) - median_new) < budget, (new, known_number)
    # Each attempt queued exactly one e-mail task, whatever existed.
    assert len(enqueued) == 3 * ROUNDS
    assert User.objects.filter(email="bekend@example.org").count() == 1


def test_password_reset_takes_as_long_for_an_unknown_address(client, slow, enqueued):
    UserFactory(email="bekend@example.org")
    url = reverse("password_reset")
    known, unknown = [], []
    for n in range(ROUNDS):
        known.append(timed(lambda: client.post(url, {"email": "bekend@example.org"})))
        unknown.append(timed(lambda n=n: client.post(url, {"email": f"onbekend{n}@example.org"})))

    # Sending the mail inside the request would cost the slow mail server's delay.
    budget = SlowMailBackend.DELAY / 2
    assert abs(statistics.median(known) - statistics.median(unknown)) < budget, (known, unknown)
    assert sorted({name for name, _a, _k in enqueued}) == ["send_password_reset"]
    assert len(enqueued) == 2 * ROUNDS


def test_password_reset_pages_are_identical_for_known_and_unknown_addresses(client):
    UserFactory(email="bekend@example.org")
    url = reverse("password_reset")

    known = client.post(url, {"email": "bekend@example.org"})
    unknown = client.post(url, {"email": "onbekend@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
