from django.db.models import QuerySet

from aftersales.limits import case_refund_room
from aftersales.models import Case, CaseAttachment, CaseStatus, LineKind
from channels.selectors import stores_for_user
from core.tabs import ALL, status_tab_counts
from inventory.models import StockMovement
from orders.models import Buyer, Order

S = CaseStatus
# Manual After-Sales Order tabs, in the order users know them, then All.
CASE_TABS: dict[str, str] = {
    S.TO_CONFIRM: "To Confirm",
    S.CONFIRM_RETURN: "Confirm Return",
    S.CONFIRM_REFUND: "Confirm Refund",
    S.CONFIRM_EXCHANGE: "Confirm Exchange",
    S.RECEIVED_RETURN: "Received Return",
    S.REFUND_PROCESSING: "Refund Processing",
    S.COMPLETED: "After-Sales Completed",
    S.CANCELLED: "Cancelled",
    ALL: "All",
}


def case_qs(*, tenant, user) -> QuerySet[Case]:
    """The cases this user may see: the tenant's, in the stores the user may work with."""
    cases = Case.objects.for_tenant(tenant)
    if not user.sees_all_stores:
        cases = cases.filter(store__in=stores_for_user(user=user))
    return cases


def case_ids_matching(*, tenant, code: str, buyers: bool = False) -> set[int]:
    """The cases a typed or scanned code names: case number, buyer's return tracking number, the
    order's number or tracking number (as typed or upper-cased), and with `buyers` the buyer's name.

    Found index by index, a few tiny queries: one OR across the case and its order can only be
    checked after joining both tables, a scan of each (bench/case_pages.py)."""
    code = code.strip()
    if not code:
        return set()
    codes = {code, code.upper()}
    cases = Case.objects.for_tenant(tenant)
    orders = Order.objects.for_tenant(tenant)
    found = [
        cases.filter(number__in=codes),
        cases.filter(return_tracking_number__in=codes),
        cases.filter(order__in=orders.filter(number__in=codes).values("pk")),
        cases.filter(order__in=orders.filter(tracking_number__in=codes).values("pk")),
    ]
    if buyers:
        named = Buyer.objects.for_tenant(tenant).filter(name__icontains=code).values("pk")
        found.append(cases.filter(order__buyer__in=named))
    return {pk for matches in found for pk in matches.values_list("pk", flat=True)}


def case_list(
    *,
    tenant,
    user,
    status: str = "",
    query: str = "",
    store_id=None,
    channel: str = "",
    type: str = "",
    date_from=None,
    date_to=None,
) -> QuerySet[Case]:
    cases = case_qs(tenant=tenant, user=user)
    if status:
        cases = cases.filter(status=status)
    if query:
        cases = cases.filter(pk__in=case_ids_matching(tenant=tenant, code=query, buyers=True))
    if store_id:
        cases = cases.filter(store_id=store_id)
    if channel:
        cases = cases.filter(store__channel=channel)
    if type:
        cases = cases.filter(type=type)
    if date_from:
        cases = cases.filter(created_at__date__gte=date_from)
    if date_to:
        cases = cases.filter(created_at__date__lte=date_to)
    return cases.select_related("store", "order__buyer", "assignee", "exchange_order")


def case_tab_counts(cases: QuerySet[Case]) -> dict[str, int]:
    """The live count of every tab, for a `case_list` before its status is chosen."""
    return status_tab_counts(cases, CASE_TABS)


def case_movements(*, case: Case) -> QuerySet[StockMovement]:
    """The stock movements the case's stock-in made."""
    return StockMovement.objects.for_tenant(case.tenant).filter(case=case).select_related("sku", "warehouse", "actor")


def attachment_qs(*, tenant, user) -> QuerySet[CaseAttachment]:
    return CaseAttachment.objects.for_tenant(tenant).filter(case__in=case_qs(tenant=tenant, user=user))


def case_detail_context(*, case: Case) -> dict:
    lines = list(case.lines.select_related("sku"))
    return {
        "returned_lines": [line for line in lines if line.kind == LineKind.RETURNED],
        "exchange_lines": [line for line in lines if line.kind == LineKind.EXCHANGE],
        "events": case.events.select_related("actor"),
        "movements": case_movements(case=case),
        "refunds": case.refunds.select_related("created_by", "decided_by"),
        "attachments": case.attachments.all(),
        "refunded": case.refunded(),
        "refund_left": case_refund_room(case).left,  # the case's, within what its order has left
    }
