"""Webhooks from the sandbox to an endpoint of the test: signed as TikTok signs them, retried on its
schedule when the endpoint fails (the test moves the sandbox clock to bring the retry)."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.sandbox.conftest import authorize, get_token


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.headers["Authorization"], body))
        status = self.server.answers.pop(0) if self.server.answers else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received, server.answers = [], []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def wait_for(check, seconds=5.0):
    """Poll until check() is true (the sandbox delivers from its own thread)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the webhook did not come"
        time.sleep(0.02)


def connected_app(sandbox, receiver, shop):
    url = f"http://127.0.0.1:{receiver.server_address[1]}/webhooks/tiktok"
    app = sandbox.control("POST", "tiktok/apps", {"app_key": "hookapp", "app_secret": "s3cret", "webhook_url": url})
    assert get_token(sandbox, app, authorize(sandbox, app, shop))["code"] == 0
    return app


def test_an_order_change_is_pushed_signed(sandbox, receiver, shop):
    connected_app(sandbox, receiver, shop)
    order = sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"]})["orders"][0]
    sandbox.control("POST", f"tiktok/orders/{order['id']}/status", {"status": "CANCELLED"})
    wait_for(lambda: len(receiver.received) == 2)
    for signature, body in receiver.received:
        assert signature == hmac.new(b"s3cret", b"hookapp" + body, hashlib.sha256).hexdigest()
    pushed = [json.loads(body) for _, body in receiver.received]
    assert {p["type"] for p in pushed} == {1} and {p["shop_id"] for p in pushed} == {shop["id"]}
    assert sorted(p["data"]["order_status"] for p in pushed) == ["AWAITING_SHIPMENT", "CANCEL"]
    assert len({p["tts_notification_id"] for p in pushed}) == 2


def test_a_failed_push_comes_again_after_two_minutes(sandbox, receiver, shop):
    connected_app(sandbox, receiver, shop)
    receiver.answers = [500]
    sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"]})
    wait_for(lambda: sandbox.control("GET", "webhooks")["webhooks"][0]["attempts"])
    assert len(receiver.received) == 1
    sandbox.control("POST", "clock", {"advance": 60})  # the clock counts whole seconds: keep clear of 120
    time.sleep(0.2)  # a retry now would be early; the delivery thread looks every 50 ms
    assert len(receiver.received) == 1
    sandbox.control("POST", "clock", {"advance": 60})
    wait_for(lambda: sandbox.control("GET", "webhooks")["webhooks"][0]["done"])
    assert [a["status"] for a in sandbox.control("GET", "webhooks")["webhooks"][0]["attempts"]] == [500, 200]
    assert receiver.received[0] == receiver.received[1]  # the same notification, the same signature


def test_no_push_once_the_seller_revoked_the_app(sandbox, receiver, shop):
    connected_app(sandbox, receiver, shop)
    sandbox.control("POST", "tiktok/revoke", {"open_id": shop["open_id"]})
    sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"]})
    assert sandbox.control("GET", "webhooks")["webhooks"] == []
