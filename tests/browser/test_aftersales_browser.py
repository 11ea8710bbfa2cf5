"""The three manual after-sales flows in a real browser, each user doing their own part:
the operator creates and confirms, the warehouse stocks the parcel in, finance pays or rejects."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.permissions import Perm
from aftersales.models import Case, CaseStatus
from channels.models import Channel
from inventory.models import Condition, StockLevel
from orders.models import OrderStatus
from tests.browser.picker import pick_sku
from tests.browser.waits import loads, opened, swaps
from tests.factories import (
    PASSWORD,
    PNG_1PX,
    SKUFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    shipped_order,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(owner):
    """The seller's operator, warehouse and finance sub-accounts, and a return warehouse."""
    tenant = owner.tenant
    return {
        "operator": UserFactory(tenant=tenant, username="opal", perms=[Perm.MANUAL_AFTERSALES]),
        "warehouse": UserFactory(tenant=tenant, username="wes", perms=[Perm.RETURN_STOCKIN]),
        "finance": UserFactory(tenant=tenant, username="fin", perms=[Perm.AFTERSALES_REFUND]),
        "returns": WarehouseFactory(tenant=tenant, name="KL Returns"),
    }


def _switch(page, log_in, user) -> None:
    page.context.clear_cookies()
    log_in(user.username, PASSWORD)


def _start_case(page, order, case_type: str) -> None:
    with loads(page):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="After-Sales").click()
    with loads(page):
        page.get_by_role("link", name="Create After-Sales Order").click()
    page.get_by_label("Find the order").fill(order.number)
    with loads(page):
        page.get_by_role("button", name="Find order").click()
    with loads(page):  # the case form's script is loaded: totals and the exchange section follow the inputs
        page.locator(f"#order-{order.pk}").get_by_role("link", name="Select").click()
    page.get_by_label(case_type, exact=True).check()


def _case_page(page, case: Case) -> None:
    page.goto(f"/after-sales/{case.pk}/")


def test_return_and_refund_from_creation_to_completed(page, log_in, owner, team):
    order = shipped_order(tenant=owner.tenant, lines=((Decimal("25.00"), 2),), number="SHP-RR-1")
    sku = order.items.get().sku
    page.on("dialog", lambda dialog: dialog.accept())

    # the operator creates the case: one unit back, amount follows the quantity
    _switch(page, log_in, team["operator"])
    _start_case(page, order, "Return & Refund")
    page.locator("[name$='_qty']").first.fill("1")
    expect(page.locator("#total-returned")).to_have_text("25.00")
    page.get_by_label("Buyer's return tracking number").fill("SPXRET-0001")
    page.get_by_label("Reason").fill("Damaged in transit")
    page.get_by_label("Buyer evidence (photos, video, PDF)").set_input_files(
        files=[{"name": "box.png", "mimeType": "image/png", "buffer": PNG_1PX}]
    )
    with loads(page):
        page.get_by_role("button", name="Create After-Sales Order").click()
    expect(page.get_by_role("alert").first).to_contain_text("is in To Confirm")
    case = Case.objects.get(order=order)
    expect(page.locator("#case-evidence")).to_contain_text("box.png")
    with loads(page):
        page.get_by_role("button", name="Confirm After-Sales", exact=True).click()
    expect(page.get_by_test_id("case-status")).to_have_text("Confirm Return")

    # the warehouse scans the return tracking number and receives the parcel
    _switch(page, log_in, team["warehouse"])
    with loads(page):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Stock-In / Return").click()
    page.get_by_label("Tracking number, case number or order number").fill("SPXRET-0001")
    with swaps(page):
        page.get_by_label("Tracking number, case number or order number").press("Enter")
    expect(page.locator(f"#case-{case.pk}")).to_contain_text(case.number)
    page.get_by_label("Warehouse").select_option(label="KL Returns")
    with loads(page):
        page.get_by_role("button", name="Stock-In").click()
    expect(page.get_by_role("alert").first).to_contain_text("it is now in Received Return")
    assert StockLevel.objects.get(sku=sku, warehouse=team["returns"], condition=Condition.SELLABLE).on_hand == 1

    # finance creates the refund order from the Received Return list, with a payment proof
    _switch(page, log_in, team["finance"])
    page.goto("/after-sales/?tab=received_return")
    with loads(page):
        page.locator(f"#case-{case.pk}").get_by_role("link", name="Create Refund Order").click()
    expect(page.get_by_label("Refund amount")).to_have_value("25.00")
    page.get_by_label("Payment method").select_option(label="Bank Transfer")
    page.get_by_label("Payment information").fill("Maybank 1234 5678 · Nurul Aisyah")
    page.get_by_label("Payment proof").set_input_files(
        files=[{"name": "transfer.png", "mimeType": "image/png", "buffer": PNG_1PX}]
    )
    with loads(page):
        page.get_by_role("button", name="Create Refund Order").click()
    expect(page.get_by_role("alert").first).to_contain_text("is in Refund Processing")

    # ... and confirms it on the After-Sales Refund page
    with loads(page):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="After-Sales Refund").click()
    row = page.locator(f"#refund-{case.refunds.get().pk}")
    expect(row).to_contain_text("25.00")
    with loads(page):
        row.get_by_role("button", name="Confirm Refund").click()
    expect(page.get_by_role("alert").first).to_contain_text("After-Sales Completed")

    # the case page tells the whole story
    _case_page(page, case)
    expect(page.get_by_test_id("case-status")).to_have_text("After-Sales Completed")
    timeline = page.locator("#case-timeline")
    for step in ("Created", "Confirm After-Sales", "Return stocked in", "Refund order created", "Refund confirmed"):
        expect(timeline).to_contain_text(step)
    expect(page.locator("#case-movements")).to_contain_text("KL Returns")


def test_refund_only_rejected_then_paid(page, log_in, owner, team):
    order = shipped_order(tenant=owner.tenant, lines=((Decimal("40.00"), 1),), number="SHP-RO-1")
    page.on("dialog", lambda dialog: dialog.accept())

    _switch(page, log_in, team["operator"])
    _start_case(page, order, "Refund-Only")
    with loads(page):
        page.get_by_role("button", name="Create After-Sales Order").click()
    expect(page.get_by_role("alert").first).to_contain_text("Refund-Only case")
    case = Case.objects.get(order=order)
    expect(page.get_by_role("button", name="Confirm After-Sales and Stock-In")).to_have_count(0)  # no parcel
    with loads(page):
        page.get_by_role("button", name="Confirm After-Sales", exact=True).click()
    expect(page.get_by_test_id("case-status")).to_have_text("Confirm Refund")

    _switch(page, log_in, team["finance"])
    page.goto(f"/refunds/new/{case.pk}/")
    page.get_by_label("Payment method").select_option(label="Cash")
    with loads(page):
        page.get_by_role("button", name="Create Refund Order").click()
    expect(page.get_by_role("alert").first).to_contain_text("is in Refund Processing")
    with loads(page):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="After-Sales Refund").click()
    first = case.refunds.get()
    with swaps(page):
        page.locator(f"#refund-{first.pk}").get_by_role("link", name="Reject").click()
    page.get_by_label("Reason for rejecting").fill("Buyer asked for e-wallet instead")
    with loads(page):
        page.get_by_role("button", name="Reject").click()
    expect(page.get_by_role("alert").first).to_contain_text("rejected")
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRM_REFUND

    # a new payment slip from Confirm Refund, then Confirm Refund
    page.goto("/after-sales/?tab=confirm_refund")
    with loads(page):
        page.locator(f"#case-{case.pk}").get_by_role("link", name="Create Refund Order").click()
    page.get_by_label("Refund amount").fill("35.00")
    page.get_by_label("Payment method").select_option(label="E-wallet")
    page.get_by_label("Payment information").fill("TNG 012-3456789")
    with loads(page):
        page.get_by_role("button", name="Create Refund Order").click()
    expect(page.get_by_role("alert").first).to_contain_text("is in Refund Processing")
    page.goto("/refunds/")
    second = case.refunds.exclude(pk=first.pk).get()
    with loads(page):
        page.locator(f"#refund-{second.pk}").get_by_role("button", name="Confirm Refund").click()
    expect(page.get_by_role("alert").first).to_contain_text("After-Sales Completed")

    _case_page(page, case)
    slips = page.locator("#case-refunds")
    expect(slips).to_contain_text("Rejected")
    expect(slips).to_contain_text("Buyer asked for e-wallet instead")
    expect(slips).to_contain_text("35.00")


def test_exchange_with_stock_in_exchange_order_and_the_difference_refunded(page, log_in, owner, team):
    store = StoreFactory(tenant=owner.tenant, name="Offline shop", channel=Channel.OFFLINE)
    order = shipped_order(tenant=owner.tenant, store=store, lines=((Decimal("30.00"), 2),), number="OFF-EX-1")
    SKUFactory(tenant=owner.tenant, code="TEE-XL", wholesale_price=Decimal("22.50"))
    page.on("dialog", lambda dialog: dialog.accept())

    _switch(page, log_in, team["operator"])
    _start_case(page, order, "Exchange")
    exchange_row = page.locator("#exchange-lines tbody tr").first
    pick_sku(exchange_row.get_by_role("combobox"), "TEE", "TEE-XL")
    exchange_row.locator("[name$='_qty']").fill("2")
    expect(page.locator("#total-returned")).to_have_text("60.00")
    expect(page.locator("#total-exchange")).to_have_text("45.00")
    expect(page.locator("#total-refund")).to_have_text("15.00")
    with loads(page):
        page.get_by_role("button", name="Create After-Sales Order").click()
    case = Case.objects.get(order=order)
    expect(page.get_by_test_id("refundable")).to_contain_text("15.00")

    page.get_by_role("button", name="Confirm After-Sales and Stock-In").click()
    opened(page.locator("#stock-in-panel"))
    page.get_by_label("Return warehouse").select_option(label="KL Returns")
    page.get_by_label("Stock in as").select_option(label="Damaged / quarantine")
    with loads(page):
        page.get_by_role("button", name="Confirm and stock in").click()
    expect(page.get_by_test_id("case-status")).to_have_text("Received Return")
    with loads(page):
        page.get_by_role("button", name="Generate Exchange Order").click()
    expect(page.get_by_role("alert").first).to_contain_text("Waiting to Approve")
    case.refresh_from_db()
    exchange_order = case.exchange_order
    assert StockLevel.objects.get(warehouse=team["returns"], condition=Condition.DAMAGED).on_hand == 2

    # the seller approves the exchange order in Order Entry
    _switch(page, log_in, owner)
    page.goto("/orders/entry/")
    row = page.locator(f"#order-{exchange_order.pk}")
    expect(row).to_contain_text(case.number)
    with loads(page):
        row.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert").first).to_contain_text("approved")
    exchange_order.refresh_from_db()
    assert exchange_order.status == OrderStatus.NEW

    # finance refunds the difference
    _switch(page, log_in, team["finance"])
    page.goto(f"/refunds/new/{case.pk}/")
    expect(page.get_by_label("Refund amount")).to_have_value("15.00")
    page.get_by_label("Refund amount").fill("15.01")
    page.get_by_label("Payment method").select_option(label="Cash")
    with loads(page):
        page.get_by_role("button", name="Create Refund Order").click()
    expect(page.get_by_text(re.compile("more than the refundable 15.00"))).to_be_visible()
    page.get_by_label("Refund amount").fill("15.00")
    with loads(page):
        page.get_by_role("button", name="Create Refund Order").click()
    expect(page.get_by_role("alert").first).to_contain_text("is in Refund Processing")
    page.goto("/refunds/")
    with loads(page):
        page.locator(f"#refund-{case.refunds.get().pk}").get_by_role("button", name="Confirm Refund").click()
    expect(page.get_by_role("alert").first).to_contain_text("After-Sales Completed")
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.refunded() == Decimal("15.00")


def test_an_exchange_with_nothing_to_refund_is_completed_without_a_refund_order(page, log_in, owner, team):
    order = shipped_order(tenant=owner.tenant, lines=((Decimal("20.00"), 1),), number="SHP-EX-0")
    SKUFactory(tenant=owner.tenant, code="CASE-PRO", wholesale_price=Decimal("35.00"))
    page.on("dialog", lambda dialog: dialog.accept())
    _switch(page, log_in, team["operator"])
    _start_case(page, order, "Exchange")
    row = page.locator("#exchange-lines tbody tr").first
    pick_sku(row.get_by_role("combobox"), "case-p", "CASE-PRO")
    row.locator("[name$='_qty']").fill("1")
    expect(page.locator("#total-refund")).to_have_text("-15.00")
    with loads(page):
        page.get_by_role("button", name="Create After-Sales Order").click()
    expect(page.get_by_test_id("refundable")).to_contain_text("0.00")
    with loads(page):
        page.get_by_role("button", name="Confirm After-Sales", exact=True).click()
    expect(page.get_by_test_id("case-status")).to_have_text("Confirm Exchange")
    with loads(page):
        page.get_by_role("button", name="Generate Exchange Order").click()
    expect(page.get_by_role("alert").first).to_contain_text("Waiting to Approve")
    case = Case.objects.get(order=order)

    _switch(page, log_in, team["warehouse"])
    page.goto(f"/stock/?q={case.number}")
    page.get_by_label("Warehouse").select_option(label="KL Returns")
    with loads(page):
        page.get_by_role("button", name="Stock-In").click()
    expect(page.get_by_role("alert").first).to_contain_text("it is now in Received Return")

    _switch(page, log_in, team["operator"])
    _case_page(page, case)
    expect(page.get_by_role("link", name="Create Refund Order")).to_have_count(0)
    with loads(page):
        page.get_by_role("button", name="Complete After-Sales").click()
    expect(page.get_by_test_id("case-status")).to_have_text("After-Sales Completed")
    assert not case.refunds.exists()
