"""Lazada parcel tracking (marketplaces-orders-auth.md §3.4): GET|POST /logistic/order/trace, the
carrier's events per package, "only available in the state after ready to ship". The event titles
and status codes are the sandbox's own (the reference gives the fields, not their values)."""

from sandbox.lazada.common import error, signed
from sandbox.lazada.orders import whole
from sandbox.web import Request, Response, request_id

EVENTS = {
    "ready_to_ship": ("Ready to ship", "The seller has packed the parcel; it waits for pickup", "RTS"),
    "shipped": ("Picked up", "The courier has picked up the parcel", "PICKED_UP"),
    "delivered": ("Delivered", "The parcel has been delivered", "DELIVERED"),
    "failed": ("Delivery failed", "The courier could not deliver the parcel", "FAILED_DELIVERY"),
    "lost": ("Lost", "The courier has lost the parcel", "LOST"),
}


def track(order: dict, item: dict, status: str, now: int) -> None:
    """Record the carrier's event for the item's package (once per package and status)."""
    event = EVENTS.get(status)
    if event is None:
        return
    events = order.setdefault("_trace", {}).setdefault(item["package_id"], [])
    if any(e["detail_type"] == event[2] for e in events):
        return
    title, description, code = event
    events.append(
        {"title": title, "description": description, "detail_type": code, "status_code": code}
        | {"event_time": now * 1000, "proof_images": []}
    )


@signed()
def trace(state, request: Request, params: dict, token) -> Response:
    order = state.lazada.orders.get(whole(str(params.get("order_id", ""))) or -1)
    if order is None or order["_seller_id"] != token.seller_id:
        return error("E016", "Invalid Order ID")
    tracking = {item["package_id"]: item["tracking_code"] for item in order["_items"]}
    packages = [
        {"ofc_package_id": f"FP{package_id}", "tracking_number": tracking[package_id]}
        | {"logistic_detail_info_list": list(events)}
        for package_id, events in order.get("_trace", {}).items()
    ]
    result = {"success": True, "module": [{"package_detail_info_list": packages}]}
    return Response.json({"code": "0", "request_id": request_id(), "result": result})


ROUTES = [
    ("GET", r"(?:/rest)?/logistic/order/trace", trace),
    ("POST", r"(?:/rest)?/logistic/order/trace", trace),
]
