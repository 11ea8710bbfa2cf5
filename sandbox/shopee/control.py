"""The control API's Shopee part: add partners and shops, place orders, move them, ask to cancel as
the buyer (see the docstring of the sandbox package)."""

from sandbox.shopee.store import BUYER_CANCELLABLE, ORDER_STATUSES
from sandbox.web import Request, Response

MAX_BATCH = 100_000


def refuse(message: str, status: int = 400) -> Response:
    return Response.json({"error": message}, status)


def public(order: dict) -> dict:
    return {key: value for key, value in order.items() if not key.startswith("_")} | {"shop_id": order["_shop_id"]}


def add_partner(state, request: Request) -> Response:
    try:
        partner = state.shopee.add_partner(request.json())
    except (TypeError, ValueError, OverflowError):
        return refuse("partner_id, access_ttl and refresh_ttl are positive whole numbers")
    return Response.json(partner, 201)


def set_push_url(state, request: Request) -> Response:
    """{partner_id, push_url}: where the partner's pushes go (the console's setting); "" stops them."""
    data = request.json()
    partner = state.shopee.partners.get(str(data.get("partner_id", "")))
    if partner is None:
        return refuse("partner_id names no partner")
    if not isinstance(data.get("push_url"), str):
        return refuse("push_url is a URL, or empty to stop the pushes")
    partner["push_url"] = data["push_url"]
    return Response.json(partner)


def add_shop(state, request: Request) -> Response:
    try:
        return Response.json(state.shopee.add_shop(request.json()), 201)
    except (TypeError, ValueError, OverflowError):
        return refuse("shop_id is a whole number")


def add_orders(state, request: Request) -> Response:
    """One order, or `count` alike: {shop_id, order_status, cod, item_list[{item_id, model_sku,
    model_quantity_purchased, model_original_price, model_discounted_price}], estimated_shipping_fee}."""
    data = request.json()
    shop = state.shopee.shops.get(str(data.get("shop_id", "")))
    if shop is None:
        return refuse("shop_id names no shop")
    if data.get("order_status") not in (None, *ORDER_STATUSES):
        return refuse("order_status is one of " + ", ".join(ORDER_STATUSES))
    if not isinstance(data.get("item_list", []), list):
        return refuse("item_list is a list")
    number = data.get("count", 1)
    if type(number) is not int or not 1 <= number <= MAX_BATCH:
        return refuse(f"count is 1..{MAX_BATCH}")
    try:
        orders = [state.shopee.add_order(shop, data) for _ in range(number)]
    except (TypeError, ValueError, OverflowError):
        return refuse("numbers in the order are numbers")
    return Response.json({"orders": [public(o) for o in orders[:100]], "count": number}, 201)


def show_order(state, request: Request) -> Response:
    order = state.shopee.orders.get(request.params["sn"])
    return Response.json(public(order)) if order else refuse("no such order", 404)


def set_status(state, request: Request) -> Response:
    order = state.shopee.orders.get(request.params["sn"])
    if order is None:
        return refuse("no such order", 404)
    status = request.json().get("order_status")
    if status not in ORDER_STATUSES:
        return refuse("order_status is one of " + ", ".join(ORDER_STATUSES))
    if status == "CANCELLED" and not order["cancel_by"]:
        order["cancel_by"] = "system"
    state.shopee.set_status(order, status)
    return Response.json(public(order))


def pay(state, request: Request) -> Response:
    """The buyer pays an UNPAID order: READY_TO_SHIP, with its pay_time."""
    order = state.shopee.orders.get(request.params["sn"])
    if order is None:
        return refuse("no such order", 404)
    if order["order_status"] != "UNPAID":
        return refuse(f"only an UNPAID order is paid; this one is {order['order_status']}", 409)
    state.shopee.set_status(order, "READY_TO_SHIP")
    return Response.json(public(order))


def buyer_cancel(state, request: Request) -> Response:
    """The buyer asks to cancel: UNPAID cancels at once; before shipping the order waits IN_CANCEL."""
    order = state.shopee.orders.get(request.params["sn"])
    if order is None:
        return refuse("no such order", 404)
    order["buyer_cancel_reason"] = str(request.json().get("reason") or "Change of mind")
    if order["order_status"] == "UNPAID":
        order["cancel_by"] = "buyer"
        state.shopee.set_status(order, "CANCELLED")
    elif order["order_status"] in BUYER_CANCELLABLE:
        order["_before_cancel"] = order["order_status"]
        state.shopee.set_status(order, "IN_CANCEL")
    else:
        return refuse(f"a buyer cannot ask to cancel an order in {order['order_status']}", 409)
    return Response.json(public(order), 201)


SN = r"(?P<sn>[0-9A-Z]{1,32})"
ROUTES = [
    ("POST", r"/_control/shopee/partners", add_partner),
    ("POST", r"/_control/shopee/push_url", set_push_url),
    ("POST", r"/_control/shopee/shops", add_shop),
    ("POST", r"/_control/shopee/orders", add_orders),
    ("GET", r"/_control/shopee/orders/" + SN, show_order),
    ("POST", r"/_control/shopee/orders/" + SN + "/pay", pay),
    ("POST", r"/_control/shopee/orders/" + SN + "/status", set_status),
    ("POST", r"/_control/shopee/orders/" + SN + "/buyer_cancel", buyer_cancel),
]
