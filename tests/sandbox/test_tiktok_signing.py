"""Request signing as TikTok checks it: the reference's vector, a right sign, a wrong one, the
timestamp window."""

import time

from sandbox.tiktok.signing import sign
from tests.sandbox.conftest import tiktok_sign

SHOPS = "/authorization/202309/shops"


def test_the_reference_vector():
    query = {"app_key": "29a39d", "timestamp": "1623812664"}
    expected = "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"
    assert sign("e59af819cc", SHOPS, query) == expected
    assert tiktok_sign("e59af819cc", SHOPS, query) == expected


def test_a_signed_call_with_a_body_succeeds(sandbox, app, shop, token):
    query = {"shop_cipher": shop["cipher"], "page_size": "10"}
    status, answer = sandbox.tiktok(
        "POST", "/order/202309/orders/search", app, token, query, {"order_status": "UNPAID"}
    )
    assert status == 200 and answer["code"] == 0, answer


def test_a_bad_sign_is_refused(sandbox, app, token):
    _, answer = sandbox.tiktok("GET", SHOPS, app, token, sign="0" * 64)
    assert answer["code"] == 106001 and answer["data"] == {}


def test_a_body_changed_after_signing_is_refused(sandbox, app, shop, token):
    query = {"app_key": app["app_key"], "timestamp": str(int(time.time())), "shop_cipher": shop["cipher"]}
    query |= {"page_size": "10"}
    query["sign"] = tiktok_sign(app["app_secret"], "/order/202309/orders/search", query, b'{"order_status":"UNPAID"}')
    headers = {"Content-Type": "application/json", "x-tts-access-token": token}
    _, answer, _ = sandbox.http("POST", "/order/202309/orders/search", query, b'{"order_status":"CANCELLED"}', headers)
    assert answer["code"] == 106001


def test_a_missing_sign_and_an_unknown_app_are_refused(sandbox, app, token):
    assert sandbox.tiktok("GET", SHOPS, app, token, sign="")[1]["code"] == 36009004
    stranger = {"app_key": "nobody", "app_secret": app["app_secret"]}
    assert sandbox.tiktok("GET", SHOPS, stranger, token)[1]["code"] == 36009004


def test_the_timestamp_window(sandbox, app, token):
    now = int(time.time())
    assert sandbox.tiktok("GET", SHOPS, app, token, timestamp=now - 240)[1]["code"] == 0
    assert sandbox.tiktok("GET", SHOPS, app, token, timestamp=now - 360)[1]["code"] == 36009004
    assert sandbox.tiktok("GET", SHOPS, app, token, timestamp=now + 120)[1]["code"] == 36009004
