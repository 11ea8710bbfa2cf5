"""The page to play Shopee by hand: its forms add a shop, place and pay an order, move it, ask to cancel
as the buyer and make time pass, as the control API does."""

import re
import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit


def post_form(sandbox, action: str, **fields) -> str:
    """The message the page shows after the form (it answers 303 back to itself)."""
    status, _, headers = sandbox.http("POST", "/_play/shopee/" + action, body=urlencode(fields).encode())
    assert status == 303 and headers["Location"].startswith("/_play/shopee?")
    return parse_qs(urlsplit(headers["Location"]).query)["message"][0]


def page(sandbox) -> str:
    with urllib.request.urlopen(sandbox.url + "/_play/shopee", timeout=10) as response:
        assert response.status == 200
        return response.read().decode()


def test_the_page_places_pays_moves_and_cancels_an_order(sandbox):
    assert post_form(sandbox, "shop", shop_name="Maomao SG", region="SG", currency="SGD") == "Done."
    (shop_id,) = re.findall(r"<td>(\d+)</td><td>Maomao SG</td>", page(sandbox))
    assert post_form(sandbox, "order", shop_id=shop_id, order_status="UNPAID", price="12.50") == "Done."
    (sn,) = set(re.findall(r'name="sn" value="([0-9A-Z]+)"', page(sandbox)))
    assert post_form(sandbox, "pay", sn=sn) == "Done."
    assert sandbox.control("GET", f"shopee/orders/{sn}")["order_status"] == "READY_TO_SHIP"
    assert post_form(sandbox, "buyer_cancel", sn=sn, reason="Found Cheaper Elsewhere") == "Done."
    assert "(buyer asks to cancel: Found Cheaper Elsewhere)" in page(sandbox)
    assert post_form(sandbox, "status", sn=sn, order_status="CANCELLED") == "Done."
    shown = sandbox.control("GET", f"shopee/orders/{sn}")
    assert shown["order_status"] == "CANCELLED" and shown["total_amount"] == 12.5 + 1.99
    before = sandbox.control("GET", "clock")["now"]
    assert post_form(sandbox, "clock", advance="3600") == "Done."
    assert sandbox.control("GET", "clock")["now"] >= before + 3600


def test_the_page_says_what_it_refused_and_escapes_names(sandbox):
    assert post_form(sandbox, "clock", advance="soon").startswith("advance is")
    assert post_form(sandbox, "order", shop_id="nope", order_status="UNPAID") == "shop_id names no shop"
    assert post_form(sandbox, "pay", sn="NOSUCH") == "no such order"
    assert post_form(sandbox, "shop", shop_name="<b>x</b>") == "Done."
    shop_id = re.findall(r"<td>(\d+)</td><td>&lt;b&gt;", page(sandbox))[0]
    assert post_form(sandbox, "order", shop_id=shop_id, order_status="SHIPPED", price="ten") == (
        "numbers in the order are numbers"
    )
    post_form(sandbox, "order", shop_id=shop_id, order_status="SHIPPED")
    (sn,) = set(re.findall(r'name="sn" value="([0-9A-Z]+)"', page(sandbox)))
    assert post_form(sandbox, "pay", sn=sn).startswith("only an UNPAID order is paid")
    assert post_form(sandbox, "buyer_cancel", sn=sn).startswith("a buyer cannot ask to cancel")
    html = page(sandbox)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html and "<script" not in html
