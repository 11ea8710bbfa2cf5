"""Migration operations more than one app uses."""

from django.db import migrations


def trigram_indexes(indexes: dict[str, str]) -> migrations.RunPython:
    """Create `indexes` ({name: "table USING gin (...)"}) CONCURRENTLY, with pg_trgm, on PostgreSQL
    only: on SQLite (`make run`) nothing, and its searches scan as before. The migration using it
    must say `atomic = False` (CONCURRENTLY cannot run in a transaction), so a big table is not
    locked while its index builds."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trusted: the tables' owner may
        for name, definition in indexes.items():
            schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
