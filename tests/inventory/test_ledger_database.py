"""The stock ledger is append-only in the database, not only in Python: a trigger refuses UPDATE and
DELETE of a movement whoever sends them, and the role the application connects as owns nothing,
so it can neither switch the trigger off, drop it, nor empty the table."""

import io

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from inventory.models import MovementReason, StockLevel, StockMovement
from inventory.services import stock_move
from tests.factories import SKUFactory, TenantFactory, WarehouseFactory

REFUSED = "The stock ledger is append-only"


def _opening(tenant, quantity: int = 5) -> StockMovement:
    sku, warehouse = SKUFactory(tenant=tenant), WarehouseFactory(tenant=tenant)
    movement, _ = stock_move(
        sku=sku,
        warehouse=warehouse,
        quantity=quantity,
        reason=MovementReason.OPENING,
        source="Opening count",
        source_key=f"opening:{sku.pk}",
    )
    return movement


def _raw(sql: str, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])


CHANGES = {
    "QuerySet.update()": lambda pk: StockMovement.objects.filter(pk=pk).update(quantity=500),
    "QuerySet.delete()": lambda pk: StockMovement.objects.filter(pk=pk).delete(),
    "raw UPDATE": lambda pk: _raw("UPDATE inventory_stockmovement SET quantity = 500 WHERE id = %s", pk),
    "raw DELETE": lambda pk: _raw("DELETE FROM inventory_stockmovement WHERE id = %s", pk),
}


@pytest.mark.django_db
@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_the_database_refuses_to_change_or_delete_a_movement(change, tenant):
    # given a movement, written by a superuser connection (the test suite's)
    movement = _opening(tenant)
    # when it is changed behind the model's back / then the trigger refuses, with a clear message
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        CHANGES[change](movement.pk)
    # and the row is as it was
    assert StockMovement.objects.get(pk=movement.pk).quantity == 5


@pytest.mark.django_db
def test_new_movements_are_still_recorded_and_on_hand_follows(tenant):
    # given stock on hand
    first = _opening(tenant, quantity=5)
    # when a correction is recorded the only way the ledger allows, a reversing movement
    _, created = stock_move(
        sku=first.sku,
        warehouse=first.warehouse,
        quantity=-2,
        reason=MovementReason.ADJUSTMENT,
        source="Count correction",
        source_key="adjustment:1",
    )
    # then
    assert created
    assert StockLevel.objects.get(sku=first.sku, warehouse=first.warehouse).on_hand == 3


# --- the application's role --------------------------------------------------------------------

APP_PASSWORD = "app-role-pass"


def _drop_role(role: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{role}"')  # its grants on this database
            cursor.execute(f'DROP ROLE "{role}"')


@pytest.fixture
def app_role(transactional_db):
    """The application's role, made by the command production runs. Grants must be committed for
    another connection to see them, hence a transactional test. Roles are cluster-wide: the name
    follows the test database, so parallel runs never share one."""
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    _drop_role(role)
    call_command("grant_app_role", role=role, password=APP_PASSWORD, stdout=io.StringIO())
    yield role
    _drop_role(role)


def _connect(role: str) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        dbname=settings["NAME"],
        user=role,
        password=APP_PASSWORD,
        autocommit=True,
    )


def test_the_app_role_records_movements_but_cannot_change_delete_or_empty_them(app_role):
    # given a movement, and a connection as the application's role
    movement = _opening(TenantFactory())
    with _connect(app_role) as app:
        # when it records a movement and moves on-hand, as stock_move does / then that works
        inserted = app.execute(
            "INSERT INTO inventory_stockmovement (tenant_id, sku_id, warehouse_id, condition, quantity, reason,"
            " source, source_key, created_at) VALUES (%s, %s, %s, 'sellable', -1, 'adjustment', 'Count',"
            " 'adjustment:app', now()) RETURNING id",
            [movement.tenant_id, movement.sku_id, movement.warehouse_id],
        ).fetchone()
        assert inserted is not None
        app.execute("UPDATE inventory_stocklevel SET on_hand = on_hand - 1 WHERE sku_id = %s", [movement.sku_id])
        # but it may not rewrite, delete or empty the ledger
        for sql in (
            f"UPDATE inventory_stockmovement SET quantity = 500 WHERE id = {movement.pk}",
            f"DELETE FROM inventory_stockmovement WHERE id = {movement.pk}",
            "TRUNCATE inventory_stockmovement",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                app.execute(sql)
        # nor switch the trigger off, drop it, or replace its function: only the owner may (and
        # the role may not create anything in the schema either)
        for sql in (
            "ALTER TABLE inventory_stockmovement DISABLE TRIGGER stockmovement_append_only",
            "DROP TRIGGER stockmovement_append_only ON inventory_stockmovement",
            "CREATE OR REPLACE FUNCTION inventory_stockmovement_refuse_change() RETURNS trigger"
            " LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$",
            "ALTER TABLE inventory_stockmovement DROP CONSTRAINT movement_not_zero",
            "DROP TABLE inventory_stockmovement",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=r"must be owner|permission denied"):
                app.execute(sql)
        # and it owns nothing at all
        owned = app.execute(
            "SELECT count(*) FROM pg_class JOIN pg_roles ON relowner = pg_roles.oid WHERE rolname = current_user"
        )
        assert owned.fetchone() == (0,)
    # the ledger holds both movements, untouched
    assert sorted(StockMovement.objects.values_list("quantity", flat=True)) == [-1, 5]
    assert StockLevel.objects.get(sku=movement.sku).on_hand == 4


def test_granting_twice_changes_nothing(app_role):
    # when the command runs again (it runs after every migrate)
    call_command("grant_app_role", role=app_role, password=APP_PASSWORD, stdout=io.StringIO())
    # then the role still cannot touch the ledger, and still works
    with _connect(app_role) as app:
        assert app.execute("SELECT count(*) FROM inventory_stockmovement").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("DELETE FROM inventory_stockmovement")


@pytest.mark.django_db
def test_the_app_role_cannot_be_the_owner():
    # given the connection's own user (the owner of the tables) named as the application's role
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    # when / then
    with pytest.raises(CommandError, match="give the application a role of its own"):
        call_command("grant_app_role", role=owner, password="x", stdout=io.StringIO())
