"""The supplier's stock-in pages: the shared Stock-In / Return scan page finds its BigShop returns,
After Sales Orders - BigShop > Confirm Return stocks a selection in; the distributor's scan page
says its distribution cases are the supplier's to stock in, and filters by shipping warehouse and
supplier."""

from decimal import Decimal

import pytest
from django.urls import reverse

from aftersales.models import CaseStatus
from aftersales.services import case_cancel, case_confirm
from distribution.models import InboundStatus, SupplierReturn
from distribution.services import return_push
from distribution.services.bigshop import supplier_return_receive
from inventory.models import StockMovement, WarehouseKind
from tests.distribution.helpers import distribution_order, make_bridge, pushed_return
from tests.factories import UserFactory, WarehouseFactory, make_case, shipped_order

pytestmark = pytest.mark.django_db
SCAN = reverse("inventory:index")


def _tracked(bridge, tracking="RT123456789"):
    """A confirmed case on a distribution order with the buyer's return tracking number, pushed."""
    order = distribution_order(bridge, lines=((Decimal("25.00"), 2),)).order
    case = make_case(order=order, actor=bridge.distributor, return_tracking_number=tracking)
    case_confirm(case=case, actor=bridge.distributor)
    push = return_push(push=case.distribution_push, actor=bridge.distributor)
    return case, push.supplier_return


def _said(answer) -> list[str]:
    return [str(m) for m in answer.context["messages"]]


def test_the_supplier_scans_the_parcels_tracking_number_and_stocks_it_in_on_the_scan_page(login):
    bridge = make_bridge()
    case, supplier_return = _tracked(bridge)
    line = supplier_return.lines.get()
    client = login(bridge.supplier)
    page = client.get(SCAN, {"q": "rt123456789"})  # as a scanner types it, in any case
    html = page.content.decode()
    assert f'id="bigshop-return-{supplier_return.pk}"' in html and bridge.distributor.tenant.name in html
    assert line.sku.code in html and f'name="sellable-{line.pk}"' in html and ">Stock-In</button>" in html
    assert "No after-sales case matches" not in html
    for code in (supplier_return.number, case.number, case.order.number):  # each code it copies finds it
        assert f'id="bigshop-return-{supplier_return.pk}"' in client.get(SCAN, {"q": code}).content.decode()
    form = {"back": "scan", "q": "RT123456789", "warehouse": bridge.supplier_warehouse.pk, f"sellable-{line.pk}": "2"}
    answer = client.post(reverse("bigshop:return", args=[supplier_return.pk]), form, follow=True)
    assert answer.redirect_chain[-1][0] == SCAN  # back on the scan page, ready for the next parcel
    assert any(supplier_return.number in m and "Received Return" in m for m in _said(answer))
    supplier_return.refresh_from_db()
    case.refresh_from_db()
    assert supplier_return.status == InboundStatus.RECEIVED and case.status == CaseStatus.RECEIVED_RETURN
    moved = StockMovement.objects.for_tenant(bridge.supplier.tenant).filter(reason="return_stock_in")
    assert list(moved.values_list("warehouse", "quantity")) == [(bridge.supplier_warehouse.pk, 2)]


def test_a_refused_stock_in_goes_back_to_the_same_scan_with_the_reason(login):
    bridge = make_bridge()
    _, supplier_return = _tracked(bridge)
    line = supplier_return.lines.get()
    third = WarehouseFactory(tenant=bridge.supplier.tenant, kind=WarehouseKind.THIRD_PARTY)
    form = {"back": "scan", "q": "RT123456789", "warehouse": third.pk, f"sellable-{line.pk}": "2"}
    answer = login(bridge.supplier).post(reverse("bigshop:return", args=[supplier_return.pk]), form, follow=True)
    assert answer.redirect_chain[-1][0] == f"{SCAN}?q=RT123456789"
    assert any("own active warehouses" in m for m in _said(answer))
    assert f'id="bigshop-return-{supplier_return.pk}"' in answer.content.decode()


def test_a_received_or_recalled_return_says_why_it_cannot_be_stocked_in(login):
    bridge = make_bridge()
    _, received = _tracked(bridge, tracking="RT-A")
    recalled_case, recalled = _tracked(bridge, tracking="RT-B")
    supplier_return_receive(
        supplier_return=received, actor=bridge.supplier, warehouse=bridge.supplier_warehouse,
        received={line.pk: (line.quantity, 0) for line in received.lines.all()},
    )  # fmt: skip
    case_cancel(case=recalled_case, actor=bridge.distributor, reason="Buyer kept it")
    client = login(bridge.supplier)
    html = client.get(SCAN, {"q": "RT-A"}).content.decode()
    assert f"Return {received.number} was already received on" in html and bridge.supplier_warehouse.name in html
    assert ">Stock-In</button>" not in html
    html = client.get(SCAN, {"q": "RT-B"}).content.decode()
    assert f"Return {recalled.number} was recalled" in html and ">Stock-In</button>" not in html


def test_the_distributors_scan_says_the_supplier_stocks_its_distribution_case_in(login):
    bridge = make_bridge()
    case, _ = _tracked(bridge)
    own = WarehouseFactory(tenant=bridge.distributor.tenant, kind=WarehouseKind.OWN)
    client = login(bridge.distributor)
    page = client.get(SCAN, {"q": "RT123456789"})
    refused = [why for _, why in page.context["scan"].refused]
    assert len(refused) == 1 and bridge.supplier.tenant.name in refused[0] and "stocks its parcel in" in refused[0]
    assert not page.context["scan"].waiting and "form" not in page.context
    receive = reverse("inventory:return-receive", args=[case.pk])
    assert bridge.supplier.tenant.name in client.get(receive).content.decode()
    line = case.lines.get()
    client.post(receive, {"warehouse": own.pk, f"sellable-{line.pk}": "2", f"damaged-{line.pk}": "0"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRM_RETURN
    assert not StockMovement.objects.filter(reason="return_stock_in").exists()
    # the waiting list shows the case with the reason, not a Stock-In button
    html = client.get(SCAN).content.decode()
    assert 'data-testid="stocked-elsewhere"' in html and receive not in html and bridge.supplier.tenant.name in html


def test_once_the_supplier_received_it_the_distributors_scan_says_so(login):
    bridge = make_bridge()
    case, supplier_return = _tracked(bridge)
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=bridge.supplier_warehouse,
        received={line.pk: (line.quantity, 0) for line in supplier_return.lines.all()},
    )  # fmt: skip
    page = login(bridge.distributor).get(SCAN, {"q": case.number})
    [(_, why)] = page.context["scan"].refused
    assert "already received" in why and bridge.distributor_warehouse.name in why
    detail = login(bridge.distributor).get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert "Received by the supplier" in detail and supplier_return.number in detail


def test_the_waiting_list_filters_by_shipping_warehouse_and_supplier(login):
    bridge = make_bridge()
    distributed, _ = _tracked(bridge)
    ordinary = make_case(order=shipped_order(tenant=bridge.distributor.tenant), actor=bridge.distributor)
    case_confirm(case=ordinary, actor=bridge.distributor)
    client = login(bridge.distributor)
    page = client.get(SCAN)
    html = page.content.decode()
    assert 'name="warehouse"' in html and 'name="supplier"' in html and "Shipping Warehouse" in html
    assert {c.pk for c in page.context["page"]} == {distributed.pk, ordinary.pk}
    for params in ({"supplier": bridge.supplier.tenant.pk}, {"warehouse": bridge.distributor_warehouse.pk}):
        assert [c.pk for c in client.get(SCAN, params).context["page"]] == [distributed.pk]
    assert [c.pk for c in client.get(SCAN, {"warehouse": ordinary.order.warehouse_id}).context["page"]] == [ordinary.pk]


def test_confirm_return_tabs_count_and_a_selection_is_stocked_in_with_a_result_per_row(login):
    bridge = make_bridge()
    (first_push, first), (_, second), (_, done) = (pushed_return(bridge) for _ in range(3))
    supplier_return_receive(
        supplier_return=done, actor=bridge.supplier, warehouse=bridge.supplier_warehouse,
        received={line.pk: (line.quantity, 0) for line in done.lines.all()},
    )  # fmt: skip
    client = login(bridge.supplier)
    page = client.get(reverse("bigshop:index"))
    tabs = {tab.label: tab.count for tab in page.context["tabs"]}
    assert tabs == {
        "Confirm Return": 2, "Received Return": 1, "Refund Processing": 0, "After-Sales Completed": 0,
        "Recalled": 0, "All": 3,
    }  # fmt: skip
    html = page.content.decode()
    assert f'name="return" value="{first.pk}"' in html and 'name="warehouse"' in html
    form = {"return": [first.pk, second.pk, done.pk], "warehouse": bridge.supplier_warehouse.pk}
    answer = client.post(reverse("bigshop:receive-selected"), form, follow=True)
    said = _said(answer)
    assert any(m.startswith(f"{first.number}: stocked in") for m in said)
    assert any(m.startswith(f"{second.number}: stocked in") for m in said)
    assert any(m.startswith(f"{done.number}:") and "nothing to stock in" in m for m in said)
    tabs = {tab.label: tab.count for tab in answer.context["tabs"]}
    assert tabs["Confirm Return"] == 0 and tabs["Received Return"] == 3
    first_push.case.refresh_from_db()
    assert first_push.case.status == CaseStatus.RECEIVED_RETURN
    # the other tabs and the All tab still list them, with their state
    assert f'id="return-{first.pk}"' in client.get(reverse("bigshop:index"), {"tab": "all"}).content.decode()


def test_confirm_return_refuses_a_missing_or_foreign_warehouse_and_other_suppliers_returns(login):
    bridge = make_bridge()
    _, mine = pushed_return(bridge)
    _, theirs = pushed_return(make_bridge())  # another supplier's return
    client = login(bridge.supplier)
    url = reverse("bigshop:receive-selected")
    foreign = WarehouseFactory(tenant=theirs.tenant, kind=WarehouseKind.OWN)
    third = WarehouseFactory(tenant=bridge.supplier.tenant, kind=WarehouseKind.THIRD_PARTY)
    for form in (
        {"return": [mine.pk]},
        {"return": [mine.pk], "warehouse": foreign.pk},
        {"return": [mine.pk], "warehouse": third.pk},
        {"return": [mine.pk], "warehouse": "\x00"},
        {"return": [theirs.pk], "warehouse": bridge.supplier_warehouse.pk},
        {"return": ["9" * 30], "warehouse": bridge.supplier_warehouse.pk},
    ):
        answer = client.post(url, form, follow=True)
        assert answer.status_code == 200 and any(m.level_tag == "error" for m in answer.context["messages"]), form
    assert set(SupplierReturn.objects.values_list("status", flat=True)) == {InboundStatus.PENDING}


def test_confirm_return_needs_the_stock_in_role(login):
    bridge = make_bridge()
    _, supplier_return = pushed_return(bridge)
    viewer = UserFactory(tenant=bridge.supplier.tenant, perms=["accounts.manual_aftersales"])
    client = login(viewer)
    page = client.get(reverse("bigshop:index"))
    assert page.status_code == 200 and 'name="return"' not in page.content.decode()
    form = {"return": [supplier_return.pk], "warehouse": bridge.supplier_warehouse.pk}
    assert client.post(reverse("bigshop:receive-selected"), form).status_code == 403
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.PENDING


def test_the_distributor_cannot_post_confirm_return():
    """The isolation walk for the URL without an id: a distributor (not a supplier) has no BigShop."""
    bridge = make_bridge()
    _, supplier_return = pushed_return(bridge)
    from django.test import Client

    client = Client()
    client.force_login(bridge.distributor)
    form = {"return": [supplier_return.pk], "warehouse": bridge.supplier_warehouse.pk}
    assert client.post(reverse("bigshop:receive-selected"), form).status_code in (403, 404)
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.PENDING


def test_the_distributors_case_page_offers_no_stock_in_for_a_parcel_the_supplier_takes(login):
    bridge = make_bridge()
    order = distribution_order(bridge).order
    case = make_case(order=order, actor=bridge.distributor)
    client = login(bridge.distributor)
    url = reverse("aftersales:detail", args=[case.pk])
    page = client.get(url).content.decode()
    assert 'data-transition="confirm"' in page  # To Confirm: Confirm After-Sales, but not "... and Stock-In"
    assert 'data-transition="confirm_and_stock_in"' not in page
    case_confirm(case=case, actor=bridge.distributor)
    page = client.get(url).content.decode()
    assert 'data-transition="receive"' not in page
    said = page.split('data-testid="stocked-elsewhere"', 1)[1].split("</div>", 1)[0]
    assert f"{bridge.supplier.tenant.name} stocks its parcel in" in said
    # a case on an order of its own warehouse still has both
    own = make_case(order=shipped_order(tenant=bridge.distributor.tenant), actor=bridge.distributor)
    assert (
        'data-transition="confirm_and_stock_in"'
        in client.get(reverse("aftersales:detail", args=[own.pk])).content.decode()
    )
