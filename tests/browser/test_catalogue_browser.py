import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.permissions import Perm
from aftersales.models import Case, LineKind
from inventory.models import SKU
from tests.browser.picker import pick_sku
from tests.browser.waits import loads
from tests.factories import PASSWORD, BuyerFactory, CustomerTierFactory, SKUFactory, UserFactory, shipped_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_seller_creates_a_combo_with_a_tier_price_from_settings_and_uses_it_in_a_case(page, log_in, tenant):
    # given a seller whose role is Settings and Manual After-Sales, a Gold tier and a single SKU
    seller = UserFactory(tenant=tenant, perms=[Perm.SETTINGS, Perm.MANUAL_AFTERSALES])
    gold = CustomerTierFactory(tenant=tenant, name="Gold")
    SKUFactory(tenant=tenant, code="CBL-1M", name="USB-C cable 1m")
    log_in(seller.username, PASSWORD)
    with loads(page):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    with loads(page):
        page.get_by_role("link", name="Products").first.click()
    with loads(page):  # the form's script is there: Combo shows the sub-SKU lines
        page.get_by_role("link", name="Create SKU").click()

    # when the form is filled as a combo of two cables with a Gold price
    page.get_by_label("SKU code").fill("KIT-2CBL")
    page.get_by_label("Product name").fill("Two cables")
    page.get_by_label("Wholesale price").fill("7.00")
    page.get_by_label("Combo").check()
    page.get_by_label("Gold price").fill("6.00")
    pick_sku(page.get_by_label("Sub-SKU 1", exact=True), "cable", "CBL-1M")
    page.get_by_label("Sub-SKU 1 quantity").fill("2")
    with loads(page):
        page.get_by_role("button", name="Save").click()

    # then the list shows it as a combo, with its tier price
    expect(page.get_by_text("Combo KIT-2CBL created.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("KIT-2CBL"))
    expect(row).to_contain_text("Combo of 1")
    kit = SKU.objects.get(tenant=tenant, code="KIT-2CBL")
    assert [(c.component.code, c.quantity) for c in kit.components.all()] == [("CBL-1M", 2)]

    # when a Gold buyer's order comes back with the kit in the parcel, added to the case by the picker
    order = shipped_order(tenant=tenant, buyer=BuyerFactory(tenant=tenant, tier=gold), lines=((Decimal("20.00"), 1),))
    page.goto(f"/after-sales/new/?order={order.pk}")
    page.get_by_label("Return & Refund", exact=True).check()
    page.locator(f"[name='item_{order.items.get().pk}_on']").uncheck()
    pick_sku(page.get_by_label("Added SKU 1"), "two cables", "KIT-2CBL")
    page.locator("[name='add_0_qty']").fill("1")
    # then it is priced at the Gold price the seller set
    expect(page.locator("[name='add_0_amount']")).to_have_value("6.00")
    with loads(page):
        page.get_by_role("button", name="Create After-Sales Order").click()
    added = Case.objects.get(order=order).lines.get(kind=LineKind.RETURNED)
    assert (added.sku, added.quantity, added.amount) == (kit, 1, Decimal("6.00"))


def test_a_duplicate_code_is_said_beside_the_field(page, log_in, tenant):
    seller = UserFactory(tenant=tenant, perms=[Perm.SETTINGS])
    SKUFactory(tenant=tenant, code="CBL-1M")
    log_in(seller.username, PASSWORD)
    page.goto("/settings/products/new/")
    page.get_by_label("SKU code").fill("cbl-1m")
    page.get_by_label("Product name").fill("Again")
    with loads(page):
        page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_code + .invalid-feedback, #id_code ~ .invalid-feedback")).to_have_text(
        "There is already a SKU cbl-1m."
    )
