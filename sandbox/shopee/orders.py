"""Shopee orders (marketplaces.md §2.5, marketplaces-orders-auth.md §2.2-2.3): the list (a window of
at most 15 days, cursor paging), the detail (1..50 order_sn) and the seller's cancel."""

import base64
import binascii
import json
from bisect import bisect_left, bisect_right

from sandbox.shopee.common import answer, error, signed
from sandbox.shopee.store import ORDER_STATUSES, SELLER_CANCELLABLE
from sandbox.web import Request, Response

MAX_WINDOW = 15 * 86400
BAD_WINDOW = "Start time must be earlier than end time and diff in 15days."
CANCEL_REASONS = ("OUT_OF_STOCK", "CUSTOMER_REQUEST", "UNDELIVERABLE_AREA", "COD_NOT_SUPPORTED")
REASON_TEXT = {"OUT_OF_STOCK": "Out of Stock"}  # the display string Shopee puts on the order
BASIC = (
    "order_sn",
    "region",
    "currency",
    "cod",
    "order_status",
    "message_to_seller",
    "create_time",
    "update_time",
    "days_to_ship",
    "ship_by_date",
    "booking_sn",
)


def whole(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


def encode_cursor(position: tuple) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(position)).encode()).decode()


def decode_cursor(cursor: str) -> tuple | None:
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error, UnicodeError):
        return None
    ok = isinstance(position, list) and len(position) == 2 and type(position[0]) is int
    return tuple(position) if ok and isinstance(position[1], str) else None


def list_params(query: dict) -> dict | Response:
    field = query.get("time_range_field", "")
    if field not in ("create_time", "update_time"):
        return error("error_param", "time_range_field should be create_time or update_time.")
    time_from, time_to = whole(query.get("time_from", "")), whole(query.get("time_to", ""))
    if time_from is None or time_to is None or not 0 <= time_to - time_from <= MAX_WINDOW:
        return error("order.order_list_invalid_time", BAD_WINDOW)
    size = whole(query.get("page_size", ""))
    if size is None or not 1 <= size <= 100:
        return error("error_param", "page_size should be between 1 and 100.")
    status = query.get("order_status", "")
    if status and status not in ORDER_STATUSES:
        return error("error_param", "order_status is invalid.")
    return {"field": field, "from": time_from, "to": time_to, "size": size, "status": status}


@signed("shop")
def order_list(state, request: Request, partner, shop) -> Response:
    """Oldest first within [time_from, time_to] (no sort parameter is documented); the cursor is the
    last row's (time, order_sn), so a walk sees each order once while new ones come in."""
    params = list_params(request.query)
    if isinstance(params, Response):
        return params
    store = state.shopee
    rows = store.by_time.get((shop["shop_id"], params["field"]), [])
    low, high = bisect_left(rows, (params["from"], "")), bisect_right(rows, (params["to"], "\uffff"))
    cursor = request.query.get("cursor", "")
    if cursor:
        after = decode_cursor(cursor)
        if after is None:
            return error("error_param", "cursor is invalid.")
        low = max(low, bisect_right(rows, after, low, high))
    found, position = [], low
    while position < high and len(found) < params["size"]:
        order = store.orders[rows[position][1]]
        if not params["status"] or order["order_status"] == params["status"]:
            found.append(order)
        position += 1
    more = position < high
    next_cursor = encode_cursor(rows[position - 1]) if more else ""
    optional = "order_status" in request.query.get("response_optional_fields", "").split(",")
    listed = [{"order_sn": o["order_sn"], **({"order_status": o["order_status"]} if optional else {})} for o in found]
    return answer({"more": more, "next_cursor": next_cursor, "order_list": listed})


def detail_of(order: dict, optional: set[str]) -> dict:
    keys = [*BASIC, *(name for name in order if name in optional and not name.startswith("_"))]
    return {key: order[key] for key in keys}


@signed("shop")
def order_detail(state, request: Request, partner, shop) -> Response:
    numbers = [sn for sn in request.query.get("order_sn_list", "").split(",") if sn]
    if not 1 <= len(numbers) <= 50:
        return error("error_param", "order_sn_list should have 1 to 50 order_sn.")
    orders = [state.shopee.orders.get(sn) for sn in numbers]
    if any(order is None or order["_shop_id"] != shop["shop_id"] for order in orders):
        return error("error_not_found", "Wrong parameters, detail: the order is not found.")
    optional = set(request.query.get("response_optional_fields", "").split(","))
    return answer({"order_list": [detail_of(order, optional) for order in orders]})


@signed("shop")
def cancel_order(state, request: Request, partner, shop) -> Response:
    """The seller cancels before shipping; the order becomes CANCELLED, cancel_by "seller"."""
    body = request.json()
    if not body.get("order_sn"):
        return error("error_param", "order_sn is a required field")
    order = state.shopee.orders.get(str(body["order_sn"]))
    if order is None or order["_shop_id"] != shop["shop_id"]:
        return error("error_not_found", "Wrong parameters, detail: the order is not found.")
    reason = body.get("cancel_reason")
    if reason not in CANCEL_REASONS:
        return error("error_param", "cancel_reason is invalid.")
    if reason == "OUT_OF_STOCK" and not isinstance(body.get("item_list"), list):
        return error("error_param", "item_list is a required field for OUT_OF_STOCK.")
    if order["order_status"] not in SELLER_CANCELLABLE:
        return error("order.error_limit", "Can not cancel this order.")
    order["cancel_by"], order["cancel_reason"] = "seller", REASON_TEXT.get(reason, reason)
    state.shopee.set_status(order, "CANCELLED")
    return answer({"update_time": order["update_time"]})


@signed("shop")
def handle_buyer_cancellation(state, request: Request, partner, shop) -> Response:
    """ACCEPT: CANCELLED; REJECT: back to the status before the request (neither is stated: [U])."""
    body = request.json()
    order = state.shopee.orders.get(str(body.get("order_sn", "")))
    if order is None or order["_shop_id"] != shop["shop_id"]:
        return error("error_not_found", "Wrong parameters, detail: the order is not found.")
    if body.get("operation") not in ("ACCEPT", "REJECT"):
        return error("error_param", "operation should be ACCEPT or REJECT.")
    if order["order_status"] != "IN_CANCEL":
        return error("order.order_status_invalid", "Invalid order_status.The order status should be IN_CANCEL.")
    if body["operation"] == "ACCEPT":
        order["cancel_by"] = "buyer"
        state.shopee.set_status(order, "CANCELLED")
    else:
        state.shopee.set_status(order, order["_before_cancel"] or "READY_TO_SHIP")
    return answer({"update_time": order["update_time"]})


ROUTES = [
    ("GET", r"/api/v2/order/get_order_list", order_list),
    ("GET", r"/api/v2/order/get_order_detail", order_detail),
    ("POST", r"/api/v2/order/cancel_order", cancel_order),
    ("POST", r"/api/v2/order/handle_buyer_cancellation", handle_buyer_cancellation),
]
