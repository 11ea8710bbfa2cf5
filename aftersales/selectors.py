from django.db.models import QuerySet

from aftersales.filters import CaseFilter
from aftersales.limits import case_refund_room
from aftersales.models import Case, CaseAttachment, CaseStatus, LineKind
from aftersales.timeline import case_extras, merged
from channels.selectors import restricted_stores, stores_for_user
from core.counts import keep_counts
from core.tabs import ALL, status_tab_counts
from inventory.models import StockMovement

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


def case_list(*, tenant, user, params=None) -> QuerySet[Case]:
    """The cases this user may see, filtered by `params` (the list's query string) through CaseFilter."""
    cases = case_qs(tenant=tenant, user=user).select_related("store", "order__buyer", "assignee", "exchange_order")
    filters = CaseFilter(params, cases, tenant=tenant, user=user)
    return keep_counts(filters.qs, filters, stores=restricted_stores(user=user))


def case_tab_counts(cases: QuerySet[Case]) -> dict[str, int]:
    """The count of every tab, for a `case_list` before its status is chosen: kept counts when only
    the store filters it (core/counts.py), else the filtered rows counted."""
    return status_tab_counts(cases, CASE_TABS)


def case_movements(*, case: Case) -> QuerySet[StockMovement]:
    """The stock movements the case's stock-in made."""
    return StockMovement.objects.for_tenant(case.tenant).filter(case=case).select_related("sku", "warehouse", "actor")


def attachment_qs(*, tenant, user) -> QuerySet[CaseAttachment]:
    return CaseAttachment.objects.for_tenant(tenant).filter(case__in=case_qs(tenant=tenant, user=user))


def case_detail_context(*, case: Case) -> dict:
    lines = list(case.lines.select_related("sku"))
    extras = case_extras(case)  # what other apps record of the case (distribution's return steps)
    return {
        "returned_lines": [line for line in lines if line.kind == LineKind.RETURNED],
        "exchange_lines": [line for line in lines if line.kind == LineKind.EXCHANGE],
        "events": merged(list(case.events.select_related("actor")), extras.steps),
        "links": extras.links,
        "movements": case_movements(case=case),
        "refunds": case.refunds.select_related("created_by", "decided_by"),
        "attachments": case.attachments.all(),
        "refunded": case.refunded(),
        "refund_left": case_refund_room(case).left,  # the case's, within what its order has left
    }
