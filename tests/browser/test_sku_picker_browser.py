"""The SKU picker in a real browser: a seller finds a SKU by part of its name, sees its code, name,
price and stock, picks it with the keyboard, and the case is created with it."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.permissions import Perm
from aftersales.models import Case, LineKind
from inventory.models import MovementReason
from inventory.services import stock_move
from tests.browser.picker import pick_sku
from tests.browser.waits import loads
from tests.factories import PASSWORD, SKUFactory, UserFactory, WarehouseFactory, shipped_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_seller_finds_an_added_sku_by_its_name_and_picks_it_with_the_keyboard(page, log_in, tenant):
    # given an order, and two SKUs not on it: a leather case (7 in stock) and an inactive one
    operator = UserFactory(tenant=tenant, perms=[Perm.MANUAL_AFTERSALES])
    order = shipped_order(tenant=tenant, lines=((Decimal("80.00"), 1),))
    leather = SKUFactory(tenant=tenant, code="CASE-LTH", name="Leather phone case", wholesale_price=Decimal("45.00"))
    SKUFactory(tenant=tenant, code="CASE-OLD", name="Leather case (old)", is_active=False)
    stock_move(
        sku=leather,
        warehouse=WarehouseFactory(tenant=tenant),
        quantity=7,
        reason=MovementReason.OPENING,
        source="Opening count",
        source_key="opening:leather",
    )
    log_in(operator.username, PASSWORD)
    page.goto(f"/after-sales/new/?order={order.pk}")

    # when the operator types part of the name in the first added line and picks it with the keyboard
    field = page.get_by_label("Added SKU 1")
    shown = pick_sku(field, "leather", "CASE-LTH")

    # then the option showed the code, the name, the price in the order's currency and the stock
    assert "CASE-LTH" in shown and "Leather phone case" in shown
    assert "RM" in shown and "45.00" in shown and "7 in stock" in shown
    expect(page.locator(f"#{field.get_attribute('id')}-options [data-code='CASE-OLD']")).to_have_count(0)
    expect(page.locator(f"#{field.get_attribute('id')}-picked")).to_contain_text("Leather phone case")
    # and the line is priced as it was shown
    page.locator(f"[name='item_{order.items.get().pk}_on']").uncheck()  # only the added item comes back
    page.locator("[name='add_0_qty']").fill("1")
    expect(page.locator("[name='add_0_amount']")).to_have_value("45.00")

    # when the form is sent, the case is created with the picked SKU
    with loads(page):
        page.get_by_role("button", name="Create After-Sales Order").click()
    case = Case.objects.get(order=order)
    added = case.lines.get(kind=LineKind.RETURNED, order_item=None)
    assert (added.sku, added.quantity, added.amount) == (leather, 1, Decimal("45.00"))
