"""A plain page to play Shopee and its buyers by hand (/_play/shopee): add a shop, place an order and
pay it, move it, ask to cancel as the buyer, make time pass. Forms only, no script; each form goes
through the control API's own handlers and comes back to the page."""

import json
from html import escape
from urllib.parse import urlencode

from sandbox import control as common_control
from sandbox.autoplay_control import form_html
from sandbox.shopee import control
from sandbox.shopee.store import ORDER_STATUSES
from sandbox.web import Request, Response

PAGE = """<!doctype html><html><head><title>Shopee sandbox</title></head><body>
<h1>Shopee sandbox</h1><p>{message}</p>
<h2>Partners</h2><table border="1"><tr><th>Partner id</th><th>Push URL</th></tr>{partners}</table>
<h2>Shops</h2><table border="1"><tr><th>Shop id</th><th>Name</th><th>Region</th><th>Currency</th></tr>
{shops}</table>
<form method="post" action="/_play/shopee/shop"><input name="shop_name" placeholder="Shop name">
<input name="region" value="SG" size="3"> <input name="currency" value="SGD" size="4">
<button>Add a shop</button></form>
<h2>Place an order</h2><form method="post" action="/_play/shopee/order">
<select name="shop_id">{shop_options}</select> <select name="order_status">{status_options}</select>
<input name="price" value="19.99"> <button>Place</button></form>
<h2>Time</h2><form method="post" action="/_play/shopee/clock">now {now}; advance by
<input name="advance" value="3600"> seconds <button>Make time pass</button></form>
{autoplay}
<h2>Latest orders</h2><table border="1"><tr><th>Order</th><th>Shop</th><th>Status</th><th>Total</th>
<th>Pay</th><th>Move to</th><th>Buyer</th></tr>{orders}</table></body></html>"""

ORDER_ROW = """<tr><td>{sn}</td><td>{shop}</td><td>{status}{asked}</td><td>{total} {currency}</td>
<td><form method="post" action="/_play/shopee/pay"><input type="hidden" name="sn" value="{sn}">
<button{paid}>Pay</button></form></td>
<td><form method="post" action="/_play/shopee/status"><input type="hidden" name="sn" value="{sn}">
<select name="order_status">{status_options}</select> <button>Set</button></form></td>
<td><form method="post" action="/_play/shopee/buyer_cancel"><input type="hidden" name="sn" value="{sn}">
<input name="reason" value="Change of mind"> <button>Ask to cancel</button></form></td></tr>"""


def options(values, selected: str = "") -> str:
    return "".join(
        f'<option value="{escape(str(v))}"{" selected" if v == selected else ""}>{escape(str(v))}</option>'
        for v in values
    )


def order_row(order: dict) -> str:
    return ORDER_ROW.format(
        sn=escape(order["order_sn"]),
        shop=order["_shop_id"],
        status=escape(order["order_status"]),
        asked=f" (buyer asks to cancel: {escape(order['buyer_cancel_reason'])})"
        if order["order_status"] == "IN_CANCEL"
        else "",
        total=f"{order['total_amount']:.2f}",
        currency=escape(order["currency"]),
        paid="" if order["order_status"] == "UNPAID" else " disabled",
        status_options=options(ORDER_STATUSES, order["order_status"]),
    )


def show(state, request: Request) -> Response:
    store = state.shopee
    partners = "".join(
        f"<tr><td>{p['partner_id']}</td><td>{escape(p['push_url']) or '(none)'}</td></tr>"
        for p in store.partners.values()
    )
    shops = "".join(
        f"<tr><td>{s['shop_id']}</td><td>{escape(s['shop_name'])}</td><td>{escape(s['region'])}</td>"
        f"<td>{escape(s['currency'])}</td></tr>"
        for s in store.shops.values()
    )
    latest = sorted(store.orders.values(), key=lambda o: (o["update_time"], o["order_sn"]), reverse=True)[:50]
    page = PAGE.format(
        message=escape(request.query.get("message", "")),
        partners=partners,
        shops=shops,
        shop_options=options(s["shop_id"] for s in store.shops.values()),
        status_options=options(ORDER_STATUSES, "UNPAID"),
        now=state.now(),
        autoplay=form_html(state, "shopee"),
        orders="".join(order_row(o) for o in latest),
    )
    return Response.html(page)


def number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text  # the control handler says what it refuses


def act(state, request: Request) -> Response:
    """Run the control handler behind a form and come back to the page with its answer."""
    form = request.form()
    action = request.params["action"]
    if action == "shop":
        fields = ("shop_name", "region", "currency")
        handler, data = control.add_shop, {key: form.get(key, "") for key in fields}
    elif action == "order":
        handler = control.add_orders
        data = {"shop_id": form.get("shop_id", ""), "order_status": form.get("order_status")}
        data["item_list"] = [{"model_original_price": number(form.get("price") or "10.00")}]
    elif action == "clock":
        advance = form.get("advance", "")
        handler, data = common_control.clock, {"advance": int(advance) if advance.isdecimal() else -1}
    elif action == "pay":
        handler, data = control.pay, {}
    elif action == "status":
        handler, data = control.set_status, {"order_status": form.get("order_status")}
    else:
        handler, data = control.buyer_cancel, {"reason": form.get("reason", "")}
    inner = Request("POST", request.path, {}, {}, json.dumps(data).encode(), {"sn": form.get("sn", "")})
    answer = json.loads(handler(state, inner).body)
    message = answer.get("error") or "Done." if isinstance(answer, dict) else "Done."
    return Response(303, b"", {"Location": "/_play/shopee?" + urlencode({"message": message[:200]})})


ROUTES = [
    ("GET", r"/_play/shopee", show),
    ("POST", r"/_play/shopee/(?P<action>shop|order|clock|pay|status|buyer_cancel)", act),
]
