"""Lazada cancellation and pushes in the sandbox: the seller cancels items (validate, create), a packed
item takes its package, a second cancel changes nothing; a buyer's request is decided or cancels
itself; pushes are signed and retried every 30 minutes (the real process)."""

import hashlib
import hmac
import json
import threading
import time
from http.server import ThreadingHTTPServer

import pytest

from tests.sandbox.test_tiktok_webhooks import Receiver, wait_for
from tests.sandbox_fixtures import lazada_authorize, lazada_call

APP = {"app_key": "100555", "app_secret": "lz-cancel", "redirect_uri": "http://app.test/lazada"}
CREATE = "/order/reverse/cancel/create"


@pytest.fixture
def app(sandbox):
    return sandbox.control("POST", "lazada/apps", APP)


@pytest.fixture
def seller(sandbox):
    return sandbox.control("POST", "lazada/sellers", {"name": "Kedai", "country": "MY"})


@pytest.fixture
def token(sandbox, app, seller):
    code = lazada_authorize(sandbox, app, seller)
    return lazada_call(sandbox, "/auth/token/create", app, params={"code": code})[1]["access_token"]


@pytest.fixture
def receiver():
    """An endpoint that records the pushes it gets (Receiver of the TikTok webhook tests)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received, server.answers = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def place(sandbox, seller, **order) -> dict:
    return sandbox.control("POST", "lazada/orders", {"seller_id": seller["seller_id"], **order})["orders"][0]


def lines(order: dict, *positions: int) -> dict:
    chosen = [order["items"][n]["order_item_id"] for n in positions]
    return {"order_id": str(order["order_id"]), "order_item_id_list": json.dumps(chosen)}


def items_of(sandbox, order: dict) -> list[dict]:
    return sandbox.control("GET", f"lazada/orders/{order['order_id']}")["items"]


def test_validate_lists_the_countrys_reasons_and_create_cancels_the_items(sandbox, app, token, seller):
    order = place(sandbox, seller, status="pending", items=[{"quantity": 2}])
    _, checked = lazada_call(sandbox, "/order/reverse/cancel/validate", app, token, params=lines(order, 0))
    assert {"reason_id": "10000021", "reason_name": "Out of Stock"} in checked["data"]["reason_options"]

    _, done = lazada_call(sandbox, CREATE, app, token, params={**lines(order, 0), "reason_id": "10000021"})
    _, again = lazada_call(sandbox, CREATE, app, token, params={**lines(order, 0), "reason_id": "10000021"})

    assert done["data"]["tip_type"] == "success"
    assert again["code"] == "E0123" and "canceled" in again["message"]  # nothing cancelled twice
    assert [i["status"] for i in items_of(sandbox, order)] == ["canceled", "pending"]
    assert items_of(sandbox, order)[0]["reverse_order_id"].isdigit()
    assert sandbox.control("GET", "calls")["paths"][CREATE] == 2


def test_a_packed_item_takes_its_whole_package(sandbox, app, token, seller):
    order = place(sandbox, seller, status="packed", items=[{"quantity": 3}])
    _, checked = lazada_call(sandbox, "/order/reverse/cancel/validate", app, token, params=lines(order, 0))
    assert checked["data"]["tip_type"] == "warning"
    lazada_call(sandbox, CREATE, app, token, params={**lines(order, 0), "reason_id": "10000019"})
    assert [i["status"] for i in items_of(sandbox, order)] == ["canceled"] * 3


@pytest.mark.parametrize(
    ("status", "reason", "code"),
    [("shipped", "10000021", "E0123"), ("delivered", "10000021", "E0123"), ("pending", "99", "E0104")],
)
def test_a_cancel_is_refused_with_the_platforms_reason(sandbox, app, token, seller, status, reason, code):
    order = place(sandbox, seller, status=status)
    _, refused = lazada_call(sandbox, CREATE, app, token, params={**lines(order, 0), "reason_id": reason})
    assert refused["code"] == code
    assert [i["status"] for i in items_of(sandbox, order)] == [status]


def test_reason_ids_differ_per_country(sandbox, app, token):
    thai = sandbox.control("POST", "lazada/sellers", {"name": "Ran", "country": "TH"})
    thai_token = lazada_call(sandbox, "/auth/token/create", app, params={"code": lazada_authorize(sandbox, app, thai)})[
        1
    ]["access_token"]
    order = place(sandbox, thai)
    _, checked = lazada_call(sandbox, "/order/reverse/cancel/validate", app, thai_token, params=lines(order, 0))
    assert "10000021" not in {o["reason_id"] for o in checked["data"]["reason_options"]}
    _, refused = lazada_call(sandbox, CREATE, app, thai_token, params={**lines(order, 0), "reason_id": "10000021"})
    assert refused["code"] == "E0104"


def test_a_buyers_request_cancels_itself_at_its_trigger_time(sandbox, app, token, seller):
    order = place(sandbox, seller, status="pending")
    asked = sandbox.control("POST", f"lazada/orders/{order['order_id']}/buyer_cancel", {"reason": "Found cheaper"})
    (item,) = asked["items"]
    assert item["need_cancel_confirm"] is True and item["reverse_order_id"] == str(asked["reverse_order_id"])
    trigger = int(item["cancel_trigger_time"]) // 1000
    sandbox.control("POST", "clock", {"advance": trigger - sandbox.control("GET", "clock")["now"] + 1})
    (item,) = items_of(sandbox, order)
    assert (item["status"], item["cancel_return_initiator"]) == ("canceled", "cancellation-customer")


def test_a_decision_is_taken_once(sandbox, app, token, seller):
    order = place(sandbox, seller, status="ready_to_ship")
    reverse = str(sandbox.control("POST", f"lazada/orders/{order['order_id']}/buyer_cancel", {})["reverse_order_id"])
    decide = "/order/reverse/cancel/seller/decide"
    assert (
        lazada_call(sandbox, decide, app, token, params={"reverse_order_id": reverse, "agree_cancel": "true"})[1][
            "code"
        ]
        == "0"
    )
    (item,) = items_of(sandbox, order)
    assert item["is_cancel_pending"] is True and item["status"] == "ready_to_ship"  # logistics confirms later
    _, again = lazada_call(sandbox, decide, app, token, params={"reverse_order_id": reverse, "agree_cancel": "false"})
    assert again["code"] == "E0131"
    _, unknown = lazada_call(sandbox, decide, app, token, params={"reverse_order_id": "1", "agree_cancel": "true"})
    assert unknown["code"] == "E0105"


def connect(sandbox, receiver, seller):
    url = f"http://127.0.0.1:{receiver.server_address[1]}/webhooks/lazada"
    app = sandbox.control("POST", "lazada/apps", {"app_key": "100999", "app_secret": "hook-s3cret", "webhook_url": url})
    _, token = lazada_call(sandbox, "/auth/token/create", app, params={"code": lazada_authorize(sandbox, app, seller)})
    assert token["code"] == "0"
    return app


def test_item_changes_are_pushed_signed(sandbox, receiver, seller):
    connect(sandbox, receiver, seller)
    order = place(sandbox, seller, status="pending")
    sandbox.control("POST", f"lazada/orders/{order['order_id']}/status", {"status": "ready_to_ship"})
    wait_for(lambda: len(receiver.received) == 2)
    for signature, body in receiver.received:
        assert signature == hmac.new(b"hook-s3cret", b"100999" + body, hashlib.sha256).hexdigest()
    pushed = [json.loads(body) for _, body in receiver.received]
    assert {(p["message_type"], p["site"], p["seller_id"]) for p in pushed} == {
        (0, "lazada_my", str(seller["seller_id"]))
    }
    assert [p["data"]["order_status"] for p in pushed] == ["pending", "ready_to_ship"]
    assert {p["data"]["trade_order_line_id"] for p in pushed} == {str(order["items"][0]["order_item_id"])}


def test_a_failed_push_comes_again_30_minutes_later(sandbox, receiver, seller):
    connect(sandbox, receiver, seller)
    receiver.answers = [503]
    place(sandbox, seller)
    wait_for(lambda: sandbox.control("GET", "webhooks")["webhooks"][0]["attempts"])
    sandbox.control("POST", "clock", {"advance": 1700})
    time.sleep(0.2)
    assert len(receiver.received) == 1
    sandbox.control("POST", "clock", {"advance": 101})
    wait_for(lambda: sandbox.control("GET", "webhooks")["webhooks"][0]["done"])
    assert [a["status"] for a in sandbox.control("GET", "webhooks")["webhooks"][0]["attempts"]] == [503, 200]
    assert receiver.received[0] == receiver.received[1]


def test_a_buyers_request_is_pushed_as_a_reverse_order(sandbox, receiver, seller):
    connect(sandbox, receiver, seller)
    order = place(sandbox, seller)
    sandbox.control("POST", f"lazada/orders/{order['order_id']}/buyer_cancel", {})
    wait_for(lambda: len(receiver.received) == 2)
    reverse = json.loads(receiver.received[1][1])
    assert reverse["message_type"] == 10 and reverse["data"]["reverse_status"] == "CANCEL_INIT"


def test_no_push_once_the_seller_revoked_the_app(sandbox, receiver, seller):
    connect(sandbox, receiver, seller)
    sandbox.control("POST", "lazada/revoke", {"seller_id": seller["seller_id"]})
    place(sandbox, seller)
    assert sandbox.control("GET", "webhooks")["webhooks"] == []


def test_the_reverse_order_detail_speaks_the_apis_status_words(sandbox, app, token, seller):
    order = place(sandbox, seller, status="pending")
    reverse = str(sandbox.control("POST", f"lazada/orders/{order['order_id']}/buyer_cancel", {})["reverse_order_id"])
    detail = "/order/reverse/return/detail/list"

    def statuses():
        data = lazada_call(sandbox, detail, app, token, params={"reverse_order_id": reverse})[1]["data"]
        return [line["reverse_status"] for line in data["reverseOrderLineDTOList"]]

    assert statuses() == ["REQUEST_INITIATE"]  # the push said CANCEL_INIT
    params = {"reverse_order_id": reverse, "agree_cancel": "false"}
    lazada_call(sandbox, "/order/reverse/cancel/seller/decide", app, token, params=params)
    assert statuses() == ["REQUEST_REJECT"]
