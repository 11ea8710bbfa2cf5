"""The control API's Lazada part: add apps and sellers, place orders, move their items, ask to cancel as
the buyer, revoke a seller's tokens (see the docstring of the sandbox package)."""

from dataclasses import asdict

from sandbox.lazada.cancel import buyer_asks
from sandbox.lazada.orders_model import ITEM_STATUSES, SELLER_CANCELLABLE, item_view, order_view
from sandbox.web import Request, Response

MAX_BATCH = 100_000


def refuse(message: str, status: int = 400) -> Response:
    return Response.json({"error": message}, status)


def public(order: dict) -> dict:
    items = [item_view(item, order["_country"]) for item in order["_items"]]
    return {**order_view(order), "seller_id": order["_seller_id"], "items": items}


def add_app(state, request: Request) -> Response:
    try:
        app = state.lazada.add_app(request.json())
    except (TypeError, ValueError, OverflowError):
        return refuse("access_ttl and refresh_ttl are whole seconds, 1 second to 10 years")
    return Response.json(asdict(app), 201)


def add_seller(state, request: Request) -> Response:
    try:
        return Response.json(state.lazada.add_seller(request.json()), 201)
    except (TypeError, ValueError, OverflowError) as problem:
        return refuse(str(problem) if "country" in str(problem) else "seller_id is a positive whole number")


def add_orders(state, request: Request) -> Response:
    """One order, or `count` alike: {seller_id, status (of every item), shipping_fee, payment_method,
    buyer{first_name, phone, address1, city, post_code}, items[{sku, name, item_price, voucher_seller,
    voucher_platform, quantity (that many items: Lazada has one item per unit)}]}."""
    data = request.json()
    seller = state.lazada.seller(data.get("seller_id", ""))
    if seller is None:
        return refuse("seller_id names no seller")
    number = data.get("count", 1)
    if type(number) is not int or not 1 <= number <= MAX_BATCH:
        return refuse(f"count is 1..{MAX_BATCH}")
    lines = data.get("items") if isinstance(data.get("items"), list) else [{}]
    units = sum(
        line.get("quantity") if type(line.get("quantity")) is int else 1 for line in lines if isinstance(line, dict)
    )
    if number * units > MAX_BATCH:
        return refuse(f"count x items (one per unit) is at most {MAX_BATCH}")
    try:
        orders = [state.lazada.add_order(seller, data) for _ in range(number)]
    except ValueError as problem:
        return refuse(str(problem))
    except (TypeError, OverflowError, AttributeError):
        return refuse("numbers in the order are numbers, items a list of objects")
    return Response.json({"orders": [public(o) for o in orders[:100]], "count": number}, 201)


def order_of(state, request: Request) -> dict | None:
    state.lazada.settle()  # what the sandbox clock has brought first
    return state.lazada.orders.get(int(request.params["id"]))


def chosen_items(order: dict, data: dict) -> list[dict] | None:
    """The items named by order_item_ids, or every item when none is named."""
    wanted = data.get("order_item_ids")
    if wanted is None:
        return list(order["_items"])
    items = [item for item in order["_items"] if str(item["order_item_id"]) in {str(w) for w in wanted or []}]
    return items if isinstance(wanted, list) and len(items) == len(wanted) else None


def show_order(state, request: Request) -> Response:
    order = order_of(state, request)
    return Response.json(public(order)) if order else refuse("no such order", 404)


def set_status(state, request: Request) -> Response:
    """{status, order_item_ids (default: all), reason}: the items move (the platform, the courier)."""
    order, data = order_of(state, request), request.json()
    if order is None:
        return refuse("no such order", 404)
    if data.get("status") not in ITEM_STATUSES:
        return refuse("status is one of " + ", ".join(ITEM_STATUSES))
    items = chosen_items(order, data)
    if not items:
        return refuse("order_item_ids names items of this order")
    state.lazada.set_status(order, items, data["status"], reason=str(data.get("reason") or ""))
    return Response.json(public(order))


def buyer_cancel(state, request: Request) -> Response:
    """The buyer asks to cancel: unpaid items are canceled at once; pending..ready_to_ship items wait for
    the seller (need_cancel_confirm) until cancel_trigger_time, then cancel themselves."""
    order, data = order_of(state, request), request.json()
    if order is None:
        return refuse("no such order", 404)
    items, reason = chosen_items(order, data), str(data.get("reason") or "Change of mind")
    if not items:
        return refuse("order_item_ids names items of this order")
    if all(item["status"] == "unpaid" for item in items):
        state.lazada.set_status(order, items, "canceled", "cancellation-customer", reason)
        return Response.json(public(order), 201)
    if any(item["status"] not in SELLER_CANCELLABLE or item["need_cancel_confirm"] for item in items):
        return refuse("a buyer can ask to cancel pending to ready_to_ship items only (and once)", 409)
    reverse = buyer_asks(state.lazada, order, items, reason)
    return Response.json({**public(order), "reverse_order_id": reverse["reverse_order_id"]}, 201)


def revoke(state, request: Request) -> Response:
    data = request.json()
    seller = state.lazada.seller(data.get("seller_id", ""))
    if seller is None:
        return refuse("seller_id names no seller")
    return Response.json({"revoked": state.lazada.revoke(seller["seller_id"], data.get("app_key"))})


ID = r"(?P<id>[0-9]{1,18})"
ROUTES = [
    ("POST", r"/_control/lazada/apps", add_app),
    ("POST", r"/_control/lazada/sellers", add_seller),
    ("POST", r"/_control/lazada/orders", add_orders),
    ("GET", r"/_control/lazada/orders/" + ID, show_order),
    ("POST", r"/_control/lazada/orders/" + ID + "/status", set_status),
    ("POST", r"/_control/lazada/orders/" + ID + "/buyer_cancel", buyer_cancel),
    ("POST", r"/_control/lazada/revoke", revoke),
]
