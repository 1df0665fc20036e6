"""`make run`: the web process and, in the embedded default, a Celery worker and beat (and the
local stand-in for TenderNed that the demo's notices go to).

Without ``REDIS_URL`` a worker and beat run beside runserver on kombu's filesystem broker
(files in ``EMBEDDED_WORKER_DIR``, ``var/celery``): calls close at their deadline,
the quarterly report is made, and reports and exports are made by the worker while their page
shows the progress. All three get ``EMBEDDED_WORKER=true``, so only they queue tasks; any
other process (``manage.py`` on its own) keeps running tasks in-process.

With ``REDIS_URL`` only the web process runs here: workers and beat are started on their own,
as in production (``make worker``; ``celery -A portal beat``).

honcho runs each process in a process group of its own, prefixes its output with its name, and
stops them all together: on Ctrl-C, on SIGTERM, or as soon as one of them exits.
"""

import os
import shlex
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand


def embedded_processes(*, port: int) -> dict[str, list[str]]:
    """The command line of each process `make run` starts in the embedded default."""
    manage = str(settings.BASE_DIR / "manage.py")
    celery = [sys.executable, "-m", "celery", "-A", "portal"]
    return {
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
            "--port", str(urlsplit(settings.NOTICE_PUBLISHER_URL).port or 8099),
        ],
    }  # fmt: skip


def embedded_environment(*, port: int) -> dict[str, str]:
    env = {**os.environ, "EMBEDDED_WORKER": "true", "PYTHONUNBUFFERED": "1"}
    # Links in what the worker sends without a request (the quarterly report's e-mail) point
    # at this server, unless SITE_URL says otherwise.
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    return env


class Command(BaseCommand):
    help = (
        "Serve the portal on 127.0.0.1:PORT; without REDIS_URL also run a Celery worker and "
        "beat beside it. Ctrl-C stops everything."
    )
    requires_system_checks = []  # runserver runs them

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options) -> None:
        if settings.REDIS_URL:
            web = embedded_processes(port=port)["web"]
            os.execv(web[0], web)  # noqa: S606  (becomes runserver, as `make run` always did)

        from honcho.manager import Manager

        os.chdir(settings.BASE_DIR)  # where `celery -A portal` finds the project
        manager = Manager()
        env = embedded_environment(port=port)
        for name, command in embedded_processes(port=port).items():
            manager.add_process(name, shlex.join(command), env=env)
        manager.loop()
        sys.exit(manager.returncode)
