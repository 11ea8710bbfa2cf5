"""Reads, each from one side: the distributor's selectors start from its tenant and read its own
ends; the supplier's start from its tenant and read its own. Neither follows a link across."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

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


def balances_as_supplier(*, tenant) -> list[dict]:
    """What the supplier holds for each distributor: [{distributor, currency, balance}]."""
    rows = BalanceMovement.objects.for_tenant(tenant).filter(partnership__supplier=tenant)
    sums = rows.values("partnership__distributor__name", "currency").annotate(balance=Sum("amount")).order_by()
    return [
        {"name": r["partnership__distributor__name"], "currency": r["currency"], "balance": r["balance"]} for r in sums
    ]


def balances_as_distributor(*, tenant) -> list[dict]:
    """The distributor's balance with each supplier: [{supplier, currency, balance}]."""
    rows = BalanceMovement.objects.for_tenant(tenant).filter(partnership__distributor=tenant)
    sums = rows.values("partnership__supplier__name", "currency").annotate(balance=Sum("amount")).order_by()
    return [
        {"name": r["partnership__supplier__name"], "currency": r["currency"], "balance": r["balance"]} for r in sums
    ]


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


def refund_for(*, push: ReturnPush) -> RefundSeen | None:
    """The bridge read of the distributor's page: the refund of its own record, as `RefundSeen`."""
    refund = DistributorRefund.objects.filter(supplier_return__push=push).first()
    if refund is None:
        return None
    return RefundSeen(
        refund.number, refund.amount, refund.currency, refund.get_method_display(), refund.bank_details,
        refund.get_status_display(), refund.status == DistributorRefund.Status.PROCESSING,
    )  # fmt: skip
