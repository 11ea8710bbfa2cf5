from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet, Value, When
from django.utils import timezone

from aftersales.models import Case, CaseLine, CaseStatus, LineKind
from aftersales.selectors import case_ids_matching, case_qs
from channels.selectors import stores_for_user
from inventory.models import SKU, StockLevel, StockMovement, Warehouse, WarehouseKind


def warehouse_qs(*, tenant) -> QuerySet[Warehouse]:
    return Warehouse.objects.for_tenant(tenant)


def sku_qs(*, tenant) -> QuerySet[SKU]:
    return SKU.objects.for_tenant(tenant)


def stock_levels(*, tenant, query: str = "", warehouse_id: int | None = None) -> QuerySet[StockLevel]:
    """On-hand rows of the tenant, one per SKU, warehouse and condition; `query` matches the SKU's
    code or name."""
    levels = StockLevel.objects.for_tenant(tenant).select_related("sku", "warehouse")
    if query:
        levels = levels.filter(Q(sku__code__icontains=query) | Q(sku__name__icontains=query))
    if warehouse_id is not None:
        levels = levels.filter(warehouse_id=warehouse_id)
    return levels.order_by("sku__code", "warehouse__name", "condition", "pk")


def sku_stock_levels(*, tenant, sku: SKU) -> QuerySet[StockLevel]:
    """The SKU's current on-hand per warehouse and condition."""
    return (
        StockLevel.objects.for_tenant(tenant)
        .filter(sku=sku)
        .select_related("warehouse")
        .order_by("warehouse__name", "condition", "pk")
    )


def sku_ledger(*, tenant, user, sku: SKU) -> QuerySet[StockMovement]:
    """The SKU's stock movements, newest first. Stock is shared by every store, so every movement
    is listed and the rows add up to on-hand; but `source_shown` is False where the source is an
    order or case of a store this user may not work with, whose number the page then hides."""
    movements = StockMovement.objects.for_tenant(tenant).filter(sku=sku)
    if user.sees_all_stores:
        shown = Value(True)
    else:
        stores = stores_for_user(user=user)
        own = Q(order__store__in=stores) | Q(case__store__in=stores) | Q(order__isnull=True, case__isnull=True)
        shown = models.Case(When(own, then=True), default=False, output_field=models.BooleanField())
    return movements.annotate(source_shown=shown).select_related("warehouse", "actor").order_by("-created_at", "-pk")


# --- Stock-In / Return: finding the case a parcel belongs to -------------------------------------

WAITING_STATES = (CaseStatus.CONFIRM_RETURN, CaseStatus.CONFIRM_EXCHANGE)  # confirmed, parcel not in yet


def receiving_warehouses(*, tenant) -> QuerySet[Warehouse]:
    """Where a returned parcel may go: the tenant's own or third-party warehouses, still active."""
    return warehouse_qs(tenant=tenant).filter(is_active=True).exclude(kind=WarehouseKind.SUPPLIER)


def return_qs(*, tenant, user) -> QuerySet[Case]:
    """The cases this user may stock in (the after-sales scope: tenant, then the user's stores),
    each with the warehouse its parcel went into, if it was received already."""
    return case_qs(tenant=tenant, user=user).select_related("store", "order__buyer", "received_warehouse")


def returns_matching(*, tenant, user, code: str) -> QuerySet[Case]:
    """The cases a scanned code names (case number, the buyer's return tracking number, the order
    number or the order's tracking number; as typed or upper-cased), newest first."""
    ids = case_ids_matching(tenant=tenant, code=code)
    return return_qs(tenant=tenant, user=user).filter(pk__in=ids).order_by("-created_at", "-pk")


def returns_waiting(*, tenant, user) -> QuerySet[Case]:
    """Cases confirmed and waiting for their parcel (Confirm Return / Confirm Exchange), newest first."""
    return (
        case_qs(tenant=tenant, user=user)
        .filter(status__in=WAITING_STATES)
        .select_related("store", "order__buyer")
        .order_by("-created_at", "-pk")
    )


def return_lines(*, case: Case) -> QuerySet[CaseLine]:
    """The items the parcel should hold."""
    return case.lines.filter(kind=LineKind.RETURNED).select_related("sku").order_by("pk")


def stock_in_refusal(case: Case) -> str:
    """Why this case's parcel cannot be stocked in ('' when it can), in the words users know."""
    if case.status in WAITING_STATES:
        return ""
    if case.received_at:
        when = f"{timezone.localtime(case.received_at):%Y-%m-%d %H:%M}"
        into = case.received_warehouse.name if case.received_warehouse else ""
        return (
            f"Case {case.number} was already received on {when}{f' into {into}' if into else ''}; "
            f"it is now {case.get_status_display()}."
        )
    if case.status == CaseStatus.CANCELLED:
        return f"Case {case.number} is Cancelled: there is nothing to stock in."
    if not case.has_parcel():
        return f"Case {case.number} is {case.get_type_display()}: there is no parcel to stock in."
    if case.status == CaseStatus.TO_CONFIRM:
        return f"Case {case.number} is To Confirm: confirm it on the After-Sales page first."
    return f"Case {case.number} is {case.get_status_display()}: it is not waiting for a parcel."


@dataclass(frozen=True)
class ReturnScan:
    """What a scanned code found: the cases to receive now, and the others with the reason why not."""

    code: str
    waiting: list[Case]
    refused: list[tuple[Case, str]]

    @property
    def found(self) -> bool:
        return bool(self.waiting or self.refused)


def return_scan(*, tenant, user, code: str) -> ReturnScan:
    waiting, refused = [], []
    for case in returns_matching(tenant=tenant, user=user, code=code):
        if refusal := stock_in_refusal(case):
            refused.append((case, refusal))
        else:
            waiting.append(case)
    return ReturnScan(code=code.strip(), waiting=waiting, refused=refused)
