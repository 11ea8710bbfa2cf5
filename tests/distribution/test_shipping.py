"""An order shipped from a supplier warehouse: the supplier's stock, the distribution order made by the
shipment (orders.signals.order_shipped), a refusal shown on the order page, and Make distribution order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Refused
from distribution.models import DistributionOrder, PushStatus, ReturnPush, StockOut
from distribution.services import auto_push_set, partnership_terminate, sku_map
from inventory.models import MovementReason, StockLevel, StockMovement
from orders import events as order_events
from orders.cancellation import third_party_warning
from orders.models import OrderEvent, OrderStatus
from orders.selectors import cancelled_to_stock_in
from orders.services import (
    cancelled_order_stock_in,
    order_approve,
    order_cancel_by_platform,
    order_entry_create,
    order_ship,
)
from tests.distribution.helpers import make_bridge
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    OrderItemFactory,
    SKUFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
)

pytestmark = pytest.mark.django_db


def _new_order(bridge, *, quantity: int = 2, mapped: bool = True, warehouse=None, **order_fields):
    order = OrderFactory(
        tenant=bridge.distributor.tenant,
        warehouse=warehouse or bridge.distributor_warehouse,
        ordered_at=timezone.now() - timedelta(days=2),
        paid_amount=Decimal("25.00") * quantity,
        **order_fields,
    )
    item = OrderItemFactory(order=order, quantity=quantity, unit_price=Decimal("25.00"))
    theirs = SKUFactory(tenant=bridge.supplier.tenant, wholesale_price=Decimal("15.00"))
    if mapped:
        sku_map(partnership=bridge.partnership, actor=bridge.distributor, sku=item.sku, supplier_code=theirs.code)
    return order, item.sku, theirs


def _map(bridge, sku, theirs) -> None:
    sku_map(partnership=bridge.partnership, actor=bridge.distributor, sku=sku, supplier_code=theirs.code)


def test_shipping_from_a_supplier_warehouse_makes_the_distribution_order_not_a_stock_out_of_ours(login):
    bridge = make_bridge()
    order, _, theirs = _new_order(bridge)
    order_ship(order=order, actor=None, tracking_number="TRK1")
    ends = DistributionOrder.objects.get(order=order)
    stock_out = StockOut.objects.get(distribution_order=ends)
    assert stock_out.tenant_id == bridge.supplier.tenant_id and stock_out.amount == Decimal("30.00")
    assert [(line.sku, line.quantity) for line in stock_out.lines.all()] == [(theirs, 2)]
    # the supplier's stock left the supplier's ledger; nothing left the distributor's
    assert not StockMovement.objects.filter(tenant=bridge.distributor.tenant).exists()
    assert not StockLevel.objects.filter(warehouse=bridge.distributor_warehouse).exists()
    taken = StockMovement.objects.get(tenant=bridge.supplier.tenant, sku=theirs)
    assert (taken.quantity, taken.reason, taken.warehouse) == (
        -2,
        MovementReason.ORDER_SHIPPED,
        bridge.supplier_warehouse,
    )
    page = login(bridge.distributor).get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert f"fulfilled by {bridge.supplier.tenant.name}" in page
    assert 'data-testid="distribution-missing"' not in page and "Make distribution order</button>" not in page


def test_shipping_from_an_own_warehouse_still_takes_the_stock_out(login):
    bridge = make_bridge()
    own = WarehouseFactory(tenant=bridge.distributor.tenant)
    order, _, _ = _new_order(bridge, warehouse=own)
    order_ship(order=order, actor=None)
    assert StockMovement.objects.get(order=order).quantity == -2
    assert not DistributionOrder.objects.exists()
    assert (
        "distribution order"
        not in login(bridge.distributor).get(reverse("orders:detail", args=[order.pk])).content.decode().lower()
    )


def test_an_unmapped_sku_leaves_the_shipment_standing_and_the_seller_told_then_made_once_mapped(login):
    bridge = make_bridge()
    order, sku, theirs = _new_order(bridge, mapped=False)
    order_ship(order=order, actor=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED and not DistributionOrder.objects.exists()
    assert not StockOut.objects.exists() and not StockMovement.objects.exists()  # the refused attempt wrote nothing
    refused = OrderEvent.objects.get(order=order, type=OrderEvent.Type.DISTRIBUTION_REFUSED)
    assert "is not mapped" in refused.data["reason"]
    client = login(bridge.distributor)
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "No distribution order" in page and f"{sku.code} is not mapped" in page
    assert "Make distribution order</button>" in page
    # Make distribution order before the fix: refused again, said
    said = client.post(reverse("distribution:order-make", args=[order.pk]), follow=True)
    assert any("is not mapped" in str(m) for m in said.context["messages"])
    _map(bridge, sku, theirs)
    said = client.post(reverse("distribution:order-make", args=[order.pk]), follow=True)
    assert any("Distribution order of" in str(m) for m in said.context["messages"])
    assert StockOut.objects.get(distribution_order__order=order).lines.get().quantity == 2
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "No distribution order" not in page and f"fulfilled by {bridge.supplier.tenant.name}" in page
    client.post(reverse("distribution:order-make", args=[order.pk]))  # a double click makes nothing more
    assert StockOut.objects.count() == 1


def test_make_distribution_order_needs_the_distribution_permission(login):
    bridge = make_bridge()
    order, sku, theirs = _new_order(bridge, mapped=False)
    order_ship(order=order, actor=None)
    _map(bridge, sku, theirs)
    clerk = UserFactory(tenant=bridge.distributor.tenant, perms=["accounts.cancel_orders"])
    client = login(clerk)
    assert (
        "Make distribution order</button>" not in client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    )
    assert client.post(reverse("distribution:order-make", args=[order.pk])).status_code == 403
    assert not DistributionOrder.objects.exists()


def test_an_ended_partnership_refuses_the_distribution_order_and_says_so():
    bridge = make_bridge()
    order, _, _ = _new_order(bridge)
    partnership_terminate(partnership=bridge.partnership, actor=bridge.distributor)
    order_ship(order=order, actor=None)
    refused = OrderEvent.objects.get(order=order, type=OrderEvent.Type.DISTRIBUTION_REFUSED)
    assert "is not active" in refused.data["reason"] and not DistributionOrder.objects.exists()


def test_an_order_not_shipped_yet_has_no_distribution_order():
    bridge = make_bridge()
    order, _, _ = _new_order(bridge)
    with pytest.raises(Refused) as refused:
        from distribution.services import distribution_order_create

        distribution_order_create(order=order, actor=bridge.distributor)
    assert refused.value.code == "not_shipped"


def test_a_case_on_an_order_shipped_before_makes_its_distribution_order_and_its_record():
    bridge = make_bridge()
    order, _, _ = _new_order(bridge, status=OrderStatus.SHIPPED, shipped_at=timezone.now())
    assert not DistributionOrder.objects.exists()  # shipped before distribution made them
    case = make_case(order=order, actor=bridge.distributor)
    push = ReturnPush.objects.get(case=case)
    assert push.status == PushStatus.TO_PUSH and push.distribution_order.order == order


def test_a_case_whose_order_cannot_have_a_distribution_order_says_why_then_gets_its_record(login):
    bridge = make_bridge()
    order, sku, theirs = _new_order(bridge, mapped=False, status=OrderStatus.SHIPPED, shipped_at=timezone.now())
    case = make_case(order=order, actor=bridge.distributor)  # the case stands
    assert not ReturnPush.objects.exists()
    client = login(bridge.distributor)
    page = client.get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert "No distribution order" in page and f"{sku.code} is not mapped" in page
    _map(bridge, sku, theirs)
    client.post(reverse("distribution:order-make", args=[order.pk]))
    push = ReturnPush.objects.get(case=case)
    assert push.status == PushStatus.TO_PUSH
    page = client.get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert reverse("distribution:push-detail", args=[push.pk]) in page and "No distribution order" not in page


def test_a_cancelled_order_shipped_from_a_supplier_warehouse_has_nothing_to_stock_in(login):
    bridge = make_bridge()
    order, _, _ = _new_order(bridge)
    order_ship(order=order, actor=None)
    order.refresh_from_db()
    order_cancel_by_platform(order=order, reason="Cancelled on the platform")
    assert list(cancelled_to_stock_in(tenant=order.tenant, user=bridge.distributor)) == []
    with pytest.raises(Refused) as refused:
        cancelled_order_stock_in(order=order, actor=bridge.distributor)
    assert refused.value.code == "supplier_stock"
    page = login(bridge.distributor).get(reverse("orders:canceled")).content.decode()
    assert "Nothing to stock in (the supplier's stock)" in page


def test_order_entry_offers_the_supplier_warehouse_and_its_order_ships_from_it(login):
    bridge = make_bridge()
    client = login(bridge.distributor)
    form = client.get(reverse("orders:entry-create")).context["form"]
    assert bridge.distributor_warehouse in form.fields["warehouse"].queryset
    tenant = bridge.distributor.tenant
    sku, theirs = SKUFactory(tenant=tenant), SKUFactory(tenant=bridge.supplier.tenant, wholesale_price=Decimal("9.00"))
    _map(bridge, sku, theirs)
    order = order_entry_create(
        tenant=tenant,
        actor=bridge.distributor,
        store=StoreFactory(tenant=tenant),
        warehouse=bridge.distributor_warehouse,
        buyer=BuyerFactory(tenant=tenant),
        lines=[(sku, 3, Decimal("20.00"))],
    )
    order_approve(order=order, actor=bridge.distributor)
    order_ship(order=order, actor=bridge.distributor)
    assert StockOut.objects.get(distribution_order__order=order).amount == Decimal("27.00")


def test_agreeing_to_cancel_an_order_the_supplier_shipped_says_to_settle_it_with_the_supplier():
    bridge = make_bridge()
    order, _, _ = _new_order(bridge)
    order_ship(order=order, actor=None)
    order.refresh_from_db()
    warning = third_party_warning(order)
    assert "shipped from the supplier warehouse" in warning and "settle the parcel with the supplier" in warning


def test_with_auto_push_on_the_record_made_later_is_pushed_too(login, django_capture_on_commit_callbacks):
    bridge = make_bridge()
    auto_push_set(actor=bridge.distributor, on=True)
    order, sku, theirs = _new_order(bridge, mapped=False, status=OrderStatus.SHIPPED, shipped_at=timezone.now())
    case = make_case(order=order, actor=bridge.distributor)
    _map(bridge, sku, theirs)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs eagerly in tests
        login(bridge.distributor).post(reverse("distribution:order-make", args=[order.pk]))
    assert ReturnPush.objects.get(case=case).status == PushStatus.PUSHED


def test_the_same_refusal_is_said_once_on_the_orders_history_until_something_changes():
    bridge = make_bridge()
    order, sku, _ = _new_order(bridge, mapped=False)
    order_ship(order=order, actor=None)
    make_case(order=order, actor=bridge.distributor)  # the case asks again: same reason, no second line
    refused = OrderEvent.objects.filter(order=order, type=OrderEvent.Type.DISTRIBUTION_REFUSED)
    assert refused.count() == 1 and f"{sku.code} is not mapped" in refused.get().data["reason"]
    order_events.distribution_order_refused(order=order, actor=None, reason="The partnership is not active.")
    assert refused.count() == 2  # a new reason is a new line
