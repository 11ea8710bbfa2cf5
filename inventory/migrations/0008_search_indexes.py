"""A SKU found by any part of its code or name, in any case (the SKU pickers, Settings > Products,
the stock list), on trigram indexes: `UPPER(code) LIKE '%X%'` reads the index, not every SKU.

PostgreSQL only (pg_trgm, a trusted extension the tables' owner may create): on SQLite (`make run`)
this does nothing and the search scans, as it did. CONCURRENTLY, so a big tenant's table is not
locked while the index builds; hence not atomic."""

from django.db import migrations

INDEXES = {
    "sku_code_trgm": "inventory_sku USING gin (upper(code) gin_trgm_ops)",
    "sku_name_trgm": "inventory_sku USING gin (upper(name) gin_trgm_ops)",
}


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

    dependencies = [("inventory", "0007_catalogue_change")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
