"""TikTok Shop orders (marketplaces-orders-auth.md §1.2) and the seller's cancel
(marketplaces.md §1.3): search with page_token, detail by ids, cancel with an idempotency key."""

import base64
import binascii
import json

from sandbox.tiktok.common import (
    BAD_CANCEL_REASON,
    BAD_PARAM,
    NOT_SELLERS_ORDER,
    answer,
    error,
    signed,
)
from sandbox.tiktok.store import SELLER_CANCELLABLE, TikTokStore
from sandbox.web import Request, Response

TIME_FILTERS = ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt")
MAX_IDS = 50


def encode_token(position: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def decode_token(token: str) -> list | None:
    """The position after which the next page starts; None when the token is not one of ours."""
    try:
        position = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, binascii.Error, UnicodeError):
        return None
    valid = isinstance(position, list) and len(position) == 2 and isinstance(position[0], int)
    return position if valid and isinstance(position[1], str) else None


def search_params(request: Request) -> tuple[int, str, bool, dict] | str:
    """page_size, sort field, descending?, body filters; or the complaint about them."""
    try:
        page_size = int(request.query.get("page_size", ""))
    except ValueError:
        return "page_size is required (1..100)"
    sort_field = request.query.get("sort_field") or "create_time"
    sort_order = request.query.get("sort_order") or "DESC"
    body = request.json()
    if not 1 <= page_size <= 100:
        return "page_size must be between 1 and 100"
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
    rows = [o for o in state.tiktok.orders.values() if o["_shop_id"] == shop["id"] and matches(o, body)]
    rows.sort(key=lambda o: (o[sort_field], o["id"]), reverse=descending)
    start = 0
    if request.query.get("page_token"):
        position = decode_token(request.query["page_token"])
        if position is None:
            return error(BAD_PARAM, "Invalid page_token")
        after = tuple(position)
        keys = [(o[sort_field], o["id"]) for o in rows]
        start = next((i for i, key in enumerate(keys) if (key < after if descending else key > after)), len(rows))
    page = rows[start : start + page_size]
    more = start + page_size < len(rows)
    next_token = encode_token([page[-1][sort_field], page[-1]["id"]]) if more else ""
    orders = [TikTokStore.public(o) for o in page]
    return answer({"next_page_token": next_token, "total_count": len(rows), "orders": orders})


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
def cancel(state, request: Request, token, shop) -> Response:
    """The seller cancels: allowed in ON_HOLD / AWAITING_SHIPMENT / AWAITING_COLLECTION only. A repeated
    idempotency_key gets the first answer again and changes nothing."""
    store = state.tiktok
    key = request.query.get("idempotency_key", "")
    if key and key in store.cancellations:
        return answer(store.cancellations[key])
    body = request.json()
    order = store.orders.get(str(body.get("order_id", "")))
    if order is None or order["_shop_id"] != shop["id"]:
        return error(NOT_SELLERS_ORDER, "The order or package does not belong to this seller")
    reason = str(body.get("cancel_reason") or "")
    if not reason:
        return error(BAD_PARAM, "cancel_reason is required")
    if order["status"] not in SELLER_CANCELLABLE:
        return error(BAD_CANCEL_REASON, f"The cancel reason is not valid for an order in {order['status']}")
    store.set_status(order, "CANCELLED", initiator="SELLER", reason=reason)
    result = {"cancel_id": store.next_id(), "cancel_status": "CANCELLATION_REQUEST_COMPLETE"}
    if key:
        store.cancellations[key] = result
    return answer(result)


ROUTES = [
    ("POST", r"/order/202309/orders/search", search),
    ("GET", r"/order/202309/orders", detail),
    ("GET", r"/order/202507/orders", detail),
    ("POST", r"/return_refund/202309/cancellations", cancel),
]
