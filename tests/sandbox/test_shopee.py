"""Shopee Open Platform v2 against the sandbox process: the auth link, tokens and refresh, signed
calls, the order list's 15-day window and cursor paging, order detail, the seller's cancel, faults.
Calls are signed with the project's own recipe (channels.platforms.shopee), apart from the sandbox's."""

import re
import time
from urllib.parse import urlencode

import pytest

from channels.platforms.shopee import sign

KEY = "4d6a4c7a4f4b"
PARTNER = 2001887
SHOP = 322300222
DAY = 86400


def public_query(path: str, timestamp: int | None = None) -> dict:
    timestamp = timestamp or int(time.time())
    return {
        "partner_id": PARTNER,
        "timestamp": timestamp,
        "sign": sign(partner_key=KEY, partner_id=PARTNER, path=path, timestamp=timestamp),
    }


def call(sandbox, method, path, token, query=None, body=None, key=KEY, timestamp=None):
    """A signed shop API call -> (HTTP status, answer)."""
    timestamp = timestamp or int(time.time())
    signature = sign(
        partner_key=key, partner_id=PARTNER, path=path, timestamp=timestamp, access_token=token, shop_id=SHOP
    )
    common = {"partner_id": PARTNER, "timestamp": timestamp, "access_token": token, "shop_id": SHOP}
    headers = {"Content-Type": "application/json"}
    status, answer, _ = sandbox.http(method, path, {**common, "sign": signature, **(query or {})}, body, headers)
    return status, answer


def authorize(sandbox) -> str:
    """The seller confirms on the auth_partner page; the code the redirect carries for the shop."""
    path = "/api/v2/shop/auth_partner"
    query = {**public_query(path), "redirect": "http://app.test/shopee/cb"}
    status, _, headers = sandbox.http("GET", path, query)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    form = urlencode({"shop_id": SHOP, "decision": "approve"}).encode()
    status, _, headers = sandbox.http("POST", path, query, form)
    assert status == 302
    location = headers["Location"]
    assert location.startswith("http://app.test/shopee/cb?") and f"shop_id={SHOP}" in location
    return re.search(r"code=([^&]+)", location).group(1)


def token_call(sandbox, path: str, body: dict) -> dict:
    headers = {"Content-Type": "application/json"}
    return sandbox.http("POST", path, public_query(path), {"partner_id": PARTNER, "shop_id": SHOP, **body}, headers)[1]


@pytest.fixture
def partner(sandbox):
    body = {"partner_id": PARTNER, "partner_key": KEY, "redirect": "http://app.test/shopee/cb", "access_ttl": 600}
    partner = sandbox.control("POST", "shopee/partners", body)
    sandbox.control("POST", "shopee/shops", {"shop_id": SHOP, "shop_name": "Maomao SG", "region": "SG"})
    return partner


@pytest.fixture
def token(sandbox, partner):
    answer = token_call(sandbox, "/api/v2/auth/token/get", {"code": authorize(sandbox)})
    assert answer["error"] == "", answer
    return answer["access_token"]


def place(sandbox, count=1, **fields) -> list[dict]:
    return sandbox.control("POST", "shopee/orders", {"shop_id": SHOP, "count": count, **fields})["orders"]


def window(**extra) -> dict:
    now = int(time.time())
    return {"time_range_field": "create_time", "time_from": now - DAY, "time_to": now + 60, "page_size": 100, **extra}


def test_code_gives_tokens_once_and_refresh_spends_the_old_refresh_token(sandbox, partner):
    code = authorize(sandbox)
    first = token_call(sandbox, "/api/v2/auth/token/get", {"code": code})
    assert first["error"] == "" and first["access_token"] and first["refresh_token"]
    assert first["expire_in"] == 600 and first["shop_id_list"] == [SHOP]  # a duration, as Shopee gives it
    assert token_call(sandbox, "/api/v2/auth/token/get", {"code": code})["error"] == "invalid_code"
    second = token_call(sandbox, "/api/v2/auth/access_token/get", {"refresh_token": first["refresh_token"]})
    assert second["error"] == "" and second["shop_id"] == SHOP and second["partner_id"] == PARTNER
    assert second["access_token"] != first["access_token"] and second["refresh_token"] != first["refresh_token"]
    again = token_call(sandbox, "/api/v2/auth/access_token/get", {"refresh_token": first["refresh_token"]})
    assert again["error"] == "error_auth"  # usable once


def test_an_expired_access_token_is_refused_until_refreshed(sandbox, partner):
    tokens = token_call(sandbox, "/api/v2/auth/token/get", {"code": authorize(sandbox)})
    path = "/api/v2/order/get_order_list"
    assert call(sandbox, "GET", path, tokens["access_token"], window())[1]["error"] == ""
    sandbox.control("POST", "clock", {"advance": 601})
    answer = call(sandbox, "GET", path, tokens["access_token"], window())[1]
    assert answer["error"] == "error_auth" and answer["message"] == "Invalid access_token."
    fresh = token_call(sandbox, "/api/v2/auth/access_token/get", {"refresh_token": tokens["refresh_token"]})
    assert call(sandbox, "GET", path, fresh["access_token"], window())[1]["error"] == ""


def test_a_signed_call_passes_and_a_bad_sign_or_old_timestamp_is_refused(sandbox, token):
    path = "/api/v2/order/get_order_list"
    status, answer = call(sandbox, "GET", path, token, window())
    assert status == 200 and answer["error"] == "" and "response" in answer
    status, answer = call(sandbox, "GET", path, token, window(), key="not-the-key")
    assert answer["error"] == "error_sign" and answer["message"] == "Wrong sign." and "response" not in answer
    stale = int(time.time()) - 301
    assert call(sandbox, "GET", path, token, window(), timestamp=stale)[1]["error"] == "error_param"
    wrong_path = sign(partner_key=KEY, partner_id=PARTNER, path="/api/v2/order/get_order_detail",
                      timestamp=int(time.time()), access_token=token, shop_id=SHOP)  # fmt: skip
    query = {"partner_id": PARTNER, "timestamp": int(time.time()), "access_token": token, "shop_id": SHOP}
    assert sandbox.http("GET", path, {**query, "sign": wrong_path, **window()})[1]["error"] == "error_sign"


def test_a_window_over_15_days_is_refused_in_shopees_words(sandbox, token):
    now = int(time.time())
    query = window(time_from=now - 15 * DAY - 1, time_to=now)
    answer = call(sandbox, "GET", "/api/v2/order/get_order_list", token, query)[1]
    assert answer["error"] == "order.order_list_invalid_time"
    assert answer["message"] == "Start time must be earlier than end time and diff in 15days."
    assert (
        call(sandbox, "GET", "/api/v2/order/get_order_list", token, window(page_size=101))[1]["error"] == "error_param"
    )


def test_cursor_paging_walks_every_order_of_the_window_once(sandbox, partner):
    place(sandbox, count=5)  # three days before the window below
    sandbox.control("POST", "clock", {"advance": 3 * DAY})
    token = token_call(sandbox, "/api/v2/auth/token/get", {"code": authorize(sandbox)})["access_token"]
    placed = {order["order_sn"] for order in place(sandbox, count=95)}
    now = sandbox.control("GET", "clock")["now"]
    seen, cursor, pages = [], "", 0
    while True:
        query = window(time_from=now - DAY, time_to=now + 60, page_size=20, cursor=cursor)
        answer = call(sandbox, "GET", "/api/v2/order/get_order_list", token, query)[1]
        assert answer["error"] == "", answer
        seen += [row["order_sn"] for row in answer["response"]["order_list"]]
        pages += 1
        if not answer["response"]["more"]:
            assert answer["response"]["next_cursor"] == ""
            break
        cursor = answer["response"]["next_cursor"]
    assert pages == 5 and len(seen) == 95 and set(seen) == placed


def test_order_detail_gives_shopees_fields_and_types(sandbox, token):
    item = {"item_id": 23620853561, "model_sku": "QAZ-05", "model_quantity_purchased": 2, "model_original_price": 30}
    first, second = place(sandbox, count=2, item_list=[{**item, "model_discounted_price": 24.5}])
    query = {
        "order_sn_list": f"{first['order_sn']},{second['order_sn']}",
        "response_optional_fields": "item_list,total_amount",
    }
    answer = call(sandbox, "GET", "/api/v2/order/get_order_detail", token, query)[1]
    assert answer["error"] == ""
    orders = answer["response"]["order_list"]
    assert [o["order_sn"] for o in orders] == [first["order_sn"], second["order_sn"]]
    assert orders[0]["order_status"] == "READY_TO_SHIP" and orders[0]["total_amount"] == 50.99
    line = orders[0]["item_list"][0]
    assert line["model_discounted_price"] == 24.5 and isinstance(line["model_original_price"], float)
    bare = call(sandbox, "GET", "/api/v2/order/get_order_detail", token, {"order_sn_list": first["order_sn"]})[1]
    assert "item_list" not in bare["response"]["order_list"][0]  # optional fields only when asked
    missing = call(sandbox, "GET", "/api/v2/order/get_order_detail", token, {"order_sn_list": "NOPE"})[1]
    assert missing["error"] == "error_not_found"
    too_many = ",".join([first["order_sn"]] * 51)
    assert (
        call(sandbox, "GET", "/api/v2/order/get_order_detail", token, {"order_sn_list": too_many})[1]["error"]
        == "error_param"
    )


def test_the_seller_cancels_ready_to_ship_but_not_shipped(sandbox, token):
    ready, shipped = place(sandbox, count=2)
    sandbox.control("POST", f"shopee/orders/{shipped['order_sn']}/status", {"order_status": "SHIPPED"})
    path = "/api/v2/order/cancel_order"
    answer = call(
        sandbox, "POST", path, token, body={"order_sn": ready["order_sn"], "cancel_reason": "CUSTOMER_REQUEST"}
    )[1]
    assert answer["error"] == "" and answer["response"]["update_time"]
    after = sandbox.control("GET", f"shopee/orders/{ready['order_sn']}")
    assert after["order_status"] == "CANCELLED" and after["cancel_by"] == "seller"
    refused = call(
        sandbox, "POST", path, token, body={"order_sn": shipped["order_sn"], "cancel_reason": "CUSTOMER_REQUEST"}
    )[1]
    assert refused["error"] == "order.error_limit" and refused["message"] == "Can not cancel this order."
    assert sandbox.control("GET", f"shopee/orders/{shipped['order_sn']}")["order_status"] == "SHIPPED"


def test_a_buyer_cancel_request_waits_in_cancel_for_the_seller(sandbox, token):
    (order,) = place(sandbox)
    asked = sandbox.control("POST", f"shopee/orders/{order['order_sn']}/buyer_cancel", {"reason": "Change of mind"})
    assert asked["order_status"] == "IN_CANCEL"
    path = "/api/v2/order/handle_buyer_cancellation"
    assert (
        call(sandbox, "POST", path, token, body={"order_sn": order["order_sn"], "operation": "REJECT"})[1]["error"]
        == ""
    )
    assert sandbox.control("GET", f"shopee/orders/{order['order_sn']}")["order_status"] == "READY_TO_SHIP"
    again = call(sandbox, "POST", path, token, body={"order_sn": order["order_sn"], "operation": "ACCEPT"})[1]
    assert again["error"] == "order.order_status_invalid"


def test_an_injected_429_is_answered_in_shopees_words(sandbox, token):
    sandbox.control("POST", "faults", {"status": 429, "count": 1, "path": "/api/v2/order/"})
    status, answer = call(sandbox, "GET", "/api/v2/order/get_order_list", token, window())
    assert status == 429 and answer["error"] == "error_too_many_request" and answer["request_id"]
    assert call(sandbox, "GET", "/api/v2/order/get_order_list", token, window())[1]["error"] == ""


def test_a_rate_limit_counts_per_partner_and_shop(sandbox, token):
    sandbox.control("POST", "rate_limit", {"qps": 3})
    answers = [call(sandbox, "GET", "/api/v2/order/get_order_list", token, window()) for _ in range(8)]
    # eight calls span at most two seconds: at most 6 pass, the rest get Shopee's 429
    refused = [answer for status, answer in answers if status == 429]
    assert len(refused) >= 2 and all(answer["error"] == "error_too_many_request" for answer in refused)
    sandbox.control("POST", "rate_limit", {"qps": 0})
    assert call(sandbox, "GET", "/api/v2/order/get_order_list", token, window())[0] == 200


def test_hostile_list_input_is_refused_not_crashed_on(sandbox, token):
    path = "/api/v2/order/get_order_list"
    for query in (window(cursor="%%%"), window(time_from="9" * 40), window(page_size="\x00"), window(order_status="X")):
        status, answer = call(sandbox, "GET", path, token, query)
        assert status == 200 and answer["error"], (query, answer)


def test_public_calls_are_signed_without_token_or_shop(sandbox, partner):
    path = "/api/v2/auth/token/get"
    query = {**public_query(path), "sign": "0" * 64}
    answer = sandbox.http("POST", path, query, {"code": "x", "partner_id": PARTNER, "shop_id": SHOP})[1]
    assert answer["error"] == "error_sign"
    link = {**public_query("/api/v2/shop/auth_partner"), "partner_id": 1}
    assert sandbox.http("GET", "/api/v2/shop/auth_partner", link)[1]["error"] == "invalid_partner_id"
