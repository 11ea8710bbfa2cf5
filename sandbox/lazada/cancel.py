"""Lazada cancellation (marketplaces.md §3.3, marketplaces-orders-auth.md §3.3): the seller checks and
cancels order items (/order/reverse/cancel/validate, /create), and answers a buyer's request
(/order/reverse/cancel/seller/decide). Cancel is per item; cancelling a packed item cancels its package.
A cancelled item cannot be cancelled again (E0123): asking twice changes nothing."""

from sandbox.lazada.common import answer, error, signed
from sandbox.lazada.orders import id_list, whole
from sandbox.lazada.orders_model import SELLER_CANCELLABLE
from sandbox.lazada.store import CANCEL_SLA, LOGISTICS_DELAY
from sandbox.web import Request, Response

# reason_id differs per country (docId=121329); the three documented ids are SG/MY/PH's here, and the
# other countries' ids are the sandbox's own, so an adapter must take them from validate.
REASONS = {"10000021": "Out of Stock", "10000023": "Pricing Error", "10000019": "Sourcing Delay"}
OTHER_REASONS = {"20000021": "Out of Stock", "20000023": "Pricing Error", "20000019": "Sourcing Delay"}


def reasons_for(country: str) -> dict[str, str]:
    return REASONS if country in ("SG", "MY", "PH") else OTHER_REASONS


def lines_of(state, params: dict, token) -> tuple[dict, list[dict]] | Response:
    """The order and the items named, with Lazada's refusals for each wrong part."""
    if not params.get("order_id"):
        return error("E0115", "order id is null")
    order = state.lazada.orders.get(whole(str(params["order_id"])) or -1)
    if order is None:
        return error("E0122", "invalid trade order")
    if order["_seller_id"] != token.seller_id:
        return error("E0124", "the seller does not own the order lines")
    ids = id_list(params.get("order_item_id_list", ""))
    if not ids:
        return error("E0102", "order line id is empty or invalid")
    items = {item["order_item_id"]: item for item in order["_items"]}
    if any(item_id not in items for item_id in ids):
        return error("E0123", "invalid trade order lines: not all are lines of this order")
    return order, [items[item_id] for item_id in ids]


def refusal(items: list[dict]) -> str:
    late = [item for item in items if item["status"] not in SELLER_CANCELLABLE]
    if not late:
        return ""
    named = ", ".join(f"{item['order_item_id']} is {item['status']}" for item in late)
    return f"invalid trade order lines: {named}; only pending to ready_to_ship items can be cancelled"


def with_packages(order: dict, items: list[dict]) -> list[dict]:
    """A packed item takes its whole package with it."""
    packed = {item["package_id"] for item in items if item["status"] in ("packed", "repacked", "ready_to_ship")}
    chosen = {item["order_item_id"] for item in items}
    return [item for item in order["_items"] if item["order_item_id"] in chosen or item["package_id"] in packed]


@signed()
def validate(state, request: Request, params: dict, token) -> Response:
    found = lines_of(state, params, token)
    if isinstance(found, Response):
        return found
    order, items = found
    options = [{"reason_id": key, "reason_name": name} for key, name in reasons_for(order["_country"]).items()]
    problem = refusal(items)
    if problem:
        return answer({"tip_type": "error", "tip_content": problem, "reason_options": options})
    more = len(with_packages(order, items)) > len(items)
    tip = "Cancelling a packed item cancels its whole package." if more else ""
    return answer({"tip_type": "warning" if more else "", "tip_content": tip, "reason_options": options})


@signed()
def create(state, request: Request, params: dict, token) -> Response:
    found = lines_of(state, params, token)
    if isinstance(found, Response):
        return found
    order, items = found
    reason = reasons_for(order["_country"]).get(str(params.get("reason_id", "")))
    if reason is None:
        return error("E0104", "reason id is empty or invalid for this country")
    problem = refusal(items)
    if problem:
        return error("E0123", problem)
    items = with_packages(order, items)
    store = state.lazada
    reverse = store.add_reverse(order, items, "CANCEL_SUCCESS", "seller")
    store.set_status(order, items, "canceled", "cancellation-seller", reason)
    for item in items:
        store.reverse_changed(order, reverse, item)
    return answer({"tip_type": "success", "tip_content": ""})


def truth(text: str) -> bool | None:
    return {"true": True, "false": False, "1": True, "0": False}.get(text.strip().lower())


@signed()
def decide(state, request: Request, params: dict, token) -> Response:
    """agree_cancel=true: the items wait for logistics (is_cancel_pending), then are canceled;
    false: the request is refused and the order goes on."""
    store = state.lazada
    reverse = store.reverse.get(whole(str(params.get("reverse_order_id", ""))) or -1)
    if reverse is None or reverse["_seller_id"] != token.seller_id:
        return error("E0105", "reverse order id is invalid")
    agree = truth(str(params.get("agree_cancel", "")))
    if agree is None:
        return error("InvalidParameter", "agree_cancel is true or false")
    order = store.orders[reverse["trade_order_id"]]
    items = [store.items[item_id] for item_id in reverse["lines"]]
    waiting = [item for item in items if item["need_cancel_confirm"] and item["status"] != "canceled"]
    if not waiting:
        return error("E0131", "no decision for this reverse order")
    now = store.now()
    for item in waiting:
        item["need_cancel_confirm"], item["updated_at"] = False, now
        if agree:
            item["is_cancel_pending"], item["_due"] = True, now + LOGISTICS_DELAY
            store.waiting.append(item)
    if not agree:
        reverse["reverse_status"] = "REQUEST_REJECT"
    store.touch(order)
    return answer()


API_STATUS = {"CANCEL_INIT": "REQUEST_INITIATE"}  # the push says CANCEL_INIT, the API REQUEST_INITIATE (§3.8)


@signed()
def reverse_detail(state, request: Request, params: dict, token) -> Response:
    """GetReverseOrderDetail for a cancel reverse order: its lines under reverseOrderLineDTOList."""
    store = state.lazada
    reverse = store.reverse.get(whole(str(params.get("reverse_order_id", ""))) or -1)
    if reverse is None or reverse["_seller_id"] != token.seller_id:
        return error("E0105", "reverse order id is invalid")
    status = API_STATUS.get(reverse["reverse_status"], reverse["reverse_status"])
    lines = [
        {"reverse_order_line_id": line_id, "trade_order_line_id": item_id, "reverse_status": status}
        | {"reason_text": store.items[item_id]["reason"], "is_need_refund": False}
        for item_id, line_id in reverse["lines"].items()
    ]
    data = {"reverse_order_id": reverse["reverse_order_id"], "trade_order_id": reverse["trade_order_id"]}
    return answer({**data, "request_type": reverse["request_type"], "reverseOrderLineDTOList": lines})


def buyer_asks(store, order: dict, items: list[dict], reason: str) -> dict:
    """The buyer asks to cancel (control API): the items wait for the seller until cancel_trigger_time."""
    now = store.now()
    reverse = store.add_reverse(order, items, "CANCEL_INIT", "buyer")
    for item in items:
        item["need_cancel_confirm"], item["reason"], item["updated_at"] = True, reason, now
        item["cancel_trigger_time"] = (now + CANCEL_SLA) * 1000
        item["_due"] = now + CANCEL_SLA
        store.waiting.append(item)
        store.reverse_changed(order, reverse, item)
    store.touch(order)
    return reverse


ROUTES = [
    ("GET", r"(?:/rest)?/order/reverse/cancel/validate", validate),
    ("GET", r"(?:/rest)?/order/reverse/cancel/create", create),
    ("POST", r"(?:/rest)?/order/reverse/cancel/create", create),
    ("GET", r"(?:/rest)?/order/reverse/cancel/seller/decide", decide),
    ("GET", r"(?:/rest)?/order/reverse/return/detail/list", reverse_detail),
]
