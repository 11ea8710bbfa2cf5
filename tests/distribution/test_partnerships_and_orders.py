from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import Refused
from distribution import selectors
from distribution.models import DistributionOrder, Partnership, PartnershipStatus, StockOut, StockOutLine
from distribution.services import (
    distribution_order_create,
    partnership_accept,
    partnership_invite,
    partnership_terminate,
)
from inventory.models import StockLevel, StockMovement, WarehouseKind
from orders.models import Order
from tests.distribution.helpers import distribution_order, make_bridge
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_invited_supplier_accepts_and_the_cooperation_period_starts():
    distributor, supplier = UserFactory(owner=True), UserFactory(owner=True)
    invited = partnership_invite(actor=distributor, partner=supplier.tenant, as_distributor=True)
    with pytest.raises(Refused) as err:  # the inviter cannot accept its own invitation
        partnership_accept(partnership=invited, actor=distributor)
    assert err.value.code == "not_invitee"
    accepted = partnership_accept(partnership=invited, actor=supplier)
    assert accepted.status == PartnershipStatus.ACTIVE and accepted.started_at is not None
    assert (accepted.distributor, accepted.supplier) == (distributor.tenant, supplier.tenant)


def test_a_second_open_partnership_of_the_same_pair_is_refused():
    bridge = make_bridge()
    with pytest.raises(Refused) as err:
        partnership_invite(actor=bridge.supplier, partner=bridge.distributor.tenant, as_distributor=False)
    assert err.value.code == "already_partners"


def test_terminating_sets_the_end_and_a_stranger_cannot_see_the_partnership():
    bridge = make_bridge()
    ended = partnership_terminate(partnership=bridge.partnership, actor=bridge.supplier)
    assert ended.status == PartnershipStatus.TERMINATED and ended.ended_at is not None
    stranger = UserFactory(owner=True)
    assert not selectors.partnership_qs(tenant=stranger.tenant).exists()
    with pytest.raises(Partnership.DoesNotExist):
        partnership_terminate(partnership=bridge.partnership, actor=stranger)


def test_partnership_services_check_the_actors_role():
    supplier = UserFactory(owner=True)
    clerk = UserFactory(perms=[])
    with pytest.raises(PermissionDenied):
        partnership_invite(actor=clerk, partner=supplier.tenant, as_distributor=True)


def test_a_distribution_order_makes_the_suppliers_stock_out_priced_at_shipment():
    bridge = make_bridge()
    ends = distribution_order(bridge, lines=((Decimal("25.00"), 2),), supplier_price=Decimal("15.00"))
    stock_out = StockOut.objects.get(distribution_order=ends)
    assert stock_out.tenant == bridge.supplier.tenant and stock_out.warehouse == bridge.supplier_warehouse
    assert [(line.quantity, line.unit_price) for line in stock_out.lines.all()] == [(2, Decimal("15.00"))]
    assert stock_out.amount == Decimal("30.00")
    # the supplier's ledger took the stock out of its own warehouse
    movement = StockMovement.objects.get(tenant=bridge.supplier.tenant)
    assert (movement.quantity, movement.warehouse) == (-2, bridge.supplier_warehouse)
    # made once: a second call returns the same ends
    assert distribution_order_create(order=ends.order, actor=bridge.distributor) == ends
    assert StockOut.objects.count() == 1


def test_a_combo_ships_as_its_sub_skus_mapped_to_the_suppliers():
    bridge = make_bridge()
    ends = distribution_order(bridge, lines=((Decimal("25.00"), 1),), combo=True)
    quantities = sorted(
        StockOutLine.objects.filter(stock_out__distribution_order=ends).values_list("quantity", flat=True)
    )
    assert quantities == [1, 2]  # the plain line, and the combo's two units of its sub-SKU


def test_an_order_with_an_unmapped_sku_is_refused_and_writes_nothing():
    bridge = make_bridge()
    ends = distribution_order(bridge)
    order = Order.objects.get(pk=ends.order_id)
    order.pk = None  # another order of the same shape, whose SKUs are mapped...
    order.number = "OTHER-1"
    order.save()
    from tests.factories import OrderItemFactory

    OrderItemFactory(order=order)  # ...with one SKU that is not
    with pytest.raises(Refused) as err:
        distribution_order_create(order=order, actor=bridge.distributor)
    assert err.value.code == "sku_not_mapped"
    assert DistributionOrder.objects.count() == StockOut.objects.count() == 1


def test_each_side_reads_only_its_own_end():
    bridge = make_bridge()
    distribution_order(bridge)
    distributor, supplier = bridge.distributor.tenant, bridge.supplier.tenant
    # the distributor: its distribution order, none of the supplier's stock-outs, prices or stock
    assert selectors.distribution_order_qs(tenant=distributor).count() == 1
    assert not selectors.stock_out_qs(tenant=distributor).exists()
    assert not StockOutLine.objects.for_tenant(distributor).exists()
    assert not StockLevel.objects.for_tenant(distributor).exists()
    # the supplier: its stock-out, none of the distributor's orders, buyers or order ends
    assert selectors.stock_out_qs(tenant=supplier).count() == 1
    assert not selectors.distribution_order_qs(tenant=supplier).exists()
    assert not Order.objects.for_tenant(supplier).exists()
    # the bridge row itself is seen by both
    assert selectors.partnership_qs(tenant=distributor).get() == selectors.partnership_qs(tenant=supplier).get()


def test_a_third_party_warehouse_may_ship_but_is_marked_so():
    bridge = make_bridge(kind=WarehouseKind.THIRD_PARTY)
    assert bridge.supplier_warehouse.kind == WarehouseKind.THIRD_PARTY
    assert bridge.distributor_warehouse.kind == WarehouseKind.SUPPLIER
