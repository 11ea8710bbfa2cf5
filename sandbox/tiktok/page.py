"""A plain page to play TikTok Shop and its buyers by hand (/_play/tiktok): add a shop, place an order,
move it, ask to cancel as the buyer, make time pass. Forms only, no script; each form goes through
the control API's own handlers and comes back to the page."""

import json
from html import escape
from urllib.parse import urlencode

from sandbox import control as common_control
from sandbox.autoplay_control import form_html
from sandbox.tiktok import control
from sandbox.tiktok.store import ORDER_STATUSES
from sandbox.web import Request, Response

PAGE = """<!doctype html><html><head><title>TikTok Shop sandbox</title></head><body>
<h1>TikTok Shop sandbox</h1><p>{message}</p>
<h2>Shops</h2><table border="1"><tr><th>Shop id</th><th>Name</th><th>Seller open_id</th><th>Cipher</th></tr>
{shops}</table>
<form method="post" action="/_play/tiktok/shop"><input name="name" placeholder="Shop name">
<button>Add a shop (and its seller)</button></form>
<h2>Place an order</h2><form method="post" action="/_play/tiktok/order">
<select name="shop_id">{shop_options}</select> <select name="status">{status_options}</select>
<input name="sale_price" value="19.99"> <button>Place</button></form>
<h2>Time</h2><form method="post" action="/_play/tiktok/clock">now {now}; advance by
<input name="advance" value="3600"> seconds <button>Make time pass</button></form>
{autoplay}
<h2>Latest orders</h2><table border="1"><tr><th>Order</th><th>Shop</th><th>Status</th><th>Total</th>
<th>Move to</th><th>Buyer</th></tr>{orders}</table></body></html>"""

ORDER_ROW = """<tr><td>{id}</td><td>{shop}</td><td>{status}{asked}</td><td>{total} {currency}</td>
<td><form method="post" action="/_play/tiktok/status"><input type="hidden" name="id" value="{id}">
<select name="status">{status_options}</select> <button>Set</button></form></td>
<td><form method="post" action="/_play/tiktok/buyer_cancel"><input type="hidden" name="id" value="{id}">
<button>Ask to cancel</button></form></td></tr>"""


def options(values, selected: str = "") -> str:
    return "".join(
        f'<option value="{escape(v)}"{" selected" if v == selected else ""}>{escape(v)}</option>' for v in values
    )


def show(state, request: Request) -> Response:
    store = state.tiktok
    shops = [(seller, shop) for seller in store.sellers.values() for shop in seller.shops]
    rows = "".join(
        f"<tr><td>{escape(shop['id'])}</td><td>{escape(shop['name'])}</td><td>{escape(seller.open_id)}</td>"
        f"<td>{escape(shop['cipher'])}</td></tr>"
        for seller, shop in shops
    )
    latest = sorted(store.orders.values(), key=lambda o: (o["update_time"], o["id"]), reverse=True)[:50]
    orders = "".join(
        ORDER_ROW.format(
            id=escape(o["id"]),
            shop=escape(o["_shop_id"]),
            status=escape(o["status"]),
            asked=" (buyer asks to cancel)" if o["is_buyer_request_cancel"] else "",
            total=escape(o["payment"]["total_amount"]),
            currency=escape(o["payment"]["currency"]),
            status_options=options(ORDER_STATUSES, o["status"]),
        )
        for o in latest
    )
    page = PAGE.format(
        message=escape(request.query.get("message", "")),
        shops=rows,
        shop_options=options([shop["id"] for _, shop in shops]),
        status_options=options(ORDER_STATUSES, "AWAITING_SHIPMENT"),
        now=state.now(),
        autoplay=form_html(state, "tiktok"),
        orders=orders,
    )
    return Response.html(page)


def act(state, request: Request) -> Response:
    """Run the control handler behind a form and come back to the page with its answer."""
    form = request.form()
    action = request.params["action"]
    if action == "shop":
        handler, data = control.add_shop, {"name": form.get("name") or "Sandbox shop"}
    elif action == "order":
        handler = control.add_orders
        data = {"shop_id": form.get("shop_id"), "status": form.get("status")}
        data["line_items"] = [{"sale_price": form.get("sale_price") or "10.00"}]
    elif action == "clock":
        advance = form.get("advance", "")
        handler, data = common_control.clock, {"advance": int(advance) if advance.isdecimal() else -1}
    elif action == "status":
        handler, data = control.set_status, {"status": form.get("status")}
    else:
        handler, data = control.buyer_cancel, {}
    inner = Request("POST", request.path, {}, {}, json.dumps(data).encode(), {"id": form.get("id", "")})
    answer = json.loads(handler(state, inner).body)
    message = answer.get("error") or "Done." if isinstance(answer, dict) else "Done."
    return Response(303, b"", {"Location": "/_play/tiktok?" + urlencode({"message": message[:200]})})


ROUTES = [
    ("GET", r"/_play/tiktok", show),
    ("POST", r"/_play/tiktok/(?P<action>shop|order|clock|status|buyer_cancel)", act),
]
