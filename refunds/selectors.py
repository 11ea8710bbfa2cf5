from django.db.models import QuerySet

from aftersales.selectors import case_qs
from core.tabs import count_by_status
from refunds.filters import RefundFilter
from refunds.models import RefundOrder, RefundStatus

# After-Sales Refund tabs, in the order finance works them. Voided slips (case cancelled) are kept
# on the case but are nobody's work here.
REFUND_TABS: dict[str, str] = {
    RefundStatus.PROCESSING: "Refund Processing",
    RefundStatus.CONFIRMED: "Confirmed",
    RefundStatus.REJECTED: "Rejected",
}


def refund_qs(*, tenant, user) -> QuerySet[RefundOrder]:
    """The refund orders this user may see: the tenant's, on the cases the user may see (a
    store-restricted sub-account sees only its stores' refunds)."""
    return RefundOrder.objects.for_tenant(tenant).filter(case__in=case_qs(tenant=tenant, user=user).values("pk"))


def refund_list(*, tenant, user, status: str = "", params=None) -> QuerySet[RefundOrder]:
    """The refund orders this user may see (in `status`, if given), filtered by `params` (the list's
    query string) through RefundFilter."""
    refunds = refund_qs(tenant=tenant, user=user)
    if status:
        refunds = refunds.filter(status=status)
    refunds = refunds.select_related("case__order", "case__store", "created_by", "decided_by")
    return RefundFilter(params, refunds, tenant=tenant, user=user).qs


def refund_tab_counts(*, tenant, user, params=None) -> dict[str, int]:
    by_status = count_by_status(refund_list(tenant=tenant, user=user, params=params))
    return {status: by_status.get(status, 0) for status in REFUND_TABS}


def case_slips(*, case) -> QuerySet[RefundOrder]:
    """Every payment slip the case has had, newest first (the case was fetched through case_qs)."""
    return RefundOrder.objects.for_tenant(case.tenant_id).filter(case=case).select_related("created_by", "decided_by")
