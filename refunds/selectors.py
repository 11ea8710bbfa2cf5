from django.db.models import QuerySet

from channels.selectors import restricted_stores
from core.counts import keep_counts
from core.tabs import ALL, status_tab_counts, tab_statuses
from refunds.filters import RefundFilter
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
    """The refund orders this user may see: the tenant's, in the stores the user may work with (its
    case's store, kept on the refund: no join to the cases)."""
    refunds = RefundOrder.objects.for_tenant(tenant)
    if (stores := restricted_stores(user=user)) is not None:
        refunds = refunds.filter(store__in=stores)
    return refunds


def refund_list(*, tenant, user, status: str = "", params=None) -> QuerySet[RefundOrder]:
    """The refund orders this user may see (in `status`, a status or the All tab's key, if given),
    filtered by `params` (the list's query string) through RefundFilter."""
    refunds = refund_qs(tenant=tenant, user=user)
    if status:
        refunds = refunds.filter(status__in=tab_statuses(REFUND_TABS, status))
    refunds = refunds.select_related("case__order", "case__store", "created_by", "decided_by")
    filters = RefundFilter(params, refunds, tenant=tenant, user=user)
    if status:
        return filters.qs
    return keep_counts(filters.qs, filters, stores=restricted_stores(user=user))  # its tabs' counts are kept


def refund_tab_counts(*, tenant, user, params=None) -> dict[str, int]:
    return status_tab_counts(refund_list(tenant=tenant, user=user, params=params), REFUND_TABS)


def case_slips(*, case) -> QuerySet[RefundOrder]:
    """Every payment slip the case has had, newest first (the case was fetched through case_qs)."""
    return RefundOrder.objects.for_tenant(case.tenant_id).filter(case=case).select_related("created_by", "decided_by")
