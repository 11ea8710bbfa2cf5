"""A sub-account restricted to some stores sees, on a SKU's ledger, the order and case numbers of
its own stores only. Stock is shared by every store, so every movement still shows (quantity,
warehouse, reason, time) and the rows add up to on-hand; another store's document is only named
as such."""

from decimal import Decimal

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts.permissions import Perm
from aftersales.services import case_confirm_and_stock_in
from channels.models import Channel
from channels.permissions import ACCESS_STORE
from inventory.models import MovementReason
from inventory.services import stock_move
from orders.services import order_ship
from tests.factories import (
    OrderFactory,
    OrderItemFactory,
    SKUFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
)

pytestmark = pytest.mark.django_db

ORDERS = {  # channel -> order number
    Channel.SHOPEE: "SPE-100001",
    Channel.LAZADA: "LZD-200002",
    Channel.SHOPIFY: "SHF-300003",
    Channel.WOOCOMMERCE: "WOO-400004",
    Channel.OFFLINE: "OFF-500005",
}
MINE = (Channel.SHOPEE, Channel.LAZADA)


@pytest.fixture
def ledger(tenant, owner):
    """One SKU in one warehouse: an opening count, one order shipped from each store, and a
    return stocked in on the Shopee order and on the Shopify one."""
    sku, warehouse = SKUFactory(tenant=tenant, code="PB-10K"), WarehouseFactory(tenant=tenant, name="KL Main")
    stock_move(
        sku=sku,
        warehouse=warehouse,
        quantity=50,
        reason=MovementReason.OPENING,
        source="Opening count 2026",
        source_key="opening:1",
    )
    stores, orders = {}, {}
    for channel, number in ORDERS.items():
        stores[channel] = StoreFactory(tenant=tenant, channel=channel, name=f"{channel.label} MY")
        orders[channel] = OrderFactory(
            tenant=tenant, store=stores[channel], warehouse=warehouse, number=number, paid_amount=Decimal("100.00")
        )
        OrderItemFactory(order=orders[channel], sku=sku, quantity=2)
        order_ship(order=orders[channel], actor=owner)
    cases = {
        channel: case_confirm_and_stock_in(
            case=make_case(order=orders[channel], actor=owner), actor=owner, warehouse=warehouse
        )
        for channel in (Channel.SHOPEE, Channel.SHOPIFY)
    }
    return sku, stores, cases


def _ledger_page(client, sku):
    response = client.get(reverse("inventory:sku-ledger", args=[sku.pk]))
    assert response.status_code == 200
    return response, response.content.decode()


def test_a_sub_account_of_shopee_and_lazada_sees_only_their_order_and_case_numbers(ledger, tenant, login):
    # given a warehouse sub-account restricted to the Shopee and Lazada stores
    sku, stores, cases = ledger
    clerk = UserFactory(tenant=tenant, perms=[Perm.RETURN_STOCKIN], all_stores=False)
    for channel in MINE:
        assign_perm(ACCESS_STORE, clerk, stores[channel])
    # when it opens the SKU's ledger
    response, html = _ledger_page(login(clerk), sku)
    # then its stores' documents are named, the others' are not
    for channel, number in ORDERS.items():
        assert (number in html) == (channel in MINE), channel
    assert cases[Channel.SHOPEE].number in html
    assert cases[Channel.SHOPIFY].number not in html
    assert html.count("Order of another store") == 3
    assert html.count("After-sales case of another store") == 1
    # and every movement is still listed, so the ledger adds up to on-hand: 50 - 5 x 2 + 2 x 2
    movements = list(response.context["page"])
    assert len(movements) == 1 + len(ORDERS) + 2
    assert sum(m.quantity for m in movements) == 44
    assert [level.on_hand for level in response.context["levels"]] == [44]
    assert "Opening count 2026" in html


def test_the_main_account_sees_every_stores_document(ledger, owner, login):
    sku, _, cases = ledger
    _, html = _ledger_page(login(owner), sku)
    for number in [*ORDERS.values(), *(case.number for case in cases.values())]:
        assert number in html
    assert "of another store" not in html
