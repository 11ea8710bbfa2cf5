"""A buyer's name found by any part of it, in any case (the `name__icontains` of every search box),
on a trigram index: `UPPER(name) LIKE '%X%'` reads the index instead of every buyer of the tenant.

PostgreSQL only (pg_trgm, a trusted extension the tables' owner may create): on SQLite (`make run`)
this does nothing and the search scans, as it did. CONCURRENTLY, so a big tenant's table is not
locked while the index builds; hence not atomic."""

from django.db import migrations

INDEXES = {"buyer_name_trgm": "orders_buyer USING gin (upper(name) gin_trgm_ops)"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("orders", "0002_order_and_cancel_request_state_machines")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
