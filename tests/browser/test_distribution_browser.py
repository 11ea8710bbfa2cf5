"""Distribution after-sales in a real browser, each side in its own session: the distributor pushes
a return, the supplier stocks the parcel in and refunds to the Customer Balance, the distributor
sees the refund on its record and the balance on its page."""

from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse
from playwright.sync_api import expect

from aftersales.services import case_confirm
from distribution.models import BalanceMovement, InboundStatus, StockOut, SupplierReturn
from distribution.services import return_push
from distribution.services.bigshop import supplier_return_receive
from tests.browser.waits import loads, swaps
from tests.distribution.helpers import distribution_order, make_bridge
from tests.factories import PNG_1PX, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_push_stock_in_and_refund_to_balance_close_the_loop(session):
    bridge = make_bridge()
    order = distribution_order(bridge, lines=((Decimal("25.00"), 2),), supplier_price=Decimal("15.00")).order
    StockOut.objects.update(settled_amount=F("amount") + F("distribution_fee"))  # the distributor paid for it
    case = make_case(order=order, actor=bridge.distributor)

    distributor = session(bridge.distributor)
    with loads(distributor):
        distributor.goto("/distribution/")
    with loads(distributor):
        distributor.get_by_role("link", name=case.number).click()
    with loads(distributor):
        distributor.get_by_role("button", name="Push").click()
    expect(distributor.get_by_text(f"{case.number}: pushed to")).to_be_visible()

    supplier = session(bridge.supplier)
    with loads(supplier):
        supplier.goto("/bigshop/returns/")
    supplier_return = SupplierReturn.objects.get()
    with loads(supplier):
        supplier.get_by_role("link", name=supplier_return.number).click()
    with loads(supplier):
        supplier.get_by_role("button", name="Stock-In").click()
    expect(supplier.get_by_text("it is in Received Return")).to_be_visible()
    expect(supplier.get_by_test_id("refund-figures")).to_contain_text("30.00")  # 15.00 x 2, all settled, no fee
    with loads(supplier):
        supplier.get_by_role("button", name="Create Refund Order").click()
    expect(supplier.get_by_test_id("return-status")).to_have_text("After-Sales Completed")

    with loads(distributor):
        distributor.goto(f"/distribution/{case.distribution_push.pk}/")
    expect(distributor.get_by_test_id("supplier-refund")).to_contain_text("Customer Balance")
    with loads(distributor):
        distributor.goto("/distribution/")
    expect(distributor.get_by_test_id("balances")).to_contain_text("30.00")
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED


def test_a_bank_transfer_with_its_proof_is_confirmed_on_after_sales_refund_and_the_balance_pays_an_order(
    session, tmp_path, media
):
    bridge = make_bridge()
    order = distribution_order(bridge, lines=((Decimal("25.00"), 2),), supplier_price=Decimal("15.00")).order
    StockOut.objects.update(settled_amount=F("amount") + F("distribution_fee"))
    push = return_push(
        push=make_case(order=order, actor=bridge.distributor).distribution_push, actor=bridge.distributor
    )
    supplier_return = push.supplier_return
    received = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=supplier_return.warehouse, received=received
    )
    slip = tmp_path / "transfer.png"
    slip.write_bytes(PNG_1PX)

    supplier = session(bridge.supplier)
    with loads(supplier):
        supplier.goto(f"/bigshop/returns/{supplier_return.pk}/")
    supplier.get_by_label("Refund method").select_option("bank_transfer")
    supplier.get_by_label("Refund amount").fill("12.00")
    supplier.get_by_label("Bank details").fill("Maybank 5140 1234")
    supplier.get_by_label("Transfer proof").set_input_files(str(slip))
    with loads(supplier):
        supplier.get_by_role("button", name="Create Refund Order").click()
    expect(supplier.get_by_test_id("return-status")).to_have_text("Refund Processing")
    expect(supplier.get_by_role("link", name="View proof")).to_be_visible()

    distributor = session(bridge.distributor)
    with loads(distributor):
        distributor.goto("/refunds/")
    expect(distributor.get_by_role("tab", name="From Suppliers 1")).to_be_visible()
    with loads(distributor):
        distributor.goto("/refunds/?tab=from_suppliers")
    rows = distributor.get_by_test_id("from-suppliers")
    expect(rows).to_contain_text("Maybank 5140 1234")
    expect(rows.get_by_role("link", name="View proof")).to_be_visible()
    with loads(distributor):
        rows.get_by_role("button", name="Confirm receipt").click()
    expect(distributor.get_by_text("confirmed as received")).to_be_visible()
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED

    # a balance of 30.00, on both ledgers, pays an order not paid yet
    for tenant in (bridge.distributor.tenant, bridge.supplier.tenant):
        BalanceMovement.objects.create(
            tenant=tenant, partnership=bridge.partnership, amount=Decimal("30.00"), currency="MYR",
            source="Opening balance", source_key="opening",
        )  # fmt: skip
    unpaid = distribution_order(bridge, lines=((Decimal("25.00"), 1),), supplier_price=Decimal("15.00"))
    with loads(distributor):
        distributor.goto(f"/distribution/partnerships/{bridge.partnership.pk}/")
    expect(distributor.get_by_test_id("unsettled-orders")).to_contain_text(unpaid.order.number)
    with loads(distributor):
        distributor.get_by_role("button", name="Pay with balance").click()
    expect(distributor.get_by_text("paid from the Customer Balance")).to_be_visible()
    expect(distributor.get_by_test_id("unsettled-orders")).to_contain_text("Every order is settled")


def test_the_supplier_scans_the_parcel_in_on_stock_in_and_the_distributors_case_follows(session):
    bridge = make_bridge()
    order = distribution_order(bridge, lines=((Decimal("25.00"), 2),)).order
    case = make_case(order=order, actor=bridge.distributor, return_tracking_number="RT998877")
    case_confirm(case=case, actor=bridge.distributor)
    return_push(push=case.distribution_push, actor=bridge.distributor)
    supplier_return = SupplierReturn.objects.get()

    supplier = session(bridge.supplier)
    with loads(supplier):
        supplier.goto("/stock/")
    supplier.get_by_label("Tracking number, case number or order number").fill("RT998877")
    with swaps(supplier):
        supplier.get_by_role("button", name="Find").click()
    found = supplier.locator(f"#bigshop-return-{supplier_return.pk}")
    expect(found).to_contain_text(bridge.distributor.tenant.name)
    expect(found).to_contain_text(supplier_return.lines.get().sku.code)
    with loads(supplier):
        found.get_by_role("button", name="Stock-In").click()
    expect(supplier.get_by_text(f"Return {supplier_return.number} stocked in")).to_be_visible()
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.RECEIVED

    distributor = session(bridge.distributor)
    with loads(distributor):
        distributor.goto(reverse("aftersales:detail", args=[case.pk]))
    expect(distributor.get_by_test_id("case-status")).to_have_text("Received Return")
    expect(distributor.get_by_text("Received by the supplier")).to_be_visible()
