from django.db.models import Q, QuerySet

from aftersales.selectors import case_qs
from core.tabs import ALL, status_tab_counts, tab_statuses
from refunds.models import RefundOrder, RefundStatus

# After-Sales Refund tabs, in the order finance works them. Voided slips (case cancelled) are kept
# on the case but are nobody's work here, so not in All either.
REFUND_TABS: dict[str, str] = {
    RefundStatus.PROCESSING: "Refund Processing",
    RefundStatus.CONFIRMED: "Confirmed",
    RefundStatus.REJECTED: "Rejected",
    ALL: "All",
}


def refund_qs(*, tenant, user) -> QuerySet[RefundOrder]:
    """The refund orders this user may see: the tenant's, on the cases the user may see (a
    store-restricted sub-account sees only its stores' refunds)."""
    return RefundOrder.objects.for_tenant(tenant).filter(case__in=case_qs(tenant=tenant, user=user).values("pk"))


def refund_list(*, tenant, user, status: str = "", query: str = "") -> QuerySet[RefundOrder]:
    """`status`: a status or the All tab's key."""
    refunds = refund_qs(tenant=tenant, user=user)
    if status:
        refunds = refunds.filter(status__in=tab_statuses(REFUND_TABS, status))
    if query:
        refunds = refunds.filter(Q(number=query) | Q(case__number=query) | Q(case__order__number=query))
    return refunds.select_related("case__order", "case__store", "created_by", "decided_by")


def refund_tab_counts(*, tenant, user, query: str = "") -> dict[str, int]:
    return status_tab_counts(refund_list(tenant=tenant, user=user, query=query), REFUND_TABS)


def case_slips(*, case) -> QuerySet[RefundOrder]:
    """Every payment slip the case has had, newest first (the case was fetched through case_qs)."""
    return RefundOrder.objects.for_tenant(case.tenant_id).filter(case=case).select_related("created_by", "decided_by")
