import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from core.errors import Refused
from inventory.models import Condition, MovementReason, StockLevel, StockMovement
from inventory.services import expand_combo, stock_move
from tests.factories import ComboItemFactory, SKUFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def _move(sku, warehouse, quantity, key, **kwargs):
    return stock_move(
        sku=sku,
        warehouse=warehouse,
        quantity=quantity,
        reason=kwargs.pop("reason", MovementReason.ADJUSTMENT),
        source=kwargs.pop("source", f"ADJ {key}"),
        source_key=key,
        **kwargs,
    )


def _on_hand(sku, warehouse, condition=Condition.SELLABLE) -> int:
    return StockLevel.objects.get(sku=sku, warehouse=warehouse, condition=condition).on_hand


def test_stock_move_writes_one_ledger_row_and_on_hand_follows(tenant):
    # given
    sku, warehouse = SKUFactory(tenant=tenant), WarehouseFactory(tenant=tenant)
    actor = UserFactory(tenant=tenant)
    # when
    movement, created = _move(sku, warehouse, 12, "opening:1", reason=MovementReason.OPENING, actor=actor)
    _move(sku, warehouse, -5, "ship:ORD1:1", reason=MovementReason.ORDER_SHIPPED)
    # then
    assert created
    assert StockMovement.objects.filter(sku=sku).count() == 2
    assert (movement.tenant, movement.quantity, movement.actor) == (tenant, 12, actor)
    assert _on_hand(sku, warehouse) == 7


def test_the_same_source_key_twice_changes_nothing(tenant):
    # given a movement already recorded
    sku, warehouse = SKUFactory(tenant=tenant), WarehouseFactory(tenant=tenant)
    first, _ = _move(sku, warehouse, 4, "return:CASE1:1")
    # when it is replayed (a retry, a double click), even with other numbers
    again, created = _move(sku, warehouse, 40, "return:CASE1:1")
    # then
    assert not created and again == first
    assert StockMovement.objects.filter(sku=sku).count() == 1
    assert _on_hand(sku, warehouse) == 4


def test_source_keys_are_unique_per_tenant_not_globally(tenant):
    # given the same document key used by two tenants
    other = SKUFactory()
    sku, warehouse = SKUFactory(tenant=tenant), WarehouseFactory(tenant=tenant)
    _move(other, WarehouseFactory(tenant=other.tenant), 3, "opening:1")
    # when
    _, created = _move(sku, warehouse, 5, "opening:1")
    # then both moved
    assert created
    assert _on_hand(sku, warehouse) == 5


def test_expand_combo_moves_each_sub_sku_times_the_quantity(tenant):
    # given a combo of 2 cases and 1 screen protector
    case = ComboItemFactory(combo__tenant=tenant, quantity=2)
    combo = case.combo
    screen = ComboItemFactory(combo=combo, quantity=1)
    warehouse = WarehouseFactory(tenant=tenant)
    # when 3 combos ship
    for sku, quantity in expand_combo(combo, -3):
        _move(sku, warehouse, quantity, f"ship:ORD9:{sku.pk}", reason=MovementReason.ORDER_SHIPPED)
    # then the sub-SKUs moved, the combo itself did not
    assert _on_hand(case.component, warehouse) == -6
    assert _on_hand(screen.component, warehouse) == -3
    assert not StockMovement.objects.filter(sku=combo).exists()


def test_expand_combo_leaves_a_plain_sku_as_it_is(tenant):
    sku = SKUFactory(tenant=tenant)
    assert expand_combo(sku, 4) == [(sku, 4)]


def test_a_movement_cannot_be_edited_or_deleted(tenant):
    # given
    movement, _ = _move(SKUFactory(tenant=tenant), WarehouseFactory(tenant=tenant), 2, "opening:1")
    # when / then
    movement.quantity = 200
    with pytest.raises(ValidationError):
        movement.save()
    with pytest.raises(ValidationError):
        movement.delete()
    # and the row is untouched
    assert StockMovement.objects.get(pk=movement.pk).quantity == 2


def test_on_hand_per_sku_warehouse_and_condition_is_the_ledger_sum(tenant):
    # given movements over two SKUs, two warehouses and both conditions
    skus = [SKUFactory(tenant=tenant) for _ in range(2)]
    warehouses = [WarehouseFactory(tenant=tenant) for _ in range(2)]
    n = 0
    for sku in skus:
        for warehouse in warehouses:
            for condition in Condition:
                for quantity in (7, -2, 5, -1):
                    n += 1
                    _move(sku, warehouse, quantity * (n % 3 + 1), f"adj:{n}", condition=condition)
    # when the ledger is summed per (sku, warehouse, condition)
    ledger = {
        (row["sku"], row["warehouse"], row["condition"]): row["total"]
        for row in StockMovement.objects.filter(tenant=tenant)
        .values("sku", "warehouse", "condition")
        .annotate(total=Sum("quantity"))
    }
    # then every on-hand row equals it
    levels = {(lv.sku_id, lv.warehouse_id, lv.condition): lv.on_hand for lv in StockLevel.objects.filter(tenant=tenant)}
    assert len(levels) == 8
    assert levels == ledger


def test_sellable_and_damaged_are_kept_apart(tenant):
    # given sellable stock
    sku, warehouse = SKUFactory(tenant=tenant), WarehouseFactory(tenant=tenant)
    _move(sku, warehouse, 10, "opening:1", reason=MovementReason.OPENING)
    # when a damaged return comes in
    _move(sku, warehouse, 2, "return:CASE7:1", reason=MovementReason.RETURN_STOCK_IN, condition=Condition.DAMAGED)
    # then it sits in quarantine, and sellable stock is unchanged
    assert _on_hand(sku, warehouse, Condition.SELLABLE) == 10
    assert _on_hand(sku, warehouse, Condition.DAMAGED) == 2


def test_stock_never_moves_into_another_tenants_warehouse(db):
    sku, foreign_warehouse = SKUFactory(), WarehouseFactory()
    with pytest.raises(Refused, match="belongs to another account"):
        stock_move(
            sku=sku,
            warehouse=foreign_warehouse,
            quantity=1,
            reason=MovementReason.OPENING,
            source="Opening",
            source_key="x",
        )
    assert not StockMovement.objects.exists()
