"""The demo's distributor and supplier close the seed's loop in a real browser, each in its own
session, on the data `seed_demo` gives a new user: the seller pushes the return of DIST-1001, the
supplier scans its parcel in on Stock-In / Return and refunds to the Customer Balance, the seller
refunds its buyer, confirms the supplier's bank transfer of DIST-1007 and pays DIST-1008 from the
balance. Both sides' stock and balance ledgers agree at the end."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from playwright.sync_api import expect

from aftersales.models import Case
from core.demo import DEMO_PASSWORD
from distribution.models import BalanceMovement, DistributorRefund, Partnership, StockOut, SupplierReturn
from inventory.models import StockLevel, StockMovement
from tests.browser.waits import loads, swaps

pytestmark = pytest.mark.django_db(transaction=True)


def _balance(tenant, partnership) -> Decimal:
    rows = BalanceMovement.objects.filter(tenant=tenant, partnership=partnership)
    return rows.aggregate(s=Sum("amount"))["s"] or Decimal("0")


def _ledger_agrees(tenant) -> None:
    """Every stock level of `tenant` is the sum of its movements."""
    for level in StockLevel.objects.filter(tenant=tenant):
        moved = StockMovement.objects.filter(
            tenant=tenant, sku=level.sku, warehouse=level.warehouse, condition=level.condition
        ).aggregate(s=Sum("quantity"))["s"]
        assert level.on_hand == (moved or 0), level


def test_the_demo_seller_and_supplier_close_the_loop(session):
    call_command("seed_demo", verbosity=0)
    case = Case.objects.get(order__number="DIST-1001")
    partnership = Partnership.objects.get(distributor=case.tenant, status="active")
    before = _balance(case.tenant, partnership)

    seller = session("seller@demo.local", DEMO_PASSWORD)
    with loads(seller):
        seller.goto("/distribution/")
    with loads(seller):
        seller.get_by_role("link", name=case.number).click()
    with loads(seller):
        seller.get_by_role("button", name="Push", exact=True).click()
    expect(seller.get_by_text(f"{case.number}: pushed to")).to_be_visible()
    supplier_return = SupplierReturn.objects.get(case_number=case.number)

    # the supplier's warehouse scans the parcel's tracking number and stocks it in
    supplier = session("supplier@demo.local", DEMO_PASSWORD)
    with loads(supplier):
        supplier.goto("/stock/")
    supplier.get_by_label("Tracking number, case number or order number").fill(case.return_tracking_number)
    with swaps(supplier):
        supplier.get_by_role("button", name="Find").click()
    found = supplier.locator(f"#bigshop-return-{supplier_return.pk}")
    expect(found).to_contain_text(case.tenant.name)
    with loads(supplier):
        found.get_by_role("button", name="Stock-In").click()
    expect(supplier.get_by_text(f"Return {supplier_return.number} stocked in")).to_be_visible()

    # ... and its finance refunds the distributor to the Customer Balance
    with loads(supplier):
        supplier.goto(f"/bigshop/returns/{supplier_return.pk}/")
    refundable = supplier.get_by_test_id("refund-figures")
    expect(refundable).to_contain_text("Refundable")
    with loads(supplier):
        supplier.get_by_role("button", name="Create Refund Order").click()
    expect(supplier.get_by_test_id("return-status")).to_have_text("After-Sales Completed")
    credited = DistributorRefund.objects.get(supplier_return=supplier_return).amount
    assert credited > 0

    # the seller's case followed: received by the supplier, then its buyer is refunded
    with loads(seller):
        seller.goto(f"/after-sales/{case.pk}/")
    expect(seller.get_by_test_id("case-status")).to_have_text("Received Return")
    timeline = seller.locator("#case-timeline")
    for step in ("Pushed to the supplier", "Received by the supplier", "Refund order created"):
        expect(timeline).to_contain_text(step)
    with loads(seller):
        seller.goto(f"/refunds/new/{case.pk}/")
    seller.get_by_label("Payment method").select_option(label="Platform refund")
    with loads(seller):
        seller.get_by_role("button", name="Create Refund Order").click()
    expect(seller.get_by_role("alert").first).to_contain_text("is in Refund Processing")
    with loads(seller):
        seller.goto("/refunds/")
    with loads(seller):
        seller.locator(f"#refund-{case.refunds.get().pk}").get_by_role("button", name="Confirm Refund").click()
    expect(seller.get_by_role("alert").first).to_contain_text("After-Sales Completed")

    # the supplier's bank transfer of DIST-1007 is confirmed on After-Sales Refund, its proof in view
    transfer = DistributorRefund.objects.get(supplier_return__order_number="DIST-1007")
    with swaps(seller):
        seller.get_by_role("tab", name="From Suppliers").click()
    row = seller.get_by_test_id("from-suppliers").locator("tr", has_text=transfer.number)
    expect(row.get_by_role("link", name="View proof")).to_be_visible()
    with loads(seller):
        row.get_by_role("button", name="Confirm receipt").click()
    transfer.refresh_from_db()
    assert transfer.status == DistributorRefund.Status.COMPLETED

    # the balance pays the next purchase, DIST-1008, on the partnership's page
    unsettled = StockOut.objects.get(order_number="DIST-1008").unsettled
    with loads(seller):
        seller.goto(f"/distribution/partnerships/{partnership.pk}/")
    with loads(seller):
        seller.get_by_test_id("unsettled-orders").locator("tr", has_text="DIST-1008").get_by_role(
            "button", name="Pay with balance"
        ).click()
    paid = min(before + credited, unsettled)
    assert StockOut.objects.get(order_number="DIST-1008").unsettled == unsettled - paid

    # both sides' ledgers agree: one balance, each stock level the sum of its movements
    ours, theirs = _balance(case.tenant, partnership), _balance(partnership.supplier, partnership)
    assert ours == theirs == before + credited - paid
    expect(seller.get_by_test_id("balances")).to_contain_text(f"{ours:,.2f}")
    _ledger_agrees(case.tenant)
    _ledger_agrees(partnership.supplier)
    case.refresh_from_db()
    assert case.status == "completed"
