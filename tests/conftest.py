import os
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path

import pytest
import pytest_django.fixtures as pytest_django_fixtures
from django.conf import settings
from django.db import connection
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from portal.celery import app as celery_app

from .factories import confirmed_totp_device

ROOT = Path(__file__).resolve().parent.parent


SLOW_FIXTURES = {"demo_world", "live_worker", "own_workers", "celery_worker_process"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.browser)
        uses = set(getattr(item, "fixturenames", ()))
        if (
            uses & SLOW_FIXTURES
            or item.get_closest_marker("browser")
            or (item.get_closest_marker("live_worker"))
        ):
            item.add_marker(pytest.mark.slow)
        # Named in the JUnit report, so that CI can prove these ran instead of skipping.
        for marker in ("browser", "live_worker"):
            if item.get_closest_marker(marker):
                item.user_properties.append(("marker", marker))


# --- The demo, loaded once --------------------------------------------------------------
# Loading the demo takes seconds. Tests that read it (and may change it: each test's changes
# are rolled back) ask for the `demo_world` fixture instead of loading it themselves. The demo is
# loaded inside a transaction that stays open while such tests follow one another, each test
# in a savepoint of its own; before the next test that does not use it, the transaction is
# rolled back, so that test finds the empty database it expects. These tests must not be
# marked django_db: the fixture gives them the database.


class _DemoWorld:
    def __init__(self):
        self.atomic = None
        self.blocker = None
        self.next_item = None  # the test after the one being torn down

    def open(self, blocker) -> None:
        if self.atomic is not None:
            return
        from io import StringIO

        from django.apps import apps
        from django.core.management import call_command
        from django.db import transaction

        self.blocker = blocker
        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            # A transactional test before (the browser's) empties every table, also of the
            # rows a data migration made; the demo needs the missions.
            import_module("calls.migrations.0002_missions").add_missions(apps, None)
            with translation.override(settings.LANGUAGE_CODE):
                call_command("demo_data", "--force", stdout=StringIO())

    def close(self) -> None:
        if self.atomic is None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


_demo_world = _DemoWorld()


def _databases_also_for_the_demo(test):
    """pytest-django sets up only the databases of tests marked django_db (or asking for
    ``db``); a session of demo_world tests alone would find no tables. Those tests need the
    default database too."""
    databases, serialized_rollback = _databases_for_test(test)
    if not databases and "demo_world" in getattr(test, "fixturenames", ()):
        return ("default",), False
    return databases, serialized_rollback


_databases_for_test = pytest_django_fixtures._get_databases_for_test
pytest_django_fixtures._get_databases_for_test = _databases_also_for_the_demo


@pytest.fixture
def demo_world(request, django_db_setup, django_db_blocker):
    """The demo data (`manage.py demo_data`), for this test to read or change."""
    from django.db import transaction

    if request.node.get_closest_marker("django_db"):
        pytest.fail("A test with the demo_world fixture must not be marked django_db.")
    _demo_world.open(django_db_blocker)
    with django_db_blocker.unblock():
        savepoint = transaction.savepoint()
        try:
            yield
        finally:
            transaction.savepoint_rollback(savepoint)
    following = _demo_world.next_item
    if following is None or "demo_world" not in getattr(following, "fixturenames", ()):
        _demo_world.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    # Before the fixtures are torn down (the test database too, after the last test).
    _demo_world.next_item = nextitem
    return (yield)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's default language (Dutch), as a fresh thread would.

    A request activates its page's language for the whole thread, so without this a test
    that asked for English would decide the language of the next test in that process.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _missions_after_a_flush(request, django_db_blocker):
    """A transactional test (browser, live worker) empties every table when it ends, also the
    missions that a data migration made; put them back, as the database had them before."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    ):
        from django.apps import apps

        with django_db_blocker.unblock():
            import_module("calls.migrations.0002_missions").add_missions(apps, None)


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import cache

    cache.clear()


def login_verified(client, user):
    """Log in as someone who also passed the second factor (for roles that need it)."""
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first() or confirmed_totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def verified_client(client):
    return lambda user: login_verified(client, user)


# --- A real Celery worker over Redis ----------------------------------------------------
# Tests marked live_worker run their tasks in a separate worker process, against the same
# test database. Without REDIS_URL they are skipped, except in CI where that is an error.


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the live-worker tests: {reason}")
    pytest.skip(reason)


def _database_url_of_test_db() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    return f"postgres://{credentials}{db['HOST']}:{db.get('PORT') or 5432}/{db['NAME']}"


def start_worker(*, queue: str, files_dir: Path, mail_dir: Path, log_path: Path, **env):
    """A real Celery worker process on ``queue``, working on this test database.

    Waits until it answers a ping. ``env`` adds or overrides settings variables.
    """
    node = f"{queue}@{os.uname().nodename}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": "false",
        "DATABASE_URL": _database_url_of_test_db(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MEDIA_ROOT": str(files_dir / "media"),
        "PRIVATE_MEDIA_ROOT": str(files_dir / "private"),
        **env,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "portal", "worker",
        "--pool=solo", "--queues", queue, "--hostname", node,
        "--without-gossip", "--without-mingle", "--loglevel=WARNING",
    ]  # fmt: skip
    log = log_path.open("w")
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    log.close()
    process.node = node
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[node], timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start; see {log_path}")
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def publishing_service():
    """The local stand-in for TenderNed (reporting.publishing_service) on a free port; the
    session's worker sends notices to it."""
    from reporting import publishing_service as service_module

    service = service_module.start(port=0)
    yield service
    service.shutdown()
    service.server_close()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory, publishing_service):
    _require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set")
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    files_dir = tmp_path_factory.mktemp("worker-files")
    process = start_worker(
        queue=settings.CELERY_TASK_DEFAULT_QUEUE,
        files_dir=files_dir,
        mail_dir=mail_dir,
        log_path=tmp_path_factory.mktemp("worker-log") / "worker.log",
        NOTICE_PUBLISHER="local",
        NOTICE_PUBLISHER_URL=publishing_service.url,
    )
    yield {"node": process.node, "pid": process.pid, "mail_dir": mail_dir, "files_dir": files_dir}
    stop_worker(process)


@pytest.fixture
def live_worker(celery_worker_process, transactional_db):
    """Send tasks to the real worker for this test instead of running them in-process."""
    celery_app.conf.task_always_eager = False
    try:
        yield celery_worker_process
    finally:
        celery_app.conf.task_always_eager = True


@pytest.fixture
def own_workers(django_db_setup, transactional_db, tmp_path):
    """Workers of this test alone, on a queue of their own, that the test may kill.

    ``start()`` starts one more; all share one storage and one mail folder, so the test sees
    what each of them wrote.
    """
    _require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set")
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-own-{os.getpid()}-{time.monotonic_ns()}"
    started: list[subprocess.Popen] = []

    def start(**env) -> subprocess.Popen:
        process = start_worker(
            queue=queue,
            files_dir=tmp_path / "files",
            mail_dir=tmp_path / "mail",
            log_path=tmp_path / f"worker-{len(started)}.log",
            **env,
        )
        started.append(process)
        return process

    start.queue = queue
    start.files_dir = tmp_path / "files"
    start.mail_dir = tmp_path / "mail"
    (tmp_path / "mail").mkdir()
    celery_app.conf.task_always_eager = False
    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = True
        for process in started:
            if process.poll() is None:
                stop_worker(process)
