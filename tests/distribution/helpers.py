"""A distributor and a supplier in partnership, through the real services."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from distribution.models import DistributionOrder, Partnership
from distribution.services import (
    distribution_order_create,
    partner_warehouse_add,
    partnership_accept,
    partnership_invite,
    sku_map,
)
from inventory.models import WarehouseKind
from tests.factories import ComboItemFactory, OrderItemFactory, SKUFactory, UserFactory, WarehouseFactory, shipped_order


@dataclass
class Bridge:
    partnership: Partnership
    distributor: object  # the distributor's main account
    supplier: object  # the supplier's main account
    supplier_warehouse: object
    distributor_warehouse: object  # the distributor's row (kind Supplier warehouse) naming it


def _owner(tenant):
    if tenant is None:
        return UserFactory(owner=True)
    return tenant.users.filter(is_owner=True).first() or UserFactory(tenant=tenant, owner=True)


def make_bridge(
    *, started_days_ago: int = 200, kind: str = WarehouseKind.OWN, distributor_tenant=None, supplier_tenant=None
) -> Bridge:
    distributor, supplier = _owner(distributor_tenant), _owner(supplier_tenant)
    partnership = partnership_invite(actor=distributor, partner=supplier.tenant, as_distributor=True)
    partnership = partnership_accept(partnership=partnership, actor=supplier)
    Partnership.objects.filter(pk=partnership.pk).update(started_at=timezone.now() - timedelta(days=started_days_ago))
    partnership.refresh_from_db()
    warehouse = WarehouseFactory(tenant=supplier.tenant, kind=kind)
    link = partner_warehouse_add(partnership=partnership, actor=supplier, warehouse=warehouse)
    return Bridge(partnership, distributor, supplier, warehouse, link.distributor_warehouse)


def distribution_order(
    bridge: Bridge,
    *,
    lines=((Decimal("25.00"), 2),),
    supplier_price=Decimal("15.00"),
    days_ago: int = 5,
    combo: bool = False,
    fee=Decimal("0.00"),
) -> DistributionOrder:
    """A shipped order of the distributor from the supplier's warehouse, each line's SKU mapped to a
    supplier SKU at `supplier_price`; with `combo`, one more line: a combo of two units of a sub-SKU."""
    order = shipped_order(
        tenant=bridge.distributor.tenant,
        warehouse=bridge.distributor_warehouse,
        lines=lines,
        ordered_at=timezone.now() - timedelta(days=days_ago),
    )
    skus = [item.sku for item in order.items.all()]
    if combo:
        item = ComboItemFactory(combo__tenant=order.tenant, quantity=2)
        OrderItemFactory(order=order, sku=item.combo, quantity=1, unit_price=Decimal("40.00"))
        order.paid_amount += Decimal("40.00")
        order.save(update_fields=["paid_amount"])
        skus.append(item.component)
    for sku in skus:
        theirs = SKUFactory(tenant=bridge.supplier.tenant, wholesale_price=supplier_price)
        sku_map(partnership=bridge.partnership, actor=bridge.distributor, sku=sku, supplier_code=theirs.code)
    return distribution_order_create(order=order, actor=bridge.distributor, distribution_fee=fee)


def pushed_return(bridge: Bridge, **order_kwargs):
    """A case on a distribution order, pushed: (the distributor's record, the supplier's return)."""
    from distribution.services import return_push
    from tests.factories import make_case

    case = make_case(order=distribution_order(bridge, **order_kwargs).order, actor=bridge.distributor)
    push = return_push(push=case.distribution_push, actor=bridge.distributor)
    return push, push.supplier_return


def balances(bridge: Bridge):
    """(the distributor's, the supplier's) Customer Balance of the partnership, each from its own ledger."""
    from distribution.services.refunds import balance

    p = bridge.partnership
    return balance(tenant=bridge.distributor.tenant, partnership=p), balance(
        tenant=bridge.supplier.tenant, partnership=p
    )
