"""A Redis outage delays receipts but loses none, and no page fails because of it.

The test starts a Redis server of its own, the portal under gunicorn on it (and on the test
database), stops Redis, submits through the HTML page and the API and reads the API
anonymously, then starts Redis again with a worker and Celery beat: the periodic outbox job
sends the receipts that were waiting.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import Client

from proposals.models import Proposal
from tests.calls.factories import published_call
from tests.conftest import ROOT, _database_url_of_test_db, _require, stop_worker
from tests.factories import api_key_for
from tests.proposals.factories import complete_draft

pytestmark = pytest.mark.live_worker


def free_port(*, besides: int = 0) -> int:
    """A free port; OUTAGE_PORT_FIRST..OUTAGE_PORT_LAST limit the choice if set."""
    first, last = os.environ.get("OUTAGE_PORT_FIRST"), os.environ.get("OUTAGE_PORT_LAST")
    candidates = range(int(first), int(last) + 1) if first and last else [0]
    for port in candidates:
        if port and port == besides:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port in OUTAGE_PORT_FIRST..OUTAGE_PORT_LAST")


def wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {seconds} s")
        time.sleep(0.2)


def start_redis(port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(port),
         "--save", "", "--appendonly", "no"],
        stdout=log.open("a"), stderr=subprocess.STDOUT,
    )  # fmt: skip

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_until(answers, 20, "Redis did not start")
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def outage(transactional_db, tmp_path):
    _require(bool(shutil.which("redis-server")), "redis-server is not installed")
    redis_port = free_port()
    web_port = free_port(besides=redis_port)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,  # the test's sessions must be valid there
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url_of_test_db(),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CELERY_TASK_DEFAULT_QUEUE": f"outage-{os.getpid()}-{redis_port}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "OUTBOX_DISPATCH_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    (tmp_path / "mail").mkdir()
    started: list[subprocess.Popen] = []

    def redis() -> subprocess.Popen:
        started.append(start_redis(redis_port, tmp_path / "redis.log"))
        return started[-1]

    def web() -> str:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application",
             "--bind", f"127.0.0.1:{web_port}", "--workers", "1", "--threads", "4",
             "--timeout", "120"],
            cwd=ROOT, env=env, stdout=(tmp_path / "web.log").open("w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(process)
        base = f"http://127.0.0.1:{web_port}"

        def serves() -> bool:
            try:
                return requests.get(f"{base}/api/v1/", timeout=20).status_code < 500
            except requests.RequestException:
                return False

        wait_until(serves, 60, f"gunicorn did not start; see {tmp_path / 'web.log'}")
        return base

    def worker_with_beat() -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--beat",
             "--schedule", str(tmp_path / "beat-schedule"), "--pool=solo",
             "--queues", env["CELERY_TASK_DEFAULT_QUEUE"], "--without-gossip",
             "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env=env, stdout=(tmp_path / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(process)
        return process

    yield {"redis": redis, "web": web, "worker": worker_with_beat, "mail": tmp_path / "mail"}
    for process in reversed(started):
        if process.poll() is None:
            (stop_worker if "celery" in process.args else stop)(process)


def session_of(user) -> requests.Session:
    """A browser session of this person, logged in through Django's test client."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return session


def test_a_redis_outage_delays_receipts_but_loses_none_and_fails_no_page(outage):
    call = published_call()
    by_page, by_api = complete_draft(call=call), complete_draft(call=call)
    key = api_key_for(by_api.person)
    redis = outage["redis"]()
    base = outage["web"]()
    browser = session_of(by_page.person)
    form = browser.get(f"{base}/proposals/{by_page.pk}/submit/", timeout=30)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)

    stop(redis)  # Redis is down from here on

    started = time.monotonic()
    page = browser.post(
        f"{base}/proposals/{by_page.pk}/submit/",
        data={"csrfmiddlewaretoken": token, "declaration": "on"},
        headers={"Referer": f"{base}/proposals/{by_page.pk}/submit/"},
        timeout=60,
    )
    page_seconds = time.monotonic() - started
    started = time.monotonic()
    api = requests.post(
        f"{base}/api/v1/proposals/{by_api.pk}/submit/",
        headers={"Authorization": f"Token {key}"},
        json={"declaration_accepted": True},
        timeout=60,
    )
    api_seconds = time.monotonic() - started
    anonymous = requests.get(f"{base}/api/v1/calls/", timeout=60)

    assert page.status_code == 200, page.text[:500]
    assert page.url.endswith(f"/proposals/{by_page.pk}/")
    by_page.refresh_from_db()
    assert by_page.submission_number in page.text
    assert "ontvangstbevestiging" in page.text.lower()  # "the receipt … by e-mail"
    assert api.status_code == 200, api.text[:500]
    assert api.json()["status"] == "submitted"
    assert anonymous.status_code == 200
    assert anonymous.json()["count"] >= 1
    print(f"submit with Redis down: page {page_seconds:.2f} s, API {api_seconds:.2f} s")
    assert page_seconds < 5
    assert api_seconds < 5
    pks = [by_page.pk, by_api.pk]
    assert list(Proposal.objects.filter(pk__in=pks).values_list("status", flat=True)) == [
        "submitted",
        "submitted",
    ]
    assert not Proposal.objects.filter(pk__in=pks, receipt_sent_at__isnull=False).exists()

    # Redis is back: the worker's beat runs the outbox job, which sends the receipts.
    outage["redis"]()
    outage["worker"]()
    wait_until(
        lambda: not Proposal.objects.filter(pk__in=pks, receipt_sent_at__isnull=True).exists(),
        90,
        "the pending receipts were not sent after Redis came back",
    )
    wait_until(lambda: len(list(outage["mail"].iterdir())) == 2, 10, "two receipt mails")
    for proposal in Proposal.objects.filter(pk__in=pks):
        assert proposal.receipt.name.endswith(".pdf")
