"""The database role the application connects as: it owns nothing, so it can neither alter nor
drop a table or the stock ledger's trigger (README, "Database roles").

Run as the owner of the tables, after every `migrate --database owner`; safe to run again. The
role and its password are DATABASE_URL's (or --role / --password). It gets CONNECT on the
database, USAGE on the schema, SELECT, INSERT, UPDATE, DELETE on every table (those the owner
creates later too, through default privileges) except UPDATE and DELETE on the stock ledger,
and USAGE, SELECT on the sequences. Nothing else: no TRUNCATE, REFERENCES or TRIGGER.
"""

import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
APPEND_ONLY_TABLES = ["inventory_stockmovement"]  # insert and read only


class Command(BaseCommand):
    help = "Create or update the role the application connects as (it owns nothing) and grant it its rights."

    def add_arguments(self, parser):
        app = settings.DATABASES["default"]
        parser.add_argument(
            "--database",
            default="owner" if "owner" in settings.DATABASES else "default",
            help="The connection of the tables' owner (default: `owner`, from MIGRATE_DATABASE_URL).",
        )
        parser.add_argument("--role", default=app.get("USER") or "", help="Default: DATABASE_URL's user.")
        parser.add_argument("--password", default=app.get("PASSWORD") or "", help="Default: DATABASE_URL's password.")

    def handle(self, *args, database: str, role: str, password: str, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError(f"Database roles need PostgreSQL; `{database}` is {connection.vendor}.")
        if not ROLE_NAME.fullmatch(role):
            raise CommandError(f"“{role}” is not a role name to use: lower-case letters, digits and _ only.")
        qn = connection.ops.quote_name
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database(), current_schema()")
            owner, name, schema = cursor.fetchone()
            if role == owner:
                raise CommandError(
                    f"DATABASE_URL connects as {owner}, who runs the migrations and owns the tables: "
                    "give the application a role of its own."
                )
            cursor.execute("SELECT oid, rolsuper FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                cursor.execute(f"CREATE ROLE {qn(role)} LOGIN PASSWORD %s", [password or None])
            else:
                oid, superuser = found
                if superuser:
                    raise CommandError(f"{role} is a superuser, which bypasses every grant: use another role.")
                cursor.execute("SELECT count(*) FROM pg_class WHERE relowner = %s", [oid])
                if owned := cursor.fetchone()[0]:
                    raise CommandError(
                        f"{role} owns {owned} table(s) or sequence(s): as their owner, run "
                        f"REASSIGN OWNED BY {role} TO {owner}; then run this again."
                    )
                if password:
                    cursor.execute(f"ALTER ROLE {qn(role)} LOGIN PASSWORD %s", [password])
            app, schema = qn(role), qn(schema)
            for statement in [
                f"GRANT CONNECT ON DATABASE {qn(name)} TO {app}",
                f"GRANT USAGE ON SCHEMA {schema} TO {app}",
                f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {app}",  # start clean: exactly what follows
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
                *(f"REVOKE UPDATE, DELETE ON {qn(table)} FROM {app}" for table in APPEND_ONLY_TABLES),
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
            ]:
                cursor.execute(statement)
        self.stdout.write(self.style.SUCCESS(f"Role {role} ready: it owns nothing in {name}; {owner} owns the tables."))
