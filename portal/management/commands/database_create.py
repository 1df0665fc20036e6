"""`make run`, before migrating: create the PostgreSQL database that DATABASE_URL names when
the server has no such database yet (and the user may create one), so that a newcomer's
``DATABASE_URL=postgres://…/innovatieloket make run`` works without a ``createdb`` first.

SQLite needs nothing (its file is made on first use). When the server refuses, the command
says what to run instead and fails, rather than leaving migrate's "database … does not exist".
"""

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg2 import sql


class Command(BaseCommand):
    help = "Create the PostgreSQL database of DATABASE_URL if it does not exist yet."
    requires_system_checks = []

    def handle(self, *args, **options) -> None:
        database = settings.DATABASES["default"]
        if "postgresql" not in database["ENGINE"]:
            return
        name = database["NAME"]
        where = {
            "host": database.get("HOST") or None,
            "port": database.get("PORT") or None,
            "user": database.get("USER") or None,
            "password": database.get("PASSWORD") or None,
        }
        try:
            psycopg2.connect(dbname=name, connect_timeout=10, **where).close()
            return  # it exists
        except psycopg2.OperationalError as error:
            # Whether it is missing is asked of the server's catalogue, not read from the
            # message, which comes in the server's language ("bestaat niet").
            refused = error
        try:
            connection = psycopg2.connect(dbname="postgres", connect_timeout=10, **where)
        except psycopg2.Error:
            raise CommandError(
                f"PostgreSQL does not let us reach the database {name!r} of DATABASE_URL "
                f"({str(refused).strip()}). Check DATABASE_URL, or create the database with "
                f"`createdb {name}` (as a user who may)."
            ) from refused
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cursor.fetchone():
                    raise CommandError(
                        f"PostgreSQL does not let us into the database {name!r}: {refused}"
                    ) from refused
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg2.Error as error:
            raise CommandError(
                f"The database {name!r} of DATABASE_URL does not exist and could not be created "
                f"({str(error).strip()}). Create it with `createdb {name}` (as a user who "
                "may), or point DATABASE_URL at an existing database."
            ) from error
        finally:
            connection.close()
        self.stdout.write(f"Created the PostgreSQL database {name!r} (DATABASE_URL).")
