"""`make run` without Redis: the web process and, beside it, a Celery worker with beat on a
broker of files. Started here as `make run` starts it (``manage.py run_portal``), on this
test's database, with beat's one-minute interval for closing calls shortened to a second."""

import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from calls.models import Call
from tests.calls.factories import published_call
from tests.conftest import _database_url_of_test_db

from .test_configuration import clean_environment, free_port

ROOT = Path(__file__).resolve().parents[2]


def processes_with(marker: str) -> list[str]:
    """Every process on this machine whose environment carries ``marker``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError):
        return False


def wait_for(condition, *, seconds: float, what: str, process: subprocess.Popen, log: Path):
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"make run stopped: {log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"gave up waiting for {what}: {log.read_text()[-3000:]}"
        time.sleep(0.2)


def portal_environment(tmp_path: Path, **extra) -> dict[str, str]:
    env = clean_environment(
        ENV_FILE=str(tmp_path / "none.env"),
        DATABASE_URL=_database_url_of_test_db(),
        EMBEDDED_WORKER_DIR=str(tmp_path / "celery"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    for name in ("REDIS_URL", "DEBUG", "EMBEDDED_WORKER"):
        env.pop(name, None)
    return {**env, **extra}


@pytest.mark.django_db(transaction=True)
def test_make_run_closes_a_call_once_its_deadline_passed_and_ctrl_c_stops_everything(tmp_path):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=1)):
        # Published yesterday; open for a few more seconds.
        call = published_call(
            deadline=now + timedelta(seconds=3), questions_deadline=now - timedelta(hours=1)
        )
    marker = uuid.uuid4().hex
    port = free_port()
    env = portal_environment(tmp_path, CLOSE_EXPIRED_CALLS_SECONDS="1", TEST_MARKER=marker)
    log = tmp_path / "make-run.log"
    with log.open("w") as output:
        portal = subprocess.Popen(
            [sys.executable, "manage.py", "run_portal", "--port", str(port)],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(
            lambda: answers(f"http://127.0.0.1:{port}/health/"),
            seconds=60, what="the web process", process=portal, log=log,
        )  # fmt: skip

        # The web process's tasks go through the broker of files to the worker and back
        # (once the worker is up: it may start after the web process answers).
        def system_status() -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, "manage.py", "system_status"],
                cwd=ROOT, env={**env, "EMBEDDED_WORKER": "true"},
                capture_output=True, text=True, check=False, timeout=60,
            )  # fmt: skip

        status = system_status()
        deadline = time.monotonic() + 60
        while status.returncode != 0 and time.monotonic() < deadline:
            time.sleep(1)
            status = system_status()
        assert status.returncode == 0, status.stdout + status.stderr
        assert "embedded@" in status.stdout

        wait_for(
            lambda: Call.objects.get(pk=call.pk).status == Call.Status.CLOSED,
            seconds=60, what="beat to close the call", process=portal, log=log,
        )  # fmt: skip
    finally:
        portal.send_signal(signal.SIGINT)  # Ctrl-C
        portal.wait(timeout=30)

    call.refresh_from_db()
    assert call.deadline <= call.closed_at < call.deadline + timedelta(minutes=1)
    # No process of `make run` outlives it: not runserver's child, not the worker's pool or beat.
    time.sleep(0.5)
    assert processes_with(marker) == []


def test_manage_py_on_its_own_runs_tasks_in_process_so_none_waits_for_an_absent_worker(tmp_path):
    show = (
        "from portal.celery import app; "
        "print(app.conf.task_always_eager, app.conf.broker_url.split(':')[0])"
    )

    def celery_mode(**extra) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", show],
            cwd=ROOT, env=portal_environment(tmp_path, **extra),
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert celery_mode() == "True memory"
    # Only the processes `make run` starts queue their tasks for its worker.
    assert celery_mode(EMBEDDED_WORKER="true") == "False filesystem"
    assert (tmp_path / "celery" / "queue").is_dir()
    # With Redis, Redis is the broker whatever EMBEDDED_WORKER says.
    assert celery_mode(EMBEDDED_WORKER="true", REDIS_URL="redis://127.0.0.1:6379/9") == (
        "False redis"
    )


def test_make_run_passes_its_port_on_and_starts_a_worker_and_beat(settings, monkeypatch):
    from portal.management.commands.run_portal import (
        embedded_environment,
        embedded_processes,
        runs_worker,
    )

    monkeypatch.delenv("NOTICE_PUBLISHER_URL", raising=False)
    settings.REDIS_URL = ""
    processes = embedded_processes(port=8010)
    assert processes["web"][-2:] == ["runserver", "127.0.0.1:8010"]
    assert set(processes) == {"web", "worker", "beat", "tenderned"}
    assert "beat" in processes["beat"]
    # The stand-in for TenderNed follows the port, unless NOTICE_PUBLISHER_URL names one.
    assert processes["tenderned"][-2:] == ["--port", "8109"]
    monkeypatch.setenv("NOTICE_PUBLISHER_URL", "http://127.0.0.1:8555/notices")
    assert embedded_processes(port=8010)["tenderned"][-2:] == ["--port", "8555"]
    env = embedded_environment(port=8010)
    assert env["EMBEDDED_WORKER"] == "true"
    assert env["RUN_PORT"] == "8010"
    # RUN_WORKER=false is for workers of one's own, on Redis: without it nobody else could.
    monkeypatch.setenv("RUN_WORKER", "false")
    assert runs_worker()

    # With Redis a newcomer's `make run` still starts the worker and beat (on Redis)...
    settings.REDIS_URL = "redis://127.0.0.1:6379/9"
    monkeypatch.delenv("RUN_WORKER")
    assert runs_worker()
    assert "EMBEDDED_WORKER" not in embedded_environment(port=8010)
    # ...unless told that workers and beat run on their own.
    monkeypatch.setenv("RUN_WORKER", "false")
    assert not runs_worker()
    assert set(embedded_processes(port=8010, worker=runs_worker())) == {"web", "tenderned"}


def test_the_demo_loaded_by_make_run_links_to_its_port(tmp_path):
    """make run sets RUN_PORT for demo_data too: its e-mails and the stand-in follow PORT,
    while SITE_URL and NOTICE_PUBLISHER_URL, when set (also in .env), still win."""
    show = (
        "from django.conf import settings; print(settings.SITE_URL, settings.NOTICE_PUBLISHER_URL)"
    )

    def addresses(**extra) -> str:
        env = portal_environment(tmp_path, **extra)
        env.pop("NOTICE_PUBLISHER_URL", None)
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", show],
            cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, check=False,
            timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert addresses() == "http://127.0.0.1:8000 http://127.0.0.1:8099/notices"
    assert addresses(RUN_PORT="8290") == "http://127.0.0.1:8290 http://127.0.0.1:8389/notices"
    (tmp_path / "site.env").write_text("SITE_URL=https://portal.example\n")
    assert addresses(RUN_PORT="8290", ENV_FILE=str(tmp_path / "site.env")) == (
        "https://portal.example http://127.0.0.1:8389/notices"
    )
