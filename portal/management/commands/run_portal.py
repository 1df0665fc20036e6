"""`make run`: the web process, a Celery worker, beat, and the local stand-in for TenderNed that
the demo's notices go to: a working portal in one command.

Without ``REDIS_URL`` the worker and beat pass tasks through kombu's filesystem broker (files
in ``EMBEDDED_WORKER_DIR``, ``var/celery``); all processes get ``EMBEDDED_WORKER=true``, so
only they queue tasks and any other process (``manage.py`` on its own) keeps running tasks
in-process. With ``REDIS_URL`` they use Redis. Either way calls close at their deadline,
receipts and other e-mails are sent, and reports and exports are made by the worker while their
page shows the progress.

``RUN_WORKER=false`` starts only the web process and the stand-in, for when workers and beat
run on their own (with ``REDIS_URL``, as in production: ``make worker``;
``celery -A portal beat``). Without ``REDIS_URL`` it is ignored: no other worker could read the
queue of files.

Every process gets ``RUN_PORT`` (the port served), which SITE_URL and NOTICE_PUBLISHER_URL
follow unless they are set; the stand-in listens on NOTICE_PUBLISHER_URL's port.

honcho runs each process in a process group of its own, prefixes its output with its name, and
stops them all together: on Ctrl-C, on SIGTERM, or as soon as one of them exits.
"""

import os
import shlex
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand


def embedded_processes(*, port: int, worker: bool = True) -> dict[str, list[str]]:
    """The command line of each process `make run` starts (without worker and beat when
    ``worker`` is false)."""
    manage = str(settings.BASE_DIR / "manage.py")
    celery = [sys.executable, "-m", "celery", "-A", "portal"]
    publisher = os.environ.get("NOTICE_PUBLISHER_URL") or f"http://127.0.0.1:{port + 99}/notices"
    processes = {
        "web": [sys.executable, manage, "runserver", f"127.0.0.1:{port}"],
        # Threads, not a pool of processes: Ctrl-C reaches every process in the worker's
        # group, and pool processes killed under their parent only make alarming noise.
        "worker": [
            *celery, "worker", "--pool", "threads", "--concurrency", "2",
            "--hostname", "embedded@%h", "--loglevel", "INFO",
        ],
        "beat": [
            *celery, "beat", "--loglevel", "INFO",
            "--schedule", str(settings.EMBEDDED_WORKER_DIR / "beat-schedule"),
        ],
        # The local stand-in for TenderNed that the demo's notices are sent to.
        "tenderned": [
            sys.executable, "-m", "reporting.publishing_service",
            "--port", str(urlsplit(publisher).port or port + 99),
        ],
    }  # fmt: skip
    if not worker:
        del processes["worker"], processes["beat"]
    return processes


def runs_worker() -> bool:
    """RUN_WORKER=false leaves worker and beat to be started on their own (with Redis only)."""
    value = os.environ.get("RUN_WORKER", "true").strip().lower()
    return not settings.REDIS_URL or value not in {"0", "false", "no", "off"}


def embedded_environment(*, port: int) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RUN_PORT": str(port)}
    if not settings.REDIS_URL:
        env["EMBEDDED_WORKER"] = "true"
    # Links in what the worker sends without a request (the quarterly report's e-mail) point
    # at this server, unless SITE_URL says otherwise (settings: from RUN_PORT).
    return env


class Command(BaseCommand):
    help = (
        "Serve the portal on 127.0.0.1:PORT with a Celery worker, beat and the TenderNed "
        "stand-in beside it (RUN_WORKER=false with REDIS_URL: without worker and beat). "
        "Ctrl-C stops everything."
    )
    requires_system_checks = []  # runserver runs them

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options) -> None:
        from honcho.manager import Manager

        os.chdir(settings.BASE_DIR)  # where `celery -A portal` finds the project
        settings.EMBEDDED_WORKER_DIR.mkdir(parents=True, exist_ok=True)  # beat's schedule
        manager = Manager()
        env = embedded_environment(port=port)
        worker = runs_worker()
        processes = embedded_processes(port=port, worker=worker)
        broker = "Redis" if settings.REDIS_URL else f"files in {settings.EMBEDDED_WORKER_DIR}"
        if worker:
            self.stdout.write(
                f"make run: web on http://127.0.0.1:{port}/, a Celery worker and beat (tasks "
                f"through {broker}) and the TenderNed stand-in; Ctrl-C stops them all."
            )
        else:
            self.stdout.write(
                f"make run: web on http://127.0.0.1:{port}/ and the TenderNed stand-in only "
                "(RUN_WORKER=false): start a worker (make worker) and beat "
                "(.venv/bin/celery -A portal beat) yourself, or no e-mail, report or closing "
                "of calls happens."
            )
        for name, command in processes.items():
            manager.add_process(name, shlex.join(command), env=env)
        manager.loop()
        sys.exit(manager.returncode)
