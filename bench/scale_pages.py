"""bench/scale.py's pages: for each tenant, each page as the app serves it, the same rows in the
Django admin changelist, and the same rows fetched bare (hand-written SQL, keyset for the deep
pages) for the floor."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from scale_build import WAITING
from scale_tenants import Scale

import core.paging
from aftersales.models import Case, CaseStatus
from core.admin import EstimatedCountPaginator
from core.tabs import ALL
from orders.models import Order, OrderStatus
from refunds.models import RefundOrder, RefundStatus

S = CaseStatus
ADMIN_PAGE = 100  # ModelAdmin.list_per_page


@dataclass
class Page:
    name: str
    url: str  # ours
    who: str  # "owner" or "sub": the account it is asked as
    admin: tuple[str | None, str] | None  # the changelists of the same rows (tuned, stock: `admins`); None: none
    sql: str  # the floor: the rows, bare
    params: list = field(default_factory=list)


def last(count: int, per_page: int) -> int:
    return max(1, -(-count // per_page))


def admins(model: str, tenant: int, query: dict, rows=None) -> tuple[str, str]:
    """The changelist of `model` ("app/model") in the operator's tuned admin and in the stock one
    (bench/scale_stock_admin.py), filtered by `query`; with `rows`, at its last page: the stock admin
    counts every row, the tuned one links its last page from its estimate (core.admin)."""
    base = urlencode({"tenant__id__exact": tenant, **query})
    tuned, stock = f"/admin/{model}/?{base}", f"/stock-admin/{model}/?{base}"
    if rows is None:
        return tuned, stock
    estimated = EstimatedCountPaginator(rows.order_by("-pk"), ADMIN_PAGE).num_pages
    return f"{tuned}&p={estimated}", f"{stock}&p={last(rows.count(), ADMIN_PAGE)}"


def deep(url: str, count: int) -> str:
    """The last page of a list: the keyset LAST marker when core.paging has one, else its number."""
    marker = getattr(core.paging, "LAST", None)
    page = marker if marker is not None else last(count, core.paging.PAGE_SIZE)
    return f"{url}&{urlencode({'page': page})}"


CASE_ROWS = """SELECT c.number, c.type, c.status, c.created_at, c.returned_total, c.currency, o.number, s.name, b.name
    FROM aftersales_case c JOIN orders_order o ON o.id = c.order_id JOIN sales_channels_store s ON s.id = c.store_id
    LEFT JOIN orders_buyer b ON b.id = o.buyer_id"""
ORDER_ROWS = """SELECT o.number, o.status, o.ordered_at, o.paid_amount, o.currency, o.tracking_number, s.name, b.name
    FROM orders_order o JOIN sales_channels_store s ON s.id = o.store_id
    LEFT JOIN orders_buyer b ON b.id = o.buyer_id"""
REFUND_ROWS = """SELECT r.number, r.status, r.created_at, r.amount, r.currency, r.method, c.number, s.name
    FROM refunds_refundorder r JOIN aftersales_case c ON c.id = r.case_id
    JOIN sales_channels_store s ON s.id = c.store_id"""


def newest(rows: str, where: str, t: str, at: str) -> str:
    return f"{rows} WHERE {where} ORDER BY {t}.{at} DESC, {t}.id DESC LIMIT 50"


def oldest(rows: str, where: str, t: str, at: str, position: int) -> str:
    """The last page as an expert writes it: the oldest 50 by the index (keyset, no OFFSET), shown
    newest first (`position`: the timestamp's place in the select list)."""
    inner = f"{rows} WHERE {where} ORDER BY {t}.{at}, {t}.id LIMIT 50"
    return f"SELECT * FROM ({inner}) p ORDER BY {position} DESC"


def newest_of_each(rows: str, statuses) -> str:
    """Cases of several statuses, newest first: the newest 50 of each off the tab index, merged
    (not every waiting case sorted)."""
    each = [newest(rows, f"c.tenant_id = %s AND c.status = '{status}'", "c", "created_at") for status in statuses]
    return f"SELECT * FROM (({') UNION ALL ('.join(each)})) u ORDER BY 4 DESC LIMIT 50"


def samples(scale: Scale) -> dict:
    """Real values of this tenant to search and scan for, and the tab sizes."""
    cases = Case.objects.filter(tenant=scale.tenant)
    orders = Order.objects.filter(tenant=scale.tenant)
    sub_stores = list(scale.sub.storeuserobjectpermission_set.values_list("content_object_id", flat=True))
    middle = scale.n // 2
    return {
        "case": cases.order_by("pk").values_list("number", flat=True)[middle],
        "order": cases.order_by("pk").values_list("order__number", flat=True)[middle // 3],
        "buyer": orders.filter(buyer__isnull=False).order_by("pk").values_list("buyer__name", flat=True)[middle],
        "tracking": cases.filter(status=S.CONFIRM_RETURN)
        .exclude(return_tracking_number="")
        .order_by("pk")
        .values_list("return_tracking_number", flat=True)[0],
        "completed": cases.filter(status=S.COMPLETED).count(),
        "sub_completed": cases.filter(status=S.COMPLETED, store_id__in=sub_stores).count(),
        "orders_completed": orders.filter(status=OrderStatus.COMPLETED).count(),
        "confirmed": RefundOrder.objects.filter(tenant=scale.tenant, status=RefundStatus.CONFIRMED).count(),
        "sub_stores": sub_stores,
    }


def case_pages(scale: Scale, v: dict) -> list[Page]:
    t, cases = scale.tenant.pk, Case.objects.filter(tenant=scale.tenant)
    completed, mine = "c.tenant_id = %s AND c.status = 'completed'", "AND c.store_id = ANY(%s)"
    case = f"/after-sales/?tab={S.COMPLETED}"
    done = {"status__exact": S.COMPLETED}
    return [
        Page("case list, first page (Completed)", case, "owner", admins("aftersales/case", t, done),
             newest(CASE_ROWS, completed, "c", "created_at"), [t]),
        Page("case list, last page (Completed)", deep(case, v["completed"]), "owner",
             admins("aftersales/case", t, done, cases.filter(status=S.COMPLETED)),
             oldest(CASE_ROWS, completed, "c", "created_at", 4), [t]),
        Page("case search, case number", f"/after-sales/?tab={ALL}&q={v['case']}", "owner",
             admins("aftersales/case", t, {"q": v["case"]}),
             newest(CASE_ROWS, "c.tenant_id = %s AND c.number = %s", "c", "created_at"), [t, v["case"]]),
        Page("case search, order number", f"/after-sales/?tab={ALL}&q={v['order']}", "owner",
             admins("aftersales/case", t, {"q": v["order"]}),
             newest(CASE_ROWS, "o.tenant_id = %s AND o.number = %s", "c", "created_at"), [t, v["order"]]),
        Page("sub-account: case list, first page", case, "sub", None,
             newest(CASE_ROWS, f"{completed} {mine}", "c", "created_at"), [t, v["sub_stores"]]),
        Page("sub-account: case list, last page", deep(case, v["sub_completed"]), "sub", None,
             oldest(CASE_ROWS, f"{completed} {mine}", "c", "created_at", 4), [t, v["sub_stores"]]),
        Page("sub-account: case search, case number", f"/after-sales/?tab={ALL}&q={v['case']}", "sub", None,
             newest(CASE_ROWS, f"c.tenant_id = %s AND c.number = %s {mine}", "c", "created_at"),
             [t, v["case"], v["sub_stores"]]),
    ]  # fmt: skip


def order_pages(scale: Scale, v: dict) -> list[Page]:
    t, completed = scale.tenant.pk, "o.tenant_id = %s AND o.status = 'completed'"
    done, orders = {"status__exact": OrderStatus.COMPLETED}, Order.objects.filter(tenant=scale.tenant)
    buyers = "o.tenant_id = %s AND o.buyer_id IN (SELECT id FROM orders_buyer WHERE tenant_id = %s AND name ILIKE %s)"
    _, stock_by_name = admins("orders/order", t, {"q": v["buyer"]})  # the tuned admin matches numbers only
    return [
        Page("order list, first page (Completed)", "/orders/?tab=completed", "owner",
             admins("orders/order", t, done), newest(ORDER_ROWS, completed, "o", "ordered_at"), [t]),
        Page("order list, last page (Completed)", deep("/orders/?tab=completed", v["orders_completed"]), "owner",
             admins("orders/order", t, done, orders.filter(status=OrderStatus.COMPLETED)),
             oldest(ORDER_ROWS, completed, "o", "ordered_at", 3), [t]),
        Page("order search, order number", f"/orders/?tab={ALL}&q={v['order']}", "owner",
             admins("orders/order", t, {"q": v["order"]}),
             newest(ORDER_ROWS, "o.tenant_id = %s AND o.number = %s", "o", "ordered_at"), [t, v["order"]]),
        Page("order search, buyer name", f"/orders/?tab={ALL}&{urlencode({'q': v['buyer']})}", "owner",
             (None, stock_by_name), newest(ORDER_ROWS, buyers, "o", "ordered_at"), [t, t, f"%{v['buyer']}%"]),
    ]  # fmt: skip


def refund_and_stock_pages(scale: Scale, v: dict) -> list[Page]:
    t = scale.tenant.pk
    confirmed = "r.tenant_id = %s AND r.status = 'confirmed'"
    refunds = RefundOrder.objects.filter(tenant=scale.tenant, status=RefundStatus.CONFIRMED)
    return [
        Page("refund list, first page (Processing)", "/refunds/", "owner",
             admins("refunds/refundorder", t, {"status__exact": RefundStatus.PROCESSING}),
             newest(REFUND_ROWS, "r.tenant_id = %s AND r.status = 'processing'", "r", "created_at"), [t]),
        Page("refund list, last page (Confirmed)", deep(f"/refunds/?tab={RefundStatus.CONFIRMED}", v["confirmed"]),
             "owner", admins("refunds/refundorder", t, {"status__exact": RefundStatus.CONFIRMED}, refunds),
             oldest(REFUND_ROWS, confirmed, "r", "created_at", 3), [t]),
        Page("Stock-In / Return waiting list", "/stock/", "owner",
             admins("aftersales/case", t, {"status__in": ",".join(WAITING)}),
             newest_of_each(CASE_ROWS, WAITING), [t] * len(WAITING)),
        Page("scan lookup (/stock/?q=tracking)", f"/stock/?q={v['tracking']}", "owner",
             admins("aftersales/case", t, {"q": v["tracking"]}),
             newest(CASE_ROWS, "c.tenant_id = %s AND c.return_tracking_number = %s", "c", "created_at"),
             [t, v["tracking"]]),
    ]  # fmt: skip


def pages(scale: Scale) -> list[Page]:
    v = samples(scale)
    return case_pages(scale, v) + order_pages(scale, v) + refund_and_stock_pages(scale, v)
