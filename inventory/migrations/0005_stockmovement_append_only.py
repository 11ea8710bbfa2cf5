"""The stock ledger is append-only in the database too: a trigger refuses every UPDATE and DELETE
of a stock movement, whoever sends it (QuerySet.update(), .delete(), raw SQL, a psql session).
Only the table's owner can disable it (ALTER TABLE ... DISABLE TRIGGER), and the application does
not connect as the owner (README, "Database roles"). PostgreSQL only: on SQLite (`make run`) this
is a no-op and the model's save()/delete() guard is all there is.

A later migration that must rewrite movements (a backfill) disables the trigger around its work,
as the owner, in the same transaction:
    ALTER TABLE inventory_stockmovement DISABLE TRIGGER stockmovement_append_only; ...; ENABLE ...
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION inventory_stockmovement_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The stock ledger is append-only: % of a stock movement is refused.', TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'Record a reversing movement instead.';
END;
$$;
CREATE TRIGGER stockmovement_append_only
    BEFORE UPDATE OR DELETE ON inventory_stockmovement
    FOR EACH ROW EXECUTE FUNCTION inventory_stockmovement_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS stockmovement_append_only ON inventory_stockmovement;
DROP FUNCTION IF EXISTS inventory_stockmovement_refuse_change();
"""


def run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: the % is plpgsql's

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0004_link_existing_movements"),
        ("aftersales", "0003_fill_received_warehouse"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
