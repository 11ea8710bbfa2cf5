"""Reads, each from one side: the distributor's selectors start from its tenant and read its own
ends; the supplier's start from its tenant and read its own. Neither follows a link across."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet, Sum

from channels.selectors import restricted_stores, stores_for_user
from core.counts import keep_counts
from core.tabs import ALL
from distribution.filters import BigShopFilter, PushFilter
from distribution.models import (
    BalanceMovement,
    DistributionOrder,
    DistributorRefund,
    InboundStatus,
    Partnership,
    PushStatus,
    ReturnEvent,
    ReturnPush,
    StockOut,
    SupplierReturn,
)


def partnership_qs(*, tenant) -> QuerySet[Partnership]:
    return Partnership.objects.for_tenant(tenant).select_related("distributor", "supplier")


def distribution_order_qs(*, tenant) -> QuerySet[DistributionOrder]:
    """The distributor's end: its orders shipped by a supplier."""
    return DistributionOrder.objects.for_tenant(tenant).select_related("order", "warehouse", "partnership__supplier")


def stock_out_qs(*, tenant) -> QuerySet[StockOut]:
    """The supplier's end: its stock-out orders, with their prices at shipment."""
    return StockOut.objects.for_tenant(tenant).select_related("warehouse", "partnership__distributor")


# --- Return & Stock-in - Distribution (the distributor's) ---------------------------------------

PUSH_TABS: dict[str, str] = {
    PushStatus.TO_PUSH: "To Push",
    PushStatus.PUSHED: "Pushed",
    PushStatus.PUSH_FAILED: "Push Failed",
    PushStatus.RECALLED: "Recalled",
}


def push_qs(*, tenant, user) -> QuerySet[ReturnPush]:
    """The distributor's records, in the stores the user may work with."""
    pushes = ReturnPush.objects.for_tenant(tenant)
    if not user.sees_all_stores:
        pushes = pushes.filter(case__store__in=stores_for_user(user=user))
    return pushes


def push_list(*, tenant, user, params=None) -> QuerySet[ReturnPush]:
    pushes = push_qs(tenant=tenant, user=user).select_related(
        "case__store",
        "distribution_order__order",
        "distribution_order__warehouse",
        "distribution_order__partnership__supplier",
    )
    filters = PushFilter(params, pushes, tenant=tenant, user=user)
    return keep_counts(filters.qs, filters, stores=restricted_stores(user=user))


def push_timeline(*, push: ReturnPush) -> QuerySet[ReturnEvent]:
    return ReturnEvent.objects.for_tenant(push.tenant).filter(push=push).select_related("actor")


# --- BigShop (the supplier's) ---------------------------------------------------------------------

BIGSHOP_TABS: dict[str, str] = {
    InboundStatus.PENDING: "Pending Stock-in",
    InboundStatus.RECEIVED: "Received Return",
    InboundStatus.REFUND_PROCESSING: "Refund Processing",
    InboundStatus.COMPLETED: "After-Sales Completed",
    InboundStatus.RECALLED: "Recalled",
}


ORDER_TABS: dict[str, str] = {  # After Sales Orders - BigShop: the states in the after-sales list's words
    InboundStatus.PENDING: "Confirm Return",
    InboundStatus.RECEIVED: "Received Return",
    InboundStatus.REFUND_PROCESSING: "Refund Processing",
    InboundStatus.COMPLETED: "After-Sales Completed",
    InboundStatus.RECALLED: "Recalled",
    ALL: "All",
}


def supplier_return_qs(*, tenant) -> QuerySet[SupplierReturn]:
    """The returns distributors pushed to this supplier: its own end only."""
    return SupplierReturn.objects.for_tenant(tenant)


def supplier_return_list(*, tenant, user, params=None) -> QuerySet[SupplierReturn]:
    returns = supplier_return_qs(tenant=tenant).select_related("partnership__distributor", "warehouse")
    return BigShopFilter(params, returns, tenant=tenant, user=user).qs


def supplier_return_timeline(*, supplier_return: SupplierReturn) -> QuerySet[ReturnEvent]:
    return (
        ReturnEvent.objects.for_tenant(supplier_return.tenant)
        .filter(supplier_return=supplier_return)
        .select_related("actor")
    )


# --- Customer Balance: each side sums its own ledger ------------------------------------------------


def _balances(tenant, *, partner: str) -> list[dict]:
    """The tenant's own Customer Balance rows summed per partnership, named by the `partner` side
    ("supplier" or "distributor"): [{name, currency, balance, partnership}]."""
    own = "distributor" if partner == "supplier" else "supplier"
    rows = BalanceMovement.objects.for_tenant(tenant).filter(**{f"partnership__{own}": tenant})
    name = f"partnership__{partner}__name"
    sums = rows.values("partnership", name, "currency").annotate(balance=Sum("amount")).order_by(name, "partnership")
    return [
        {"name": r[name], "currency": r["currency"], "balance": r["balance"], "partnership": r["partnership"]}
        for r in sums
    ]


def balances_as_supplier(*, tenant) -> list[dict]:
    """What the supplier holds for each distributor."""
    return _balances(tenant, partner="distributor")


def balances_as_distributor(*, tenant) -> list[dict]:
    """The distributor's balance with each supplier."""
    return _balances(tenant, partner="supplier")


def ledger(*, tenant, partnership) -> QuerySet[BalanceMovement]:
    """One side's own Customer Balance rows for a partnership, newest first."""
    return BalanceMovement.objects.for_tenant(tenant).filter(partnership=partnership).select_related("actor")


@dataclass(frozen=True)
class Unsettled:
    """What the distributor still owes the supplier on one of its orders (the bridge read of the
    supplier's stock-out: the sum left, nothing of its figures)."""

    order_id: int  # the distributor's own DistributionOrder
    order_number: str
    amount: Decimal
    currency: str


def distribution_orders_for(*, tenant, user) -> QuerySet[DistributionOrder]:
    """The distributor's orders shipped by a supplier, in the stores the user may work with."""
    orders = DistributionOrder.objects.for_tenant(tenant)
    if not user.sees_all_stores:
        orders = orders.filter(order__store__in=stores_for_user(user=user))
    return orders


def unsettled_orders(*, tenant, user, partnership, limit: int = 50) -> list[Unsettled]:
    """The distributor's orders of `partnership` with something left to pay, oldest first."""
    orders = (
        distribution_orders_for(tenant=tenant, user=user)
        .filter(partnership=partnership)
        .annotate(left=F("stock_out__amount") + F("stock_out__distribution_fee") - F("stock_out__settled_amount"))
        .filter(left__gt=0)
        .values_list("pk", "order__number", "left", "stock_out__currency")
        .order_by("created_at", "pk")
    )
    return [Unsettled(*row) for row in orders[:limit]]


@dataclass(frozen=True)
class RefundSeen:
    """What the distributor sees of the supplier's refund to it: the money, not the supplier's figures."""

    number: str
    amount: Decimal
    currency: str
    method_label: str
    bank_details: str
    status_label: str
    awaits_confirmation: bool
    has_proof: bool = False
    reason: str = ""
    push_id: int | None = None
    supplier: str = ""
    case_number: str = ""
    created_at: object = None


def _seen(refund: DistributorRefund) -> RefundSeen:
    return RefundSeen(
        refund.number, refund.amount, refund.currency, refund.get_method_display(), refund.bank_details,
        refund.get_status_display(), refund.status == DistributorRefund.Status.PROCESSING, bool(refund.proof),
        refund.reason, refund.supplier_return.push_id, refund.partnership.supplier.name,
        refund.supplier_return.case_number, refund.created_at,
    )  # fmt: skip


def refund_for(*, push: ReturnPush) -> RefundSeen | None:
    """The bridge read of the distributor's page: the refund of its own record, as `RefundSeen`."""
    refund = _refunds_to().filter(supplier_return__push=push).first()
    return _seen(refund) if refund else None


def refund_proof_for(*, push: ReturnPush):
    """The transfer proof of the refund of the distributor's own record (a stored file), or None."""
    refund = DistributorRefund.objects.filter(supplier_return__push=push).only("proof").first()
    return refund.proof if refund and refund.proof else None


def _refunds_to() -> QuerySet[DistributorRefund]:
    return DistributorRefund.objects.select_related("supplier_return", "partnership__supplier")


FROM_SUPPLIER_TABS: dict[str, str] = {
    DistributorRefund.Status.PROCESSING: "Refund Processing",
    DistributorRefund.Status.COMPLETED: "Completed",
}


def refunds_from_suppliers(*, tenant, user) -> QuerySet[DistributorRefund]:
    """The bridge read of the distributor's After-Sales Refund page: the suppliers' refunds of its
    own records (those the user may see), reached through them. Shown only as `RefundSeen`."""
    return _refunds_to().filter(supplier_return__push__in=push_qs(tenant=tenant, user=user))


def seen(refunds) -> list[RefundSeen]:
    return [_seen(refund) for refund in refunds]
