"""Lazada orders (marketplaces.md §3.4, marketplaces-orders-auth.md §3.2): GetOrders with offset/limit
paging and created_/update_ windows, GetOrder, GetOrderItems and GetMultipleOrderItems."""

import json
from bisect import bisect_left, bisect_right

from sandbox.lazada.common import answer, error, signed
from sandbox.lazada.orders_model import FILTERS, ITEM_STATUSES, epoch_ms, item_view, order_view, parse_time, spaced
from sandbox.web import Request, Response

MAX_OFFSET = 5000  # "offset max 5000" (get-order.md): then move the window and restart at 0
MAX_LIMIT = 100
MAX_IDS = 50  # GetMultipleOrderItems


def whole(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def window(params: dict, country: str) -> dict | Response:
    """The filter's bounds in Unix seconds: created_* and update_* (after and before, all inclusive)."""
    if not params.get("created_after") and not params.get("update_after"):
        return error("MissingParameter", "One of created_after and update_after is required")
    bounds = {}
    for name in ("created_after", "created_before", "update_after", "update_before"):
        if params.get(name):
            bounds[name] = parse_time(params[name], country)
            if bounds[name] is None:
                return error("E017", f"Invalid Date Format: {name}")
    return bounds


def list_params(params: dict, country: str) -> dict | Response:
    bounds = window(params, country)
    if isinstance(bounds, Response):
        return bounds
    status = params.get("status", "") or "all"
    if status != "all" and status not in ITEM_STATUSES and status not in FILTERS:
        return error("E036", "Invalid status filter")
    sort_by = params.get("sort_by", "") or "created_at"
    if sort_by not in ("created_at", "updated_at"):
        return error("E075", "Invalid sort field")
    direction = (params.get("sort_direction", "") or "DESC").upper()
    if direction not in ("ASC", "DESC"):
        return error("E074", "Invalid sort direction")
    offset, limit = whole(params.get("offset", "") or "0"), whole(params.get("limit", "") or str(MAX_LIMIT))
    if offset is None or offset > MAX_OFFSET:
        return error("E014", f"Invalid Offset: 0..{MAX_OFFSET}")
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        return error("E019", f"Invalid Limit: 1..{MAX_LIMIT}")
    wanted = None if status == "all" else set(FILTERS.get(status, (status,)))
    return {"bounds": bounds, "wanted": wanted, "sort": sort_by, "desc": direction == "DESC"} | {
        "offset": offset,
        "limit": limit,
    }


def matches(order: dict, query: dict, bounds: dict) -> bool:
    for name, bound in bounds.items():
        field, side = ("created_at" if name.startswith("created") else "updated_at"), name.rsplit("_", 1)[1]
        if (order[field] < bound) if side == "after" else (order[field] > bound):
            return False
    return query["wanted"] is None or any(item["status"] in query["wanted"] for item in order["_items"])


def span(keys: list[tuple], bounds: dict, prefix: str) -> tuple[int, int, dict]:
    """The rows within the bounds on the sort field (bisected) and the bounds left to check row by row."""
    low, high = 0, len(keys)
    if prefix + "_after" in bounds:
        low = bisect_left(keys, (bounds[prefix + "_after"],))
    if prefix + "_before" in bounds:
        high = bisect_right(keys, (bounds[prefix + "_before"], float("inf")))
    rest = {name: bound for name, bound in bounds.items() if not name.startswith(prefix + "_")}
    return low, max(low, high), rest


@signed()
def orders_get(state, request: Request, params: dict, token) -> Response:
    """The seller's orders in the window, sorted by (sort field, order_id); a page from offset."""
    country = state.lazada.sellers[token.seller_id]["country"]
    query = list_params(params, country)
    if isinstance(query, Response):
        return query
    rows, keys = state.lazada.sorted_orders(token.seller_id, query["sort"])
    low, high, rest = span(keys, query["bounds"], "created" if query["sort"] == "created_at" else "update")
    found = rows[low:high]
    if rest or query["wanted"] is not None:
        found = [order for order in found if matches(order, query, rest)]
    if query["desc"]:
        found = found[::-1]
    page = found[query["offset"] : query["offset"] + query["limit"]]
    return answer({"count": len(page), "countTotal": len(found), "orders": [order_view(o) for o in page]})


def own_order(state, params: dict, token) -> dict | Response:
    order = state.lazada.orders.get(whole(str(params.get("order_id", ""))) or -1)
    if order is None or order["_seller_id"] != token.seller_id:
        return error("E016", "Invalid Order ID")
    return order


@signed()
def order_get(state, request: Request, params: dict, token) -> Response:
    order = own_order(state, params, token)
    return order if isinstance(order, Response) else answer(order_view(order, spaced))


@signed()
def order_items_get(state, request: Request, params: dict, token) -> Response:
    order = own_order(state, params, token)
    if isinstance(order, Response):
        return order
    return answer([item_view(item, order["_country"]) for item in order["_items"]])


def id_list(text: str) -> list[int] | None:
    """A JSON array of ids (numbers or strings), as documented; a plain comma list is taken too."""
    try:
        values = json.loads(text) if text.strip().startswith("[") else text.split(",")
    except ValueError:
        return None
    if not isinstance(values, list):
        return None
    ids = [whole(str(value).strip()) for value in values]
    return None if None in ids else ids


@signed()
def orders_items_get(state, request: Request, params: dict, token) -> Response:
    ids = id_list(params.get("order_ids", ""))
    if not ids or len(ids) > MAX_IDS:
        return error("InvalidParameter", f"order_ids is a JSON array of 1..{MAX_IDS} order ids")
    found = []
    for order_id in ids:
        order = own_order(state, {"order_id": order_id}, token)
        if isinstance(order, Response):
            return order
        items = [item_view(item, order["_country"], epoch_ms) for item in order["_items"]]
        found.append({"order_id": order["order_id"], "order_number": order["order_number"], "order_items": items})
    return answer(found)


ROUTES = [
    ("GET", r"(?:/rest)?/orders/get", orders_get),
    ("GET", r"(?:/rest)?/order/get", order_get),
    ("GET", r"(?:/rest)?/order/items/get", order_items_get),
    ("GET", r"(?:/rest)?/orders/items/get", orders_items_get),
    ("POST", r"(?:/rest)?/orders/items/get", orders_items_get),
]
