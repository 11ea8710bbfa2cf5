"""The page to play TikTok Shop by hand: its forms place, move and cancel orders as the control API does."""

import re
import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit


def post_form(sandbox, action: str, **fields) -> str:
    """The message the page shows after the form (it answers 303 back to itself)."""
    status, _, headers = sandbox.http("POST", "/_play/tiktok/" + action, body=urlencode(fields).encode())
    assert status == 303 and headers["Location"].startswith("/_play/tiktok?")
    return parse_qs(urlsplit(headers["Location"]).query)["message"][0]


def page(sandbox) -> str:
    with urllib.request.urlopen(sandbox.url + "/_play/tiktok", timeout=10) as response:
        assert response.status == 200
        return response.read().decode()


def test_the_page_places_moves_and_cancels_an_order(sandbox, shop):
    assert shop["cipher"] in page(sandbox)
    assert post_form(sandbox, "order", shop_id=shop["id"], status="AWAITING_SHIPMENT", sale_price="12.50") == "Done."
    order_ids = set(re.findall(r'name="id" value="(\d+)"', page(sandbox)))
    assert len(order_ids) == 1
    order_id = order_ids.pop()
    assert post_form(sandbox, "buyer_cancel", id=order_id) == "Done."
    assert "(buyer asks to cancel)" in page(sandbox)
    assert post_form(sandbox, "status", id=order_id, status="IN_TRANSIT") == "Done."
    shown = sandbox.control("GET", f"tiktok/orders/{order_id}")
    assert shown["status"] == "IN_TRANSIT" and shown["payment"]["total_amount"] == "12.50"


def test_the_page_says_what_it_refused_and_escapes_names(sandbox, shop):
    assert post_form(sandbox, "clock", advance="soon").startswith("advance is")
    assert post_form(sandbox, "order", shop_id="nope", status="UNPAID") == "shop_id names no shop"
    assert post_form(sandbox, "shop", name="<b>x</b>") == "Done."
    html = page(sandbox)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
