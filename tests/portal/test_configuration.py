"""Configuration as an operator gives it: the environment, a .env file, a fresh checkout."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from portal.envfile import env_file_path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k3#Qz8!vR2@wLp5^Nf7*Ty1&Hb9%Jc4(Xd6)Me0-Ug" * 2
# What the child prints: which settings it runs under, and two values.
SHOW = (
    "from django.conf import settings; "
    "print(settings.SETTINGS_MODULE, settings.SITE_URL, settings.OCDS_OCID_PREFIX, sep='|')"
)


def clean_environment(**extra) -> dict[str, str]:
    """The test process's environment without the variables these tests are about."""
    ours = {"DJANGO_SETTINGS_MODULE", "SITE_URL", "OCDS_OCID_PREFIX", "SECRET_KEY", "ENV_FILE"}
    return {**{k: v for k, v in os.environ.items() if k not in ours}, **extra}


def manage(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_env_file_fills_in_what_the_environment_leaves_unset(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# a comment\nSITE_URL=https://from-the-file.example\nOCDS_OCID_PREFIX=ocds-fromfile\n"
    )

    result = manage(
        "shell",
        "-c",
        SHOW,
        env=clean_environment(ENV_FILE=str(env_file), OCDS_OCID_PREFIX="ocds-fromenv"),
    )

    assert result.returncode == 0, result.stderr
    module, site_url, prefix = result.stdout.strip().splitlines()[-1].split("|")
    assert module == "portal.settings.base"
    assert site_url == "https://from-the-file.example"  # only in the file
    assert prefix == "ocds-fromenv"  # in both: the environment wins


def test_the_env_file_may_choose_the_settings_module(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"DJANGO_SETTINGS_MODULE=portal.settings.production\nSECRET_KEY='{SECRET}'\n"
    )

    result = manage("shell", "-c", SHOW, env=clean_environment(ENV_FILE=str(env_file)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("portal.settings.production|")

    # ...unless the environment names another one.
    result = manage(
        "shell",
        "-c",
        SHOW,
        env=clean_environment(
            ENV_FILE=str(env_file), DJANGO_SETTINGS_MODULE="portal.settings.base"
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("portal.settings.base|")


def test_the_env_file_is_the_checkouts_own_dot_env_unless_env_file_names_another(
    monkeypatch,
):
    monkeypatch.delenv("ENV_FILE", raising=False)
    assert env_file_path() == ROOT / ".env"
    monkeypatch.setenv("ENV_FILE", "/etc/innovatieloket.env")
    assert env_file_path() == Path("/etc/innovatieloket.env")


def test_a_fresh_checkout_gets_the_folder_of_its_sqlite_database(tmp_path):
    """The embedded default keeps SQLite in var/, which git does not have: the settings make
    it (a fresh clone's `make run` failed on "unable to open database file")."""
    database = tmp_path / "not-yet" / "there" / "db.sqlite3"
    result = manage(
        "shell",
        "-c",
        "from django.db import connection; connection.ensure_connection()",
        env=clean_environment(
            ENV_FILE=str(tmp_path / "none.env"), DATABASE_URL=f"sqlite:///{database}"
        ),
    )
    assert result.returncode == 0, result.stderr
    assert database.is_file()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_production_serves_its_hashed_static_files_with_a_long_cache_whatever_debug_was(
    tmp_path,
):
    """As the image runs: production settings, DEBUG unset, collectstatic, gunicorn."""
    env = clean_environment(
        ENV_FILE=str(tmp_path / "none.env"),
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="innovatieloket.example",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.pop("DEBUG", None)
    # The portal's own and the NL Design System files; the admin's, DRF's and the API docs'
    # bundles (40 of the 44 MB, half a minute of compressing) are collected the same way.
    collected = manage(
        "collectstatic", "--noinput",
        "-i", "admin", "-i", "rest_framework", "-i", "drf_spectacular_sidecar",
        env=env,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/theme.css"]
    assert hashed != "css/theme.css"

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "portal.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        response = None
        deadline = time.monotonic() + 60
        while response is None:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/static/{hashed}",
                # As the TLS-terminating proxy in front of it says.
                headers={"Host": "innovatieloket.example", "X-Forwarded-Proto": "https"},
            )
            try:
                response = urllib.request.urlopen(request, timeout=5)
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        body = response.read()
    finally:
        server.terminate()
        server.wait(timeout=20)

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert body == (tmp_path / "static" / hashed).read_bytes()


def test_workers_that_made_pdfs_give_their_memory_back():
    from portal.celery import app

    # Celery reads these from the CELERY_ settings: a worker process that grew past the limit
    # (WeasyPrint keeps hundreds of MB after a report) is replaced after its task.
    assert app.conf.worker_max_memory_per_child == 300_000
    assert app.conf.worker_max_tasks_per_child == 100
