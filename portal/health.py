"""What the system status page shows: is the database, the broker and a worker alive?"""

import time
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .celery import app
from .tasks import ping


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    items: list[str] = field(default_factory=list)


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check(_("Database"), True, connection.vendor)
    except Exception as error:
        return Check(_("Database"), False, str(error))


def check_workers(timeout: float = 1.0) -> Check:
    if app.conf.task_always_eager:
        return Check(
            _("Celery workers"),
            True,
            _("No broker configured: tasks run inside the web process."),
        )
    try:
        replies = app.control.ping(timeout=timeout)
    except Exception as error:
        return Check(_("Celery workers"), False, str(error))
    names = sorted(name for reply in replies for name in reply)
    if not names:
        return Check(_("Celery workers"), False, _("No worker answered within a second."))
    return Check(
        _("Celery workers"),
        True,
        ngettext("%(count)d worker answering", "%(count)d workers answering", len(names))
        % {"count": len(names)},
        names,
    )


def check_round_trip(timeout: float = 5.0) -> Check:
    """Send a real task and wait for its answer: proves broker, worker and results work."""
    started = time.monotonic()
    try:
        result = ping.delay().get(timeout=timeout)
    except Exception as error:
        return Check(_("Task round trip"), False, f"{type(error).__name__}: {error}")
    elapsed_ms = (time.monotonic() - started) * 1000
    return Check(
        _("Task round trip"),
        bool(result.get("pong")),
        _("answered by %(host)s in %(ms).0f ms")
        % {"host": result.get("hostname"), "ms": elapsed_ms},
    )


def system_status() -> list[Check]:
    workers = check_workers()
    checks = [check_database(), workers]
    if workers.ok:
        checks.append(check_round_trip())
    return checks
