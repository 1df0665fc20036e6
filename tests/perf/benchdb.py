"""A database of a benchmark's own: uniquely named, created before Django starts, dropped after.

Every benchmark calls ``use_own_database("<script>")`` before ``django.setup()``. It takes the
server from DATABASE_URL (PostgreSQL only: the figures are about the production database),
names the database ``<base>_bench_<script>_<pid>``, so two runs never share or clobber one,
and ``own_database()`` migrates it, yields, and drops it even when the run fails.
"""

import os
import sys
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


def use_own_database(script: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the benchmarks measure PostgreSQL.")
    parts = urlsplit(url)
    base = parts.path.lstrip("/") or "innovatieloket"
    name = f"{base}_bench_{script}_{os.getpid()}"
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    os.environ["BENCH_ADMIN_DATABASE_URL"] = urlunsplit(parts._replace(path="/postgres"))
    os.environ["BENCH_DATABASE_NAME"] = name
    return name


def _admin(sql: str) -> None:
    import psycopg2

    admin = psycopg2.connect(os.environ["BENCH_ADMIN_DATABASE_URL"])
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


@contextmanager
def own_database():
    from django.core.management import call_command
    from django.db import connections

    name = os.environ["BENCH_DATABASE_NAME"]
    _admin(f'CREATE DATABASE "{name}"')
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield name
    finally:
        connections.close_all()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def analyze() -> None:
    """Fresh planner statistics after bulk inserts (autovacuum may be off or behind)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
