"""Catalogue history: each save of a SKU, a customer tier or a warehouse in Settings is recorded (who,
when, each value from -> to) by the service that makes it, and shown on the item's page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.permissions import Perm
from inventory.models import CatalogueChange, WarehouseKind
from inventory.services import (
    SKUInput,
    WarehouseInput,
    sku_create,
    sku_update,
    tier_create,
    tier_update,
    warehouse_create,
    warehouse_update,
)
from tests.factories import ComboItemFactory, CustomerTierFactory, SKUFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(tenant):
    return UserFactory(tenant=tenant, username="sara", perms=[Perm.SETTINGS])


def _changes(change) -> dict[str, tuple[str, str]]:
    return {item["what"]: (item["from"], item["to"]) for item in change.changes}


def test_a_sku_edit_records_price_tier_prices_parts_and_active_from_and_to(tenant, seller):
    gold = CustomerTierFactory(tenant=tenant, name="Gold")
    part = ComboItemFactory(combo__tenant=tenant, combo__code="KIT", combo__wholesale_price=Decimal("20.00"))
    kit, cable = part.combo, part.component
    data = SKUInput(
        code="KIT",
        name=kit.name,
        wholesale_price=Decimal("1250.00"),
        is_active=False,
        tier_prices={gold: Decimal("18.00")},
        components=[(cable, 3)],
    )
    sku_update(sku=kit, actor=seller, data=data)
    change = CatalogueChange.objects.get(sku=kit)
    assert (change.tenant, change.actor, change.created) == (tenant, seller, False)
    assert _changes(change) == {
        "Wholesale price": ("20.00", "1,250.00"),
        "Active": ("Yes", "No"),
        "Gold price": ("", "18.00"),
        f"Sub-SKU {cable.code}": ("2", "3"),
    }


def test_a_save_that_changes_nothing_records_nothing(tenant, seller):
    sku = SKUFactory(tenant=tenant)
    sku_update(sku=sku, actor=seller, data=SKUInput(code=sku.code, name=sku.name, wholesale_price=sku.wholesale_price))
    assert not CatalogueChange.objects.exists()


def test_a_created_sku_tier_and_warehouse_are_recorded_as_created(tenant, seller):
    sku = sku_create(tenant=tenant, actor=seller, data=SKUInput(code="NEW", name="New", wholesale_price=None))
    tier = tier_create(tenant=tenant, actor=seller, name="Silver")
    warehouse = warehouse_create(
        tenant=tenant, actor=seller, data=WarehouseInput(name="KL", code="KL", kind=WarehouseKind.OWN)
    )
    for item in (sku, tier, warehouse):
        assert item.changes.get().created
    assert _changes(tier.changes.get()) == {"Tier name": ("", "Silver")}


def test_a_renamed_tier_and_a_new_default_return_warehouse_record_every_item_they_change(tenant, seller):
    tier = CustomerTierFactory(tenant=tenant, name="Gold")
    tier_update(tier=tier, actor=seller, name="Platinum")
    assert _changes(tier.changes.get()) == {"Tier name": ("Gold", "Platinum")}
    old = WarehouseFactory(tenant=tenant, name="Old", is_default_return=True)
    new = WarehouseFactory(tenant=tenant, name="New", code="NEW")
    data = WarehouseInput(name="New", code="NEW", kind=WarehouseKind.OWN, is_default_return=True)
    warehouse_update(warehouse=new, actor=seller, data=data)
    assert _changes(new.changes.get()) == {"Default return warehouse": ("No", "Yes")}
    assert _changes(old.changes.get()) == {"Default return warehouse": ("Yes", "No")}


def test_the_edit_pages_show_who_changed_what_from_and_to(tenant, seller, login):
    sku = SKUFactory(tenant=tenant, code="CBL", wholesale_price=Decimal("4.00"))
    client = login(seller)
    data = {"code": "CBL", "name": sku.name, "wholesale_price": "4.50", "is_active": "on"}
    assert client.post(reverse("settings:sku-edit", args=[sku.pk]), data).status_code == 302
    page = client.get(reverse("settings:sku-edit", args=[sku.pk])).content.decode()
    assert "History" in page and "sara" in page and "Wholesale price:" in page and "4.00 → 4.50" in page
    tier = CustomerTierFactory(tenant=tenant, name="Gold")
    client.post(reverse("settings:tier-edit", args=[tier.pk]), {"name": "VIP"})
    assert "Gold → VIP" in client.get(reverse("settings:tier-edit", args=[tier.pk])).content.decode()
    warehouse = WarehouseFactory(tenant=tenant, name="KL", code="KL")
    client.post(
        reverse("settings:warehouse-edit", args=[warehouse.pk]),
        {"name": "KL", "code": "KL", "kind": WarehouseKind.THIRD_PARTY, "is_active": "on"},
    )
    page = client.get(reverse("settings:warehouse-edit", args=[warehouse.pk])).content.decode()
    assert "Own warehouse → Third-party warehouse" in page


def test_another_tenants_history_is_not_shown(tenant, seller, login):
    sku = SKUFactory(tenant=tenant)
    other = SKUFactory(code=sku.code)
    sku_update(
        sku=other,
        actor=UserFactory(tenant=other.tenant, owner=True),
        data=SKUInput(code=other.code, name="Theirs renamed", wholesale_price=None),
    )
    page = login(seller).get(reverse("settings:sku-edit", args=[sku.pk])).content.decode()
    assert "Theirs renamed" not in page and "No change recorded yet." in page
    assert login(seller).get(reverse("settings:sku-edit", args=[other.pk])).status_code == 404
