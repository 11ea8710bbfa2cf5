"""Both ends' timelines of a distribution return: each step written once per side, each row owned by
the tenant that reads it. The other side's user is never named on a timeline."""

from distribution.models import ReturnEvent, ReturnPush, SupplierReturn

T = ReturnEvent.Type


def on_distributor(push: ReturnPush, type: T, *, actor=None, note: str = "") -> ReturnEvent:
    return ReturnEvent.objects.create(tenant_id=push.tenant_id, push=push, type=type, actor=actor, note=note[:300])


def on_supplier(supplier_return: SupplierReturn, type: T, *, actor=None, note: str = "") -> ReturnEvent:
    return ReturnEvent.objects.create(
        tenant_id=supplier_return.tenant_id, supplier_return=supplier_return, type=type, actor=actor, note=note[:300]
    )


def on_both(push: ReturnPush, supplier_return: SupplierReturn, type: T, *, actor, note: str = "") -> None:
    """`actor` is a user of the side acting: named on its own timeline, not on the other's."""
    acting_on_distributor = actor is not None and actor.tenant_id == push.tenant_id
    on_distributor(push, type, actor=actor if acting_on_distributor else None, note=note)
    on_supplier(supplier_return, type, actor=None if acting_on_distributor else actor, note=note)
