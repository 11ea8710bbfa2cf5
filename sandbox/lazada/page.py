"""A plain page to play Lazada and its buyers by hand (/_play/lazada): add a seller, place an order,
move its items, ask to cancel as the buyer, make time pass. Forms only, no script; each form goes
through the control API's own handlers and comes back to the page."""

import json
from html import escape
from urllib.parse import urlencode

from sandbox import control as common_control
from sandbox.autoplay_control import form_html
from sandbox.lazada import control
from sandbox.lazada.orders_model import ITEM_STATUSES
from sandbox.web import Request, Response

PAGE = """<!doctype html><html><head><title>Lazada sandbox</title></head><body>
<h1>Lazada sandbox</h1><p>{message}</p>
<h2>Sellers</h2><table border="1"><tr><th>Seller id</th><th>Name</th><th>Country</th><th>Short code</th></tr>
{sellers}</table>
<form method="post" action="/_play/lazada/seller"><input name="name" placeholder="Seller name">
<select name="country">{countries}</select> <button>Add a seller</button></form>
<h2>Place an order</h2><form method="post" action="/_play/lazada/order">
<select name="seller_id">{seller_options}</select> <select name="status">{status_options}</select>
<input name="item_price" value="19.90"> x <input name="quantity" value="1" size="3"> <button>Place</button></form>
<h2>Time</h2><form method="post" action="/_play/lazada/clock">now {now}; advance by
<input name="advance" value="3600"> seconds <button>Make time pass</button></form>
{autoplay}
<h2>Latest orders</h2><table border="1"><tr><th>Order</th><th>Seller</th><th>Item statuses</th><th>Price</th>
<th>Move every item to</th><th>Buyer</th></tr>{orders}</table></body></html>"""

ORDER_ROW = """<tr><td>{id}</td><td>{seller}</td><td>{statuses}{asked}</td><td>{price} {currency}</td>
<td><form method="post" action="/_play/lazada/status"><input type="hidden" name="id" value="{id}">
<select name="status">{status_options}</select> <button>Set</button></form></td>
<td><form method="post" action="/_play/lazada/buyer_cancel"><input type="hidden" name="id" value="{id}">
<button>Ask to cancel</button></form></td></tr>"""


def options(values, selected: str = "") -> str:
    return "".join(
        f'<option value="{escape(v)}"{" selected" if v == selected else ""}>{escape(v)}</option>' for v in values
    )


def order_row(order: dict) -> str:
    items = order["_items"]
    return ORDER_ROW.format(
        id=order["order_id"],
        seller=order["_seller_id"],
        statuses=escape(", ".join(item["status"] for item in items)),
        asked=" (buyer asks to cancel)" if any(item["need_cancel_confirm"] for item in items) else "",
        price=escape(order["price"]),
        currency=escape(items[0]["currency"] if items else ""),
        status_options=options(ITEM_STATUSES, items[0]["status"] if items else ""),
    )


def show(state, request: Request) -> Response:
    store = state.lazada
    store.settle()
    sellers = "".join(
        f"<tr><td>{s['seller_id']}</td><td>{escape(s['name'])}</td><td>{s['country']}</td>"
        f"<td>{escape(s['short_code'])}</td></tr>"
        for s in store.sellers.values()
    )
    latest = sorted(store.orders.values(), key=lambda o: (o["updated_at"], o["order_id"]), reverse=True)[:50]
    page = PAGE.format(
        message=escape(request.query.get("message", "")),
        sellers=sellers,
        countries=options(("MY", "SG", "PH", "TH", "VN", "ID"), "MY"),
        seller_options=options([str(s) for s in store.sellers]),
        status_options=options(ITEM_STATUSES, "pending"),
        now=state.now(),
        autoplay=form_html(state, "lazada"),
        orders="".join(order_row(o) for o in latest),
    )
    return Response.html(page)


def act(state, request: Request) -> Response:
    """Run the control handler behind a form and come back to the page with its answer."""
    form = request.form()
    action, order_id = request.params["action"], form.get("id", "")
    if action == "seller":
        handler = control.add_seller
        data = {"name": form.get("name") or "Sandbox seller", "country": form.get("country") or "MY"}
    elif action == "order":
        quantity = form.get("quantity", "")
        handler, data = control.add_orders, {"seller_id": form.get("seller_id"), "status": form.get("status")}
        units = max(1, min(int(quantity), 20)) if quantity.isdecimal() else 1
        data["items"] = [{"item_price": form.get("item_price") or "10.00", "quantity": units}]
    elif action == "clock":
        advance = form.get("advance", "")
        handler, data = common_control.clock, {"advance": int(advance) if advance.isdecimal() else -1}
    elif action == "status":
        handler, data = control.set_status, {"status": form.get("status")}
    else:
        handler, data = control.buyer_cancel, {}
    if action in ("status", "buyer_cancel") and not (order_id.isdecimal() and len(order_id) <= 18):
        return Response(303, b"", {"Location": "/_play/lazada?" + urlencode({"message": "no such order"})})
    inner = Request("POST", request.path, {}, {}, json.dumps(data).encode(), {"id": order_id})
    answer = json.loads(handler(state, inner).body)
    message = answer.get("error") or "Done." if isinstance(answer, dict) else "Done."
    return Response(303, b"", {"Location": "/_play/lazada?" + urlencode({"message": message[:200]})})


ROUTES = [
    ("GET", r"/_play/lazada", show),
    ("POST", r"/_play/lazada/(?P<action>seller|order|clock|status|buyer_cancel)", act),
]
