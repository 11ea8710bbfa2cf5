"""Shopee pushes from the sandbox to an endpoint of the test: code 3 on every order status change (a
buyer's cancel request too, as IN_CANCEL), signed as Shopee signs them (checked with our own
channels.platforms.shopee.verify_webhook), only to partners the shop authorized, retried when the
endpoint fails. And get_shop_info, the other shop call the adapter needs."""

import hashlib
import hmac
import json
import threading
import time
from http.server import ThreadingHTTPServer

import pytest

from channels.platforms.shopee import verify_webhook
from tests.sandbox.test_shopee import KEY, PARTNER, SHOP, authorize, call, token_call
from tests.sandbox.test_tiktok_webhooks import Receiver, wait_for


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received, server.answers = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def push_url(receiver) -> str:
    return f"http://127.0.0.1:{receiver.server_address[1]}/webhooks/shopee"


def partner_with_push(sandbox, url: str, *, authorize_shop: bool = True) -> str:
    sandbox.control("POST", "shopee/partners", {"partner_id": PARTNER, "partner_key": KEY, "push_url": url})
    sandbox.control("POST", "shopee/shops", {"shop_id": SHOP, "shop_name": "Maomao SG", "region": "SG"})
    if not authorize_shop:
        return ""
    answer = token_call(sandbox, "/api/v2/auth/token/get", {"code": authorize(sandbox)})
    assert answer["error"] == "", answer
    return answer["access_token"]


def pushed(receiver) -> list[dict]:
    return [json.loads(body) for _, body in receiver.received]


def test_an_order_status_change_is_pushed_signed_over_url_and_body(sandbox, receiver):
    url = push_url(receiver)
    partner_with_push(sandbox, url)
    order = sandbox.control("POST", "shopee/orders", {"shop_id": SHOP, "order_status": "UNPAID"})["orders"][0]
    sandbox.control("POST", f"shopee/orders/{order['order_sn']}/pay", {})
    sandbox.control("POST", f"shopee/orders/{order['order_sn']}/status", {"order_status": "PROCESSED"})

    wait_for(lambda: len(receiver.received) == 3)

    for signature, body in receiver.received:
        assert signature == hmac.new(KEY.encode(), url.encode() + b"|" + body, hashlib.sha256).hexdigest()
        assert verify_webhook(partner_key=KEY, callback_url=url, body=body, signature=signature)
    notes = pushed(receiver)
    assert {(n["code"], n["shop_id"]) for n in notes} == {(3, SHOP)}
    assert [n["data"]["status"] for n in notes] == ["UNPAID", "READY_TO_SHIP", "PROCESSED"]
    assert {n["data"]["ordersn"] for n in notes} == {order["order_sn"]}  # Shopee's spelling, no underscore
    assert len({n["msg_id"] for n in notes}) == 3


def test_a_buyers_cancel_request_is_pushed_as_in_cancel_and_the_answer_follows(sandbox, receiver):
    token = partner_with_push(sandbox, push_url(receiver))
    order = sandbox.control("POST", "shopee/orders", {"shop_id": SHOP})["orders"][0]
    sandbox.control("POST", f"shopee/orders/{order['order_sn']}/buyer_cancel", {"reason": "Change of mind"})
    answer = call(sandbox, "POST", "/api/v2/order/handle_buyer_cancellation", token,
                  body={"order_sn": order["order_sn"], "operation": "ACCEPT"})[1]  # fmt: skip
    assert answer["error"] == ""

    wait_for(lambda: len(receiver.received) == 3)

    assert [n["data"]["status"] for n in pushed(receiver)] == ["READY_TO_SHIP", "IN_CANCEL", "CANCELLED"]


def test_a_failed_push_comes_again_after_five_minutes(sandbox, receiver):
    partner_with_push(sandbox, push_url(receiver))
    receiver.answers = [500]
    sandbox.control("POST", "shopee/orders", {"shop_id": SHOP})
    wait_for(lambda: sandbox.control("GET", "webhooks")["webhooks"][0]["attempts"])
    sandbox.control("POST", "clock", {"advance": 240})
    time.sleep(0.2)  # a retry now would be early; the delivery thread looks every 50 ms
    assert len(receiver.received) == 1
    sandbox.control("POST", "clock", {"advance": 60})

    wait_for(lambda: sandbox.control("GET", "webhooks")["webhooks"][0]["done"])

    assert [a["status"] for a in sandbox.control("GET", "webhooks")["webhooks"][0]["attempts"]] == [500, 200]
    assert receiver.received[0] == receiver.received[1]  # the same message, the same signature


def test_pushes_go_only_to_an_authorized_partner_with_a_push_url(sandbox, receiver):
    partner_with_push(sandbox, push_url(receiver), authorize_shop=False)
    sandbox.control("POST", "shopee/orders", {"shop_id": SHOP})
    assert sandbox.control("GET", "webhooks")["webhooks"] == []  # the shop has not authorized the partner

    authorize_and_token = token_call(sandbox, "/api/v2/auth/token/get", {"code": authorize(sandbox)})
    assert authorize_and_token["error"] == ""
    sandbox.control("POST", "shopee/push_url", {"partner_id": PARTNER, "push_url": ""})
    sandbox.control("POST", "shopee/orders", {"shop_id": SHOP})
    assert sandbox.control("GET", "webhooks")["webhooks"] == []  # no push URL set

    moved = push_url(receiver) + "/v2"
    sandbox.control("POST", "shopee/push_url", {"partner_id": PARTNER, "push_url": moved})
    sandbox.control("POST", "shopee/orders", {"shop_id": SHOP})
    (sent,) = sandbox.control("GET", "webhooks")["webhooks"]
    assert sent["url"] == moved
    signature = sent["headers"]["Authorization"]
    assert verify_webhook(partner_key=KEY, callback_url=moved, body=sent["body"], signature=signature)


def test_the_push_url_control_refuses_what_it_cannot_use(sandbox):
    status, answer, _ = sandbox.http("POST", "/_control/shopee/push_url", body={"partner_id": 1, "push_url": "x"})
    assert (status, answer["error"]) == (400, "partner_id names no partner")


def test_shop_info_answers_flat_with_the_authorization_times(sandbox):
    token = partner_with_push(sandbox, "")
    now = sandbox.control("GET", "clock")["now"]

    status, info = call(sandbox, "GET", "/api/v2/shop/get_shop_info", token)

    assert status == 200 and info["error"] == "" and "response" not in info
    assert (info["shop_name"], info["region"], info["status"]) == ("Maomao SG", "SG", "NORMAL")
    assert now - 5 <= info["auth_time"] <= now and info["expire_time"] == info["auth_time"] + 365 * 86400
    assert call(sandbox, "GET", "/api/v2/shop/get_shop_info", token, key="wrong")[1]["error"] == "error_sign"
