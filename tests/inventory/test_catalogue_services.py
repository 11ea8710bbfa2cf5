"""The catalogue's services: the rules hold whatever the form let through (a forged post, a race)."""

from decimal import Decimal

import pytest

from core.errors import Refused
from inventory.models import SKU, ComboItem, TierPrice, Warehouse, WarehouseKind
from inventory.pricing import price_for
from inventory.services import (
    SKUInput,
    WarehouseInput,
    expand_combo,
    sku_create,
    sku_update,
    tier_create,
    warehouse_create,
    warehouse_update,
)
from tests.concurrency import race
from tests.factories import (
    ComboItemFactory,
    CustomerTierFactory,
    SKUFactory,
    UserFactory,
    WarehouseFactory,
)


def _input(**fields) -> SKUInput:
    return SKUInput(**{"code": "KIT-1", "name": "Kit", "wholesale_price": Decimal("9.00"), **fields})


@pytest.mark.django_db
def test_a_combo_with_tier_prices_prices_and_moves_as_its_parts(tenant, owner):
    gold = CustomerTierFactory(tenant=tenant)
    cable = SKUFactory(tenant=tenant)
    kit = sku_create(
        tenant=tenant,
        actor=owner,
        data=_input(tier_prices={gold: Decimal("7.50")}, components=[(cable, 3)]),
        is_combo=True,
    )
    assert price_for(sku=kit, tier=gold) == Decimal("7.50")
    assert price_for(sku=kit, tier=None) == Decimal("9.00")
    assert expand_combo(kit, 2) == [(cable, 6)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("components", "code"),
    [
        ("itself", "combo_contains_itself"),
        ("a combo", "combo_in_combo"),
        ("twice", "combo_duplicate"),
        ("none", "combo_empty"),
        ("zero", "quantity_out_of_bounds"),
        ("too many", "quantity_out_of_bounds"),
    ],
)
def test_a_combo_holds_one_level_of_single_skus(components, code, tenant, owner):
    combo = ComboItemFactory(combo__tenant=tenant, quantity=1).combo
    part = combo.components.get().component
    lines = {
        "itself": [(combo, 1)],
        "a combo": [(ComboItemFactory(combo__tenant=tenant).combo, 1)],
        "twice": [(part, 1), (part, 2)],
        "none": [],
        "zero": [(part, 0)],
        "too many": [(part, 10_001)],
    }[components]
    with pytest.raises(Refused) as refused:
        sku_update(sku=combo, actor=owner, data=_input(code=combo.code, components=lines))
    assert refused.value.code == code
    assert list(ComboItem.objects.filter(combo=combo).values_list("component", "quantity")) == [(part.pk, 1)]


@pytest.mark.django_db
def test_a_single_sku_holds_no_parts_and_stays_single(tenant, owner):
    sku = SKUFactory(tenant=tenant)
    with pytest.raises(Refused) as refused:
        sku_update(sku=sku, actor=owner, data=_input(code=sku.code, components=[(SKUFactory(tenant=tenant), 1)]))
    assert refused.value.code == "not_a_combo"
    assert not SKU.objects.get(pk=sku.pk).is_combo


@pytest.mark.django_db
def test_another_tenants_part_or_tier_is_refused(tenant, owner):
    with pytest.raises(Refused):
        sku_create(tenant=tenant, actor=owner, data=_input(components=[(SKUFactory(), 1)]), is_combo=True)
    with pytest.raises(Refused):
        sku_create(tenant=tenant, actor=owner, data=_input(tier_prices={CustomerTierFactory(): Decimal("1.00")}))
    assert not SKU.objects.filter(tenant=tenant).exists() and not TierPrice.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"wholesale_price": Decimal("10000000000.00")},
        {"wholesale_price": Decimal("-0.01")},
        {"tier_prices": "over"},
    ],
)
def test_prices_stay_within_what_an_amount_holds(fields, tenant, owner):
    if fields.get("tier_prices") == "over":
        fields = {"tier_prices": {CustomerTierFactory(tenant=tenant): Decimal("10000000000.00")}}
    with pytest.raises(Refused) as refused:
        sku_create(tenant=tenant, actor=owner, data=_input(**fields))
    assert refused.value.code == "price_out_of_bounds"


@pytest.mark.django_db
def test_codes_and_tier_names_are_unique_per_tenant_whatever_the_case(tenant, owner):
    SKUFactory(tenant=tenant, code="KIT-1")
    SKUFactory(code="OTHER")  # another tenant may use any code
    with pytest.raises(Refused) as refused:
        sku_create(tenant=tenant, actor=owner, data=_input(code="kit-1"))
    assert refused.value.code == "duplicate_code"
    assert sku_create(tenant=tenant, actor=owner, data=_input(code="OTHER")).code == "OTHER"
    tier_create(tenant=tenant, actor=owner, name="Gold")
    with pytest.raises(Refused):
        tier_create(tenant=tenant, actor=owner, name="GOLD")


@pytest.mark.django_db
def test_one_default_return_warehouse_and_never_an_inactive_or_supplier_one(tenant, owner):
    first = WarehouseFactory(tenant=tenant, is_default_return=True)
    second = warehouse_create(
        tenant=tenant,
        actor=owner,
        data=WarehouseInput(name="JKT", code="JKT", kind=WarehouseKind.THIRD_PARTY, is_default_return=True),
    )
    assert list(Warehouse.objects.filter(is_default_return=True)) == [second]
    for data in (
        WarehouseInput(name="JKT", code="JKT", kind=WarehouseKind.OWN, is_active=False, is_default_return=True),
        WarehouseInput(name="JKT", code="JKT", kind=WarehouseKind.SUPPLIER, is_default_return=True),
        WarehouseInput(name="JKT", code=first.code.lower(), kind=WarehouseKind.OWN),
    ):
        with pytest.raises(Refused):
            warehouse_update(warehouse=second, actor=owner, data=data)
    second.refresh_from_db()
    assert (second.code, second.is_active, second.is_default_return) == ("JKT", True, True)


@pytest.mark.django_db(transaction=True)
def test_two_sellers_creating_the_same_code_at_once_get_one_sku_and_a_refusal():
    owner = UserFactory(owner=True)
    results, refused, errors = race(
        lambda user: sku_create(tenant=user.tenant, actor=user, data=_input()), [owner, owner]
    )
    assert not errors, errors
    assert len(results) == 1 and [r.code for r in refused] == ["duplicate_code"]
    assert SKU.objects.filter(tenant=owner.tenant).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_new_default_return_warehouses_at_once_leave_one_default():
    owner = UserFactory(owner=True)
    codes = iter(["A", "B"])

    def create(user):
        code = next(codes)
        return warehouse_create(
            tenant=user.tenant,
            actor=user,
            data=WarehouseInput(name=code, code=code, kind=WarehouseKind.OWN, is_default_return=True),
        )

    _, refused, errors = race(create, [owner, owner])
    assert not errors and not refused, (errors, refused)
    assert Warehouse.objects.filter(tenant=owner.tenant).count() == 2
    assert Warehouse.objects.filter(tenant=owner.tenant, is_default_return=True).count() == 1
