from decimal import Decimal

from django.urls import reverse

from accounts.permissions import Perm
from inventory.pricing import price_for
from orders.models import Order, OrderStatus
from tests.factories import (
    BuyerFactory,
    CustomerTierFactory,
    SKUFactory,
    StoreFactory,
    TierPriceFactory,
    UserFactory,
    WarehouseFactory,
)


def test_price_is_tier_price_else_wholesale_else_zero(db):
    tier = CustomerTierFactory()
    tiered = TierPriceFactory(tier=tier, price=Decimal("7.50")).sku
    wholesale_only = SKUFactory(tenant=tier.tenant, wholesale_price=Decimal("9.00"))
    unpriced = SKUFactory(tenant=tier.tenant, wholesale_price=None)
    assert price_for(sku=tiered, tier=tier) == Decimal("7.50")
    assert price_for(sku=tiered, tier=None) == Decimal("10.00")  # no tier: wholesale
    assert price_for(sku=tiered, tier=CustomerTierFactory(tenant=tier.tenant)) == Decimal("10.00")
    assert price_for(sku=wholesale_only, tier=tier) == Decimal("9.00")
    assert price_for(sku=unpriced, tier=tier) == Decimal("0.00")


def test_create_a_manual_order_that_waits_to_approve(db, login):
    tier = CustomerTierFactory()
    tenant = tier.tenant
    store, warehouse = StoreFactory(tenant=tenant, currency="MYR"), WarehouseFactory(tenant=tenant)
    buyer = BuyerFactory(tenant=tenant, tier=tier)
    tiered = TierPriceFactory(tier=tier, price=Decimal("7.50")).sku
    typed = SKUFactory(tenant=tenant)
    client = login(UserFactory(tenant=tenant, perms=[Perm.ORDER_ENTRY]))

    response = client.post(
        reverse("orders:entry-create"),
        {
            "store": store.pk,
            "warehouse": warehouse.pk,
            "buyer": buyer.pk,
            "sku_0": tiered.code,
            "qty_0": 2,
            "sku_1": typed.code,
            "qty_1": 1,
            "price_1": "3.25",
        },
    )

    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.status, order.is_manual, order.currency) == (OrderStatus.WAITING_APPROVAL, True, "MYR")
    assert order.paid_amount == Decimal("18.25")  # 2 x 7.50 (tier) + 1 x 3.25 (typed)
    assert order.number in client.get(reverse("orders:entry")).content.decode()


def test_create_refuses_bad_input_and_writes_nothing(db, login):
    store = StoreFactory()
    tenant = store.tenant
    warehouse, sku, foreign_sku = WarehouseFactory(tenant=tenant), SKUFactory(tenant=tenant), SKUFactory()
    client = login(UserFactory(tenant=tenant, owner=True))
    base = {"store": store.pk, "warehouse": warehouse.pk}
    for data, message in [
        ({}, "Add at least one line."),
        ({"sku_0": sku.code}, "Give a quantity for this SKU."),
        ({"sku_0": sku.code, "qty_0": 0}, "At least 1."),
        ({"sku_0": sku.code, "qty_0": 1, "price_0": "-2"}, "Cannot be negative."),
        ({"sku_0": foreign_sku.code, "qty_0": 1}, f"There is no SKU {foreign_sku.code}"),
    ]:
        response = client.post(reverse("orders:entry-create"), {**base, **data})
        assert response.status_code == 200 and message in response.content.decode(), message
    assert not Order.objects.exists()
