"""Distribution's part of Stock-In / Return (aftersales/scan_sources.py): a supplier's scan finds
its BigShop returns; a distributor's case on a supplier-fulfilled order is stocked in by the supplier."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from core.filters import codes
from distribution.models import InboundStatus, PushStatus, ReturnPush, SupplierReturn
from inventory.models import Warehouse, WarehouseKind


@dataclass(frozen=True)
class ScannedReturn:
    """A BigShop return a code names: its lines, and why it cannot be stocked in ('' when it can)."""

    supplier_return: SupplierReturn
    lines: list
    refusal: str
    warehouses: list[Warehouse]

    @property
    def pending(self) -> bool:
        return not self.refusal


def supplier_return_refusal(supplier_return: SupplierReturn) -> str:
    """Why this return cannot be stocked in ('' while it is Pending Stock-in)."""
    number, status = supplier_return.number, supplier_return.get_status_display()
    if supplier_return.status == InboundStatus.PENDING:
        return ""
    if supplier_return.status == InboundStatus.RECALLED:
        when = timezone.localtime(supplier_return.recalled_at) if supplier_return.recalled_at else None
        on = f" on {when:%Y-%m-%d %H:%M}" if when else ""
        return f"Return {number} was recalled{on}: the distributor cancelled their case. There is nothing to stock in."
    when = f"{timezone.localtime(supplier_return.received_at):%Y-%m-%d %H:%M}"
    into = supplier_return.received_warehouse.name if supplier_return.received_warehouse else ""
    return f"Return {number} was already received on {when}{f' into {into}' if into else ''}; it is now {status}."


def own_warehouses(tenant):
    """Where a distribution return may go: the supplier's own active warehouses."""
    return Warehouse.objects.for_tenant(tenant).filter(kind=WarehouseKind.OWN, is_active=True)


def returns_scanned(*, tenant, user, code: str) -> list[ScannedReturn]:
    """The supplier's returns a scanned code names: its return number, the distributor's case or
    order number, the return tracking number (as typed or upper-cased); none for a non-supplier."""
    found = codes(code)
    if not found or not tenant.is_supplier:
        return []
    named = Q(number__in=found) | Q(case_number__in=found) | Q(order_number__in=found)
    returns = (
        SupplierReturn.objects.for_tenant(tenant)
        .filter(named | Q(return_tracking_number__in=found))
        .select_related("partnership__distributor", "warehouse", "received_warehouse")
        .prefetch_related("lines__sku")
        .order_by("-created_at", "-pk")[:20]
    )
    returns = list(returns)
    warehouses = list(own_warehouses(tenant)) if returns else []
    return [ScannedReturn(r, list(r.lines.all()), supplier_return_refusal(r), warehouses) for r in returns]


def cases_stocked_by_supplier(*, tenant, cases) -> dict[int, str]:
    """Case id -> why the distributor does not stock it in: its supplier does (named)."""
    pushes = ReturnPush.objects.for_tenant(tenant).filter(case__in=[case.pk for case in cases])
    rows = pushes.exclude(status=PushStatus.RECALLED).values_list(
        "case_id", "case__number", "status", "distribution_order__partnership__supplier__name"
    )
    why = {}
    for case_id, number, status, supplier in rows:
        then = (
            "the case moves to Received Return when they do"
            if status == PushStatus.PUSHED
            else "push it to them from Return & Stock-in - Distribution; the case moves to Received Return once "
            "they stock it in"
        )
        why[case_id] = f"Case {number} ships from {supplier}'s warehouse: {supplier} stocks its parcel in, {then}."
    return why
