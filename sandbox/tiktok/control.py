"""The control API's TikTok Shop part: play the platform and the buyer (see the package docstring)."""

from dataclasses import asdict

from sandbox.tiktok.store import BUYER_CANCELLABLE, ORDER_STATUSES, TikTokStore
from sandbox.web import Request, Response

MAX_BATCH = 100_000


def refuse(message: str, status: int = 400) -> Response:
    return Response.json({"error": message}, status)


def add_app(state, request: Request) -> Response:
    try:
        app = state.tiktok.add_app(request.json())
    except (TypeError, ValueError):
        return refuse("access_ttl and refresh_ttl are whole seconds")
    return Response.json(asdict(app), 201)


def add_shop(state, request: Request) -> Response:
    return Response.json(state.tiktok.add_shop(request.json()), 201)


def add_orders(state, request: Request) -> Response:
    """One order, or `count` alike; `orders` in the answer as the API shows them."""
    data = request.json()
    shop = state.tiktok.shop_by_id(str(data.get("shop_id", "")))
    if shop is None:
        return refuse("shop_id names no shop")
    if data.get("status") not in (None, *ORDER_STATUSES):
        return refuse("status is one of " + ", ".join(ORDER_STATUSES))
    if not isinstance(data.get("line_items", []), list):
        return refuse("line_items is a list")
    number = data.get("count", 1)
    if type(number) is not int or not 1 <= number <= MAX_BATCH:
        return refuse(f"count is 1..{MAX_BATCH}")
    orders = [state.tiktok.add_order(shop, data) for _ in range(number)]
    return Response.json({"orders": [TikTokStore.public(o) for o in orders[:100]], "count": number}, 201)


def show_order(state, request: Request) -> Response:
    order = state.tiktok.orders.get(request.params["id"])
    if order is None:
        return refuse("no such order", 404)
    return Response.json({**TikTokStore.public(order), "shop_id": order["_shop_id"]})


def set_status(state, request: Request) -> Response:
    order = state.tiktok.orders.get(request.params["id"])
    if order is None:
        return refuse("no such order", 404)
    data = request.json()
    if data.get("status") not in ORDER_STATUSES:
        return refuse("status is one of " + ", ".join(ORDER_STATUSES))
    state.tiktok.set_status(
        order, data["status"], str(data.get("initiator") or "SYSTEM"), str(data.get("reason") or "")
    )
    return Response.json(TikTokStore.public(order))


def buyer_cancel(state, request: Request) -> Response:
    """The buyer asks to cancel: UNPAID cancels at once; ON_HOLD / AWAITING_SHIPMENT wait for the seller."""
    store = state.tiktok
    order = store.orders.get(request.params["id"])
    if order is None:
        return refuse("no such order", 404)
    reason = str(request.json().get("reason") or "buyer_cancel_reason_change_of_mind")
    if order["status"] == "UNPAID":
        store.set_status(order, "CANCELLED", initiator="BUYER", reason=reason)
        return Response.json(store.public(store.add_cancellation(order, "CANCEL", "BUYER", reason)), 201)
    if order["status"] not in BUYER_CANCELLABLE or order["is_buyer_request_cancel"]:
        return refuse(f"a buyer cannot ask to cancel an order in {order['status']} (or asked already)", 409)
    order["is_buyer_request_cancel"] = True
    store.touch(order)
    order["request_cancel_time"] = order["update_time"]
    return Response.json(store.public(store.add_cancellation(order, "BUYER_CANCEL", "BUYER", reason)), 201)


def revoke(state, request: Request) -> Response:
    data = request.json()
    if str(data.get("open_id", "")) not in state.tiktok.sellers:
        return refuse("open_id names no seller")
    revoked = state.tiktok.revoke(str(data["open_id"]), data.get("app_key"))
    return Response.json({"revoked": revoked})


ROUTES = [
    ("POST", r"/_control/tiktok/apps", add_app),
    ("POST", r"/_control/tiktok/shops", add_shop),
    ("POST", r"/_control/tiktok/orders", add_orders),
    ("GET", r"/_control/tiktok/orders/(?P<id>[0-9]+)", show_order),
    ("POST", r"/_control/tiktok/orders/(?P<id>[0-9]+)/status", set_status),
    ("POST", r"/_control/tiktok/orders/(?P<id>[0-9]+)/buyer_cancel", buyer_cancel),
    ("POST", r"/_control/tiktok/revoke", revoke),
]
