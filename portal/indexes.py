"""Adding an index to a large table without blocking its writes.

A plain ``AddIndex`` runs ``CREATE INDEX``, which on PostgreSQL blocks every write to the table
until the index is built; the web service migrates on start. ``AddIndexConcurrently`` builds it
with ``CREATE INDEX CONCURRENTLY`` on PostgreSQL (and drops it with ``DROP INDEX CONCURRENTLY``
when migrating back), and plainly on SQLite, which ``make run`` uses and which has no
``CONCURRENTLY``. Its migration state is that of ``AddIndex``, so ``makemigrations`` sees no
change.

A concurrent build cannot run inside a transaction: the migration sets ``atomic = False``
(the operation refuses to run in a transaction on any database, so a migration that forgets
this fails on SQLite too). Without a transaction, a build that was interrupted leaves its
index behind, on PostgreSQL marked invalid; migrating again drops such a leftover and builds
it anew, and keeps a valid index of the same name instead of failing on it.
"""

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently as PostgresAddIndexConcurrently
from django.db import NotSupportedError
from django.db.migrations.operations import AddIndex


class AddIndexConcurrently(PostgresAddIndexConcurrently):
    """``AddIndex``, built without blocking writes on PostgreSQL; in a migration with
    ``atomic = False``."""

    def describe(self) -> str:
        return f"{AddIndex.describe(self)} (concurrently on PostgreSQL)"

    def database_forwards(self, app_label: str, schema_editor: Any, from_state, to_state) -> None:
        self._refuse_a_transaction(schema_editor)
        if schema_editor.connection.vendor != "postgresql":
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)
            return
        if not schema_editor.collect_sql:  # sqlmigrate shows the statement, whatever exists
            valid = _index_is_valid(schema_editor, self.index.name)
            if valid:
                return
            if valid is False:  # left by an interrupted build
                schema_editor.execute(
                    schema_editor.sql_delete_index_concurrently
                    % {"name": schema_editor.quote_name(self.index.name)}
                )
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state, to_state) -> None:
        self._refuse_a_transaction(schema_editor)
        if schema_editor.connection.vendor != "postgresql":
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)

    def _refuse_a_transaction(self, schema_editor: Any) -> None:
        if schema_editor.connection.in_atomic_block:
            raise NotSupportedError(
                f"{type(self).__name__} of {self.index.name} cannot run inside a transaction "
                "(set atomic = False on the migration)."
            )


def _index_is_valid(schema_editor: Any, name: str) -> bool | None:
    """True for a usable index of that name, False for one a failed concurrent build left,
    None when there is none."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)",
            [schema_editor.quote_name(name)],
        )
        row = cursor.fetchone()
    return None if row is None else bool(row[0])
