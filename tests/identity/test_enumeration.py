"""No account enumeration: registration and password reset answer alike, after the same work
and in the same time, whether or not the address (or the company's number) is known.

The request checks the form, hashes the password and queues one task; the worker finds out
what exists. Here sending a task (``apply_async``, which the outbox calls after the commit)
only records, as a broker takes a task in constant
time; the worker's side is tested through it (tests/portal/test_registration.py). The
hasher and the mail server are made slow, so that a hash skipped, or mail sent, for only some
addresses would show in the timings.
"""

import re
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.identity import tasks
from portal.models import User
from tests.factories import CompanyFactory, UserFactory
from tests.identity.support import SlowHasher, SlowMailBackend

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
    for name in ("process_registration", "send_password_reset", "send_registration_mail"):
        task = getattr(tasks, name)
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda args=(), kwargs=None, _n=name, **options: queued.append(
                (_n, tuple(args or ()), kwargs or {})
            ),
        )
    return queued


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


def sql_of(url: str, data: dict) -> list[str]:
    """The statements one request of a new visitor runs, with its values left out."""
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302
    return [re.split(r" WHERE | VALUES | SET ", query["sql"])[0] for query in queries]


def test_registration_runs_the_same_statements_whatever_exists(enqueued):
    UserFactory(email="bekend@example.org")
    CompanyFactory(kvk_number="55555555")
    url = reverse("register")

    new = sql_of(url, registration(1, "nieuw@example.org", "41000001"))
    known_address = sql_of(url, registration(2, "bekend@example.org", "41000002"))
    known_number = sql_of(url, registration(3, "ander@example.org", "55555555"))

    assert new == known_address == known_number
    # Nothing is written but the task's outbox row (sent, so marked sent) and the visitor's
    # session (which remembers the address typed).
    writes = [sql for sql in new if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [sql.split(" (")[0] for sql in writes] == [
        'INSERT INTO "portal_outboxmessage"',
        'UPDATE "portal_outboxmessage"',
        'INSERT INTO "django_session"',
    ]
    assert [name for name, _a, _k in enqueued] == ["process_registration"] * 3


def test_password_reset_runs_the_same_statements_whatever_exists(enqueued):
    UserFactory(email="bekend@example.org")
    url = reverse("password_reset")

    known = sql_of(url, {"email": "bekend@example.org"})
    unknown = sql_of(url, {"email": "onbekend@example.org"})

    assert known == unknown
    assert [name for name, _a, _k in enqueued] == ["send_password_reset"] * 2


def timed(post) -> float:
    start = time.perf_counter()
    response = post()
    elapsed = time.perf_counter() - start
    assert response.status_code == 302
    return elapsed


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

    # Hashing the password for new addresses only would cost one hash (tens of ms).
    budget = SlowHasher().hash_time() / 2
    median_new = statistics.median(new)
    assert abs(statistics.median(known_address) - median_new) < budget, (new, known_address)
    assert abs(statistics.median(known_number) - median_new) < budget, (new, known_number)
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
    assert len(enqueued) == 2 * ROUNDS


def test_password_reset_pages_are_identical_for_known_and_unknown_addresses(client):
    UserFactory(email="bekend@example.org")
    url = reverse("password_reset")

    known = client.post(url, {"email": "bekend@example.org"})
    unknown = client.post(url, {"email": "onbekend@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
