"""Every list fits a laptop (1366 px) and a warehouse phone (390 px): the page never scrolls
sideways, and every action button of the list (its rows, its bulk bar, its search) is on screen.
The rows are a busy seller's: long store, buyer and warehouse names, amounts in rupiah, a rejected
refund with a long reason, a cancel request shipped by a third-party warehouse."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.permissions import Perm
from aftersales.services import case_confirm, case_confirm_and_stock_in
from channels.models import Channel
from inventory.models import StockMovement, WarehouseKind
from orders.models import OrderStatus
from refunds.services import refund_reject
from tests.browser.waits import loads, swaps
from tests.factories import (
    PASSWORD,
    BuyerFactory,
    CancelRequestFactory,
    CustomerTierFactory,
    OrderFactory,
    SKUFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    make_refund,
    shipped_order,
)

LAPTOP, PHONE = (1366, 768), (390, 844)
STORES = [  # name, channel, currency, unit price, the platform status of a new order (cancellable on two)
    (
        "Shopee MY - Demo Official Flagship Store Kuala Lumpur",
        Channel.SHOPEE,
        "MYR",
        Decimal("1289.90"),
        "Ready to Ship",
    ),
    ("TikTok Shop ID - Toko Resmi Aksesoris Jakarta", Channel.TIKTOK, "IDR", Decimal("289000.00"), "Awaiting Shipment"),
    ("Shopify - demo-seller-international.myshopify.com", Channel.SHOPIFY, "USD", Decimal("149.95"), "unfulfilled"),
]
LONG_REASON = "The transfer slip names another account holder than the one the buyer confirmed by chat"

PAGES = [
    "/after-sales/",
    "/after-sales/?tab=confirm_return",
    "/after-sales/?tab=received_return",
    "/refunds/",
    "/refunds/?tab=rejected",
    "/orders/",
    "/orders/cancel-requests/",
    "/orders/canceled/",
    "/orders/entry/",
    "/stock/",
    "/stock/on-hand/",
    "/stock/skus/{sku}/ledger/",
    "/settings/products/",
    "/settings/customer-tiers/",
    "/settings/warehouses/",
    "/settings/stores/",
    "/settings/sub-accounts/",
    "/settings/roles/",
    "/settings/history/",
]

# Horizontal overflow of the page, and the visible action buttons that are not wholly on screen.
MEASURE = """() => {
  const width = window.innerWidth;
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const off = [...document.querySelectorAll("main button, main .btn, main [role=button]")]
    .filter(shown)
    .filter((el) => { const box = el.getBoundingClientRect(); return box.left < 0 || box.right > width + 0.5; })
    .map((el) => `${el.textContent.trim()} at x=${Math.round(el.getBoundingClientRect().left)}`);
  return {scroll: document.documentElement.scrollWidth, width, off};
}"""


def _busy_seller() -> dict:
    """A seller with a few rows in every list, each with long names and big amounts."""
    owner = UserFactory(owner=True, username="siti.nurhaliza.owner")
    tenant = owner.tenant
    own = WarehouseFactory(tenant=tenant, name="Kuala Lumpur Main Returns Warehouse", is_default_return=True)
    third_party = WarehouseFactory(
        tenant=tenant, name="Third-Party Fulfilment Centre Shah Alam", kind=WarehouseKind.THIRD_PARTY
    )
    now = timezone.now()
    for name, channel, currency, price, platform_status in STORES:
        store = StoreFactory(tenant=tenant, name=name, channel=channel, currency=currency)
        buyer = BuyerFactory(tenant=tenant, name="Nurul Aisyah binti Abdullah Rahman")

        def case(store=store, buyer=buyer, price=price):
            order = shipped_order(tenant=tenant, store=store, buyer=buyer, warehouse=own, lines=((price, 3),))
            return make_case(order=order, actor=owner, return_tracking_number="SPXMY0123456789012")

        case()  # To Confirm
        case_confirm(case=case(), actor=owner)  # Confirm Return: waiting for its parcel
        case_confirm_and_stock_in(case=case(), actor=owner, warehouse=own)  # Received Return
        refund_reject(refund=make_refund(case=case()), actor=owner, reason=LONG_REASON)  # Rejected
        make_refund(case=case())  # Refund Processing
        common = {"tenant": tenant, "store": store, "buyer": buyer, "paid_amount": price * 3}
        OrderFactory(**common, warehouse=own, status=OrderStatus.NEW, platform_status=platform_status)
        OrderFactory(**common, warehouse=own, status=OrderStatus.WAITING_APPROVAL)
        OrderFactory(
            **common,
            warehouse=own,
            status=OrderStatus.CANCELLED,
            shipped_at=now - timedelta(days=2),
            cancelled_at=now,
            cancel_reason="Buyer changed the delivery address after the parcel left",
        )
        CancelRequestFactory(
            order=OrderFactory(**common, warehouse=third_party, status=OrderStatus.TO_PICKUP, shipped_at=now),
            reason="Found a cheaper price elsewhere and ordered again from another store",
        )
    CustomerTierFactory(tenant=tenant, name="Gold resellers of Peninsular Malaysia")
    UserFactory(tenant=tenant, username="warehouse.shah.alam", perms=[Perm.RETURN_STOCKIN])
    UserFactory(tenant=tenant, username="order.desk", perms=[perm.value for perm in Perm])
    SKUFactory(tenant=tenant, name="Tempered Glass Screen Protector for Galaxy S24 Ultra, 2-pack, clear")
    return {"owner": owner, "sku": StockMovement.objects.filter(tenant=tenant).first().sku_id}


@pytest.fixture
def seller(transactional_db) -> dict:
    return _busy_seller()


def _open(page, log_in, user, size: tuple[int, int]) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(user.username, PASSWORD)


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1366", "390"])
@pytest.mark.parametrize("path", PAGES)
def test_the_list_fits_the_screen_with_its_actions_on_it(path, size, seller, page, log_in):
    _open(page, log_in, seller["owner"], size)
    with loads(page):
        page.goto(path.format(sku=seller["sku"]))
    expect(page.locator("main table").first).to_be_visible()
    measured = page.evaluate(MEASURE)
    assert measured["scroll"] <= measured["width"], f"{path} is {measured['scroll']} px wide at {measured['width']}"
    assert measured["off"] == [], f"{path}: actions off screen at {measured['width']} px"


def test_the_receive_form_works_on_a_phone(seller, page, log_in):
    # given a warehouse clerk on a phone, and a parcel waiting to be stocked in
    clerk = UserFactory(tenant=seller["owner"].tenant, perms=[Perm.RETURN_STOCKIN])
    _open(page, log_in, clerk, PHONE)
    with loads(page):
        page.goto("/stock/")
    # the navigation is folded away until the Menu button opens it
    menu = page.get_by_role("navigation", name="Main")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(menu.get_by_role("link", name="Stock-In / Return")).to_be_visible()
    expect(menu).to_have_class(re.compile(r"\bshow\b"))  # opened: Bootstrap ignores a click while it slides
    page.get_by_role("button", name="Menu").click()
    expect(menu).to_be_hidden()
    # when the clerk scans the case number of the first waiting parcel
    code = page.locator("#scan-results tbody tr[id^=case-] td").first.inner_text().split()[0]
    page.get_by_label("Tracking number, case number or order number").fill(code)
    with swaps(page):
        page.get_by_label("Tracking number, case number or order number").press("Enter")
    # then the receive form fits: Sellable and Damaged side by side, both on screen and thumb-sized
    form = page.locator("#scan-results form")
    expect(form).to_be_visible()
    measured = page.evaluate(MEASURE)
    assert measured["scroll"] <= measured["width"] and measured["off"] == []
    for field in (form.locator("input[name^=sellable_]").first, form.locator("input[name^=damaged_]").first):
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0] and box["height"] >= 44
    assert form.get_by_role("button", name="Stock-In").bounding_box()["height"] >= 44
