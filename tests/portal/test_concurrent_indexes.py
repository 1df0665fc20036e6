"""The list indexes of the large tables (calls 0017, proposals 0013) are built with
``CREATE INDEX CONCURRENTLY`` on PostgreSQL, so that writes go on while the web service
migrates on start, and plainly on SQLite (``make run``); portal/indexes.py."""

import subprocess
import sys
from importlib import import_module

import pytest
from django.db import IntegrityError, NotSupportedError, connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext

from portal.indexes import AddIndexConcurrently
from tests.calls.factories import draft_call
from tests.conftest import _database_url_of_test_db

from .test_configuration import ROOT, clean_environment

MIGRATIONS = {
    ("calls", "0017_call_and_participation_list_indexes"): {
        "calls_call": "call_deadline_idx",
        "calls_participationrequest": "participation_submitted_idx",
    },
    ("proposals", "0013_proposal_created_index"): {"proposals_proposal": "proposal_created_idx"},
}
SQLMIGRATE = """
from django.core.management import call_command
for app, name in {migrations!r}:
    call_command("sqlmigrate", app, name)
    call_command("sqlmigrate", app, name, backwards=True)
"""


def sqlmigrate(database_url: str) -> str:
    """What ``manage.py sqlmigrate`` prints for these migrations, forwards then backwards."""
    script = SQLMIGRATE.format(migrations=[*MIGRATIONS])
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "--command", script],
        cwd=ROOT, env=clean_environment(DATABASE_URL=database_url), capture_output=True,
        text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def statements(sql: str) -> list[str]:
    return [line for line in sql.splitlines() if line and not line.startswith("--")]


def ddl(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith(("CREATE", "DROP"))]


@pytest.mark.django_db
def test_sqlmigrate_on_postgresql_creates_and_drops_the_indexes_concurrently_unwrapped():
    if connection.vendor != "postgresql":
        pytest.skip("needs the suite on PostgreSQL (DATABASE_URL)")
    sql = sqlmigrate(_database_url_of_test_db())

    names = [name for indexes in MIGRATIONS.values() for name in indexes.values()]
    for name in names:
        assert f'CREATE INDEX CONCURRENTLY "{name}" ON' in sql
        assert f'DROP INDEX CONCURRENTLY IF EXISTS "{name}";' in sql
    assert len(statements(sql)) == 2 * len(names)  # no BEGIN; … COMMIT; around them


def test_sqlmigrate_on_sqlite_creates_and_drops_the_indexes_plainly(tmp_path):
    sql = sqlmigrate(f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert "CONCURRENTLY" not in sql
    for indexes in MIGRATIONS.values():
        for table, name in indexes.items():
            assert f'CREATE INDEX "{name}" ON "{table}"' in sql
            assert f'DROP INDEX "{name}";' in sql


def operations_with_states():
    """Each operation of these migrations with the states before and after its migration."""
    loader = MigrationLoader(connection)
    for (app, name), indexes in MIGRATIONS.items():
        migration = import_module(f"{app}.migrations.{name}").Migration
        assert migration.atomic is False
        before = loader.project_state((app, name), at_end=False)
        after = loader.project_state((app, name), at_end=True)
        for operation, table in zip(migration.operations, indexes, strict=True):
            assert isinstance(operation, AddIndexConcurrently)
            yield app, operation, table, before, after


def index_state(table: str, name: str) -> bool | None:
    """None without the index; on PostgreSQL whether it is valid, elsewhere True."""
    with connection.cursor() as cursor:
        if name not in connection.introspection.get_constraints(cursor, table):
            return None
        if connection.vendor != "postgresql":
            return True
        cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = %s::regclass", [name])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # CREATE INDEX CONCURRENTLY runs outside a transaction
def test_each_index_is_dropped_and_built_again_concurrently_on_postgresql_plainly_elsewhere():
    concurrently = connection.vendor == "postgresql"
    for app, operation, table, before, after in operations_with_states():
        name = operation.index.name
        assert index_state(table, name) is True

        with (
            CaptureQueriesContext(connection) as dropped,
            connection.schema_editor(atomic=False) as editor,
        ):
            operation.database_backwards(app, editor, after, before)
        assert index_state(table, name) is None

        with (
            CaptureQueriesContext(connection) as built,
            connection.schema_editor(atomic=False) as editor,
        ):
            operation.database_forwards(app, editor, before, after)
        assert index_state(table, name) is True

        run = [*ddl(dropped), *ddl(built)]
        assert len(run) == 2
        assert all(("CONCURRENTLY" in sql) is concurrently for sql in run), run


@pytest.mark.django_db(transaction=True)
def test_the_operation_refuses_to_run_in_a_migration_left_atomic_on_any_database():
    app, operation, _table, before, after = next(operations_with_states())

    with (
        pytest.raises(NotSupportedError, match="set atomic = False on the migration"),
        connection.schema_editor(atomic=True) as editor,  # as migrate runs an atomic one
    ):
        operation.database_forwards(app, editor, before, after)


@pytest.mark.django_db(transaction=True)
def test_migrating_again_replaces_what_an_interrupted_concurrent_build_left():
    if connection.vendor != "postgresql":
        pytest.skip("an invalid index is PostgreSQL's")
    draft_call()
    draft_call()
    app, operation, table, before, after = next(operations_with_states())
    name = operation.index.name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX "{name}"')
        # A build that fails half-way (here on the duplicate) leaves an invalid index behind.
        with pytest.raises(IntegrityError, match="could not create unique index"):
            cursor.execute(f'CREATE UNIQUE INDEX CONCURRENTLY "{name}" ON {table} ((1))')
    assert index_state(table, name) is False

    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards(app, editor, before, after)
    assert index_state(table, name) is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef(%s::regclass)", [name])
        assert cursor.fetchone()[0].endswith("(deadline, id)")

    # A valid index of that name (built before, or by a run that stopped after it) is kept.
    with (
        CaptureQueriesContext(connection) as again,
        connection.schema_editor(atomic=False) as editor,
    ):
        operation.database_forwards(app, editor, before, after)
    assert ddl(again) == []
