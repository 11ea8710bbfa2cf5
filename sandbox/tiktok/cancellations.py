"""TikTok Shop cancellations (marketplaces.md §1.3-1.5): the seller cancels, searches cancellations,
and approves or rejects a buyer's request. A repeated idempotency_key gets its first answer again
and changes nothing."""

from sandbox.tiktok.common import BAD_CANCEL_REASON, BAD_PARAM, NOT_SELLERS_ORDER, answer, error, signed
from sandbox.tiktok.orders import search_params
from sandbox.tiktok.paging import page, sort_rows
from sandbox.tiktok.store import SELLER_CANCELLABLE, TikTokStore
from sandbox.web import Request, Response

PENDING = "CANCELLATION_REQUEST_PENDING"
NOT_PENDING = BAD_PARAM  # the code for answering a request that is no longer pending is not documented


def once(handler):
    """Answer a repeated idempotency_key (per path) with the data first answered to it."""

    def run(state, request: Request, token, shop) -> Response:
        key = request.query.get("idempotency_key", "")
        stored = state.tiktok.answers.get(request.path + " " + key) if key else None
        if stored is not None:
            return answer(stored)
        response = handler(state, request, token, shop)
        data = getattr(response, "data", None)
        if key and data is not None:
            state.tiktok.answers[request.path + " " + key] = data
        return response

    run.__name__ = handler.__name__
    return run


def succeed(data: dict) -> Response:
    response = answer(data)
    response.data = data  # kept for `once`
    return response


@signed(shop_scoped=True)
@once
def cancel(state, request: Request, token, shop) -> Response:
    """The seller cancels: ON_HOLD / AWAITING_SHIPMENT / AWAITING_COLLECTION only, never UNPAID."""
    store = state.tiktok
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
    cancellation = store.add_cancellation(order, "CANCEL", "SELLER", reason)
    return succeed({"cancel_id": cancellation["cancel_id"], "cancel_status": cancellation["cancel_status"]})


def cancellation_matches(cancellation: dict, body: dict) -> bool:
    lists = {"cancel_ids": "cancel_id", "order_ids": "order_id", "cancel_types": "cancel_type"}
    for name, field in {**lists, "cancel_status": "cancel_status"}.items():
        wanted = body.get(name)
        if isinstance(wanted, list) and wanted and cancellation[field] not in wanted:
            return False
    for name in ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt"):
        field, bound = name.rsplit("_", 1)
        if name in body and not (
            cancellation[field] >= body[name] if bound == "ge" else cancellation[field] < body[name]
        ):
            return False
    return True


@signed(shop_scoped=True)
def search(state, request: Request, token, shop) -> Response:
    params = search_params(request, max_size=50)
    if isinstance(params, str):
        return error(BAD_PARAM, params)
    page_size, sort_field, descending, body = params
    rows = [
        c for c in state.tiktok.cancellations.values() if c["_shop_id"] == shop["id"] and cancellation_matches(c, body)
    ]
    rows, keys = sort_rows(rows, sort_field, "cancel_id")
    paged = page(rows, keys, page_size, request.query.get("page_token", ""), descending)
    if paged is None:
        return error(BAD_PARAM, "Invalid page_token")
    found = [TikTokStore.public(c) for c in paged[0]]
    return answer({"next_page_token": paged[1], "total_count": len(rows), "cancellations": found})


def pending_request(state, request: Request, shop) -> dict | Response:
    cancellation = state.tiktok.cancellations.get(request.params["cancel_id"])
    if cancellation is None or cancellation["_shop_id"] != shop["id"]:
        return error(NOT_SELLERS_ORDER, "The cancellation does not belong to this seller")
    if cancellation["cancel_status"] != PENDING:
        return error(NOT_PENDING, f"The cancellation is {cancellation['cancel_status']}, not pending")
    return cancellation


def settle(state, cancellation: dict, status: str) -> None:
    cancellation["cancel_status"] = status
    cancellation["update_time"] = state.tiktok.now()
    cancellation["seller_next_action_response"] = []
    order = state.tiktok.orders[cancellation["order_id"]]
    order["is_buyer_request_cancel"] = False
    state.tiktok.touch(order)
    state.tiktok.cancellation_changed(cancellation)


@signed(shop_scoped=True)
@once
def approve(state, request: Request, token, shop) -> Response:
    cancellation = pending_request(state, request, shop)
    if isinstance(cancellation, Response):
        return cancellation
    settle(state, cancellation, "CANCELLATION_REQUEST_COMPLETE")
    order = state.tiktok.orders[cancellation["order_id"]]
    state.tiktok.set_status(order, "CANCELLED", initiator="BUYER", reason=cancellation["cancel_reason"])
    return succeed({})


@signed(shop_scoped=True)
@once
def reject(state, request: Request, token, shop) -> Response:
    """The seller refuses the buyer's request; the order goes on (status spelled as the search answers)."""
    if not str(request.json().get("reject_reason") or ""):
        return error(BAD_PARAM, "reject_reason is required")
    cancellation = pending_request(state, request, shop)
    if isinstance(cancellation, Response):
        return cancellation
    settle(state, cancellation, "CANCELLATION_REQUEST_CANCELLED")
    return succeed({})


ROUTES = [
    ("POST", r"/return_refund/202309/cancellations", cancel),
    ("POST", r"/return_refund/202309/cancellations/search", search),
    ("POST", r"/return_refund/202309/cancellations/(?P<cancel_id>[0-9]+)/approve", approve),
    ("POST", r"/return_refund/202309/cancellations/(?P<cancel_id>[0-9]+)/reject", reject),
]
