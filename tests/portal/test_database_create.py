"""`make run` with a PostgreSQL DATABASE_URL whose database does not exist yet: it is created
before migrating (``manage.py database_create``), or the newcomer is told what to run."""

import subprocess
import sys
import uuid

import pytest
from django.db import connection

from tests.conftest import _database_url_of_test_db

from .test_configuration import ROOT, clean_environment


def database_create(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "database_create"],
        cwd=ROOT, env=clean_environment(DATABASE_URL=url), capture_output=True, text=True,
        check=False, timeout=60,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)  # DROP DATABASE runs outside a transaction
def test_make_run_creates_a_missing_postgresql_database_and_leaves_an_existing_one():
    if connection.vendor != "postgresql":
        pytest.skip("needs the suite on PostgreSQL (DATABASE_URL)")
    existing = _database_url_of_test_db()
    name = f"innovatieloket_created_{uuid.uuid4().hex[:8]}"
    missing = existing.rsplit("/", 1)[0] + f"/{name}"
    try:
        created = database_create(missing)
        assert created.returncode == 0, created.stderr
        assert f"Created the PostgreSQL database '{name}'" in created.stdout
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            assert cursor.fetchone() == (1,)
        again = database_create(missing)
        assert (again.returncode, again.stdout) == (0, "")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    kept = database_create(existing)
    assert (kept.returncode, kept.stdout) == (0, "")


def test_a_database_that_cannot_be_created_is_named_with_what_to_run_instead():
    result = database_create("postgres://no_such_role_here@127.0.0.1:5432/innovatieloket_x")
    assert result.returncode != 0
    assert "innovatieloket_x" in result.stderr
    assert "createdb innovatieloket_x" in result.stderr


def test_sqlite_needs_nothing(tmp_path):
    result = database_create(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert (result.returncode, result.stdout) == (0, "")
