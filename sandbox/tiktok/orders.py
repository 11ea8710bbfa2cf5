"""TikTok Shop orders (marketplaces-orders-auth.md §1.2): search with page_token and time windows,
detail by ids."""

from bisect import bisect_left

from sandbox.tiktok.common import BAD_PARAM, NOT_SELLERS_ORDER, answer, error, signed
from sandbox.tiktok.paging import page
from sandbox.tiktok.store import TikTokStore
from sandbox.web import Request, Response

TIME_FILTERS = ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt")
FILTERS = {*TIME_FILTERS, "order_status", "buyer_user_id", "is_buyer_request_cancel", "shipping_type"}
MAX_IDS = 50


def search_params(request: Request, max_size: int = 100) -> tuple[int, str, bool, dict] | str:
    """page_size, sort field, descending?, body filters; or the complaint about them."""
    try:
        page_size = int(request.query.get("page_size", ""))
    except ValueError:
        return f"page_size is required (1..{max_size})"
    sort_field = request.query.get("sort_field") or "create_time"
    sort_order = request.query.get("sort_order") or "DESC"
    body = request.json()
    if not 1 <= page_size <= max_size:
        return f"page_size must be between 1 and {max_size}"
    if sort_field not in ("create_time", "update_time") or sort_order not in ("ASC", "DESC"):
        return "sort_field must be create_time or update_time, sort_order ASC or DESC"
    for name in TIME_FILTERS:
        if name in body and (type(body[name]) is not int or not 0 <= body[name] < 2**40):
            return name + " must be Unix seconds"
    return page_size, sort_field, sort_order == "DESC", body


def matches(order: dict, body: dict) -> bool:
    for name in TIME_FILTERS:
        field, bound = name.rsplit("_", 1)
        if name in body and not (order[field] >= body[name] if bound == "ge" else order[field] < body[name]):
            return False
    if body.get("order_status") and order["status"] != body["order_status"]:
        return False
    if body.get("buyer_user_id") and order["user_id"] != body["buyer_user_id"]:
        return False
    if "is_buyer_request_cancel" in body and order["is_buyer_request_cancel"] != body["is_buyer_request_cancel"]:
        return False
    return not body.get("shipping_type") or order["shipping_type"] == body["shipping_type"]


@signed(shop_scoped=True)
def search(state, request: Request, token, shop) -> Response:
    params = search_params(request)
    if isinstance(params, str):
        return error(BAD_PARAM, params)
    page_size, sort_field, descending, body = params
    rows, keys = state.tiktok.sorted_orders(shop["id"], sort_field)
    # the window on the sort field is a slice of the sorted view; other filters look at the rows left
    low = bisect_left(keys, (body[sort_field + "_ge"], "")) if sort_field + "_ge" in body else 0
    high = bisect_left(keys, (body[sort_field + "_lt"], "")) if sort_field + "_lt" in body else len(keys)
    if set(body) & (FILTERS - {sort_field + "_ge", sort_field + "_lt"}):
        kept = [i for i in range(low, high) if matches(rows[i], body)]
        rows, keys, low, high = [rows[i] for i in kept], [keys[i] for i in kept], 0, len(kept)
    paged = page(rows, keys, page_size, request.query.get("page_token", ""), descending, low, max(low, high))
    if paged is None:
        return error(BAD_PARAM, "Invalid page_token")
    orders = [TikTokStore.public(o) for o in paged[0]]
    return answer({"next_page_token": paged[1], "total_count": max(0, high - low), "orders": orders})


@signed(shop_scoped=True)
def detail(state, request: Request, token, shop) -> Response:
    ids = [i.strip() for i in request.query.get("ids", "").split(",") if i.strip()]
    if not 1 <= len(ids) <= MAX_IDS:
        return error(BAD_PARAM, f"ids must name 1 to {MAX_IDS} orders")
    orders = [state.tiktok.orders.get(i) for i in ids]
    if any(o is None or o["_shop_id"] != shop["id"] for o in orders):
        return error(NOT_SELLERS_ORDER, "The order or package does not belong to this seller")
    return answer({"orders": [TikTokStore.public(o) for o in orders]})


@signed(shop_scoped=True)
def tracking(state, request: Request, token, shop) -> Response:
    """The forward parcel's events, newest first (the order of events is not documented)."""
    order = state.tiktok.orders.get(request.params["order_id"])
    if order is None or order["_shop_id"] != shop["id"]:
        return error(NOT_SELLERS_ORDER, "The order or package does not belong to this seller")
    return answer({"tracking": list(order.get("_tracking", []))})


ROUTES = [
    ("POST", r"/order/202309/orders/search", search),
    ("GET", r"/order/202309/orders", detail),
    ("GET", r"/order/202507/orders", detail),
    ("GET", r"/fulfillment/202309/orders/(?P<order_id>[0-9]+)/tracking", tracking),
]
