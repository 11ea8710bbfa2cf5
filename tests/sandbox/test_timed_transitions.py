"""What the platforms do on their own as sandbox time passes: each timed change happens once its window
is over and not before, and is pushed as a manual move is (read back from the sandbox's webhook log;
the app's endpoint is a closed port, the log keeps what was pushed)."""

import json

import pytest

from tests.sandbox.test_shopee import KEY, PARTNER, SHOP, token_call
from tests.sandbox.test_shopee import authorize as shopee_authorize
from tests.sandbox_fixtures import authorize, get_token

DEAD_URL = "http://127.0.0.1:9/hooks"
HOUR, DAY = 3600, 86400
MARGIN = 10  # whole-second clock: keep clear of the exact deadline on both sides


def pushed(sandbox) -> list[dict]:
    return [json.loads(hook["body"]) for hook in sandbox.control("GET", "webhooks")["webhooks"]]


def advance(sandbox, seconds: int) -> None:
    sandbox.control("POST", "clock", {"advance": seconds})


@pytest.fixture
def tiktok_shop(sandbox, shop):
    app = sandbox.control("POST", "tiktok/apps", {"app_key": "timed", "app_secret": "s3", "webhook_url": DEAD_URL})
    assert get_token(sandbox, app, authorize(sandbox, app, shop))["code"] == 0
    return shop


def tiktok_order(sandbox, shop, status: str) -> dict:
    return sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"], "status": status})["orders"][0]


def tiktok_status(sandbox, order: dict) -> str:
    return sandbox.control("GET", f"tiktok/orders/{order['id']}")["status"]


def order_pushes(sandbox, order: dict) -> list[str]:
    orders = [p["data"] for p in pushed(sandbox) if p["type"] == 1]
    return [data["order_status"] for data in orders if data["order_id"] == order["id"]]


@pytest.mark.parametrize(
    ("start", "window", "then"),
    [("ON_HOLD", HOUR, "AWAITING_SHIPMENT"), ("DELIVERED", 7 * DAY, "COMPLETED")],
)
def test_a_tiktok_order_moves_on_by_itself_after_its_window(sandbox, tiktok_shop, start, window, then):
    order = tiktok_order(sandbox, tiktok_shop, start)
    advance(sandbox, window - MARGIN)
    assert tiktok_status(sandbox, order) == start
    assert order_pushes(sandbox, order) == [start]
    advance(sandbox, 2 * MARGIN)
    assert tiktok_status(sandbox, order) == then
    assert order_pushes(sandbox, order) == [start, then]


def test_a_moved_order_is_not_moved_again_by_an_old_window(sandbox, tiktok_shop):
    order = tiktok_order(sandbox, tiktok_shop, "ON_HOLD")
    sandbox.control("POST", f"tiktok/orders/{order['id']}/status", {"status": "CANCELLED"})
    advance(sandbox, HOUR + MARGIN)
    assert tiktok_status(sandbox, order) == "CANCELLED"


def test_an_unanswered_buyer_cancel_request_is_approved_after_48_hours(sandbox, tiktok_shop):
    order = tiktok_order(sandbox, tiktok_shop, "AWAITING_SHIPMENT")
    asked = sandbox.control("POST", f"tiktok/orders/{order['id']}/buyer_cancel", {"reason": "changed_mind"})
    assert asked["seller_next_action_response"][0]["deadline"] == asked["create_time"] + 48 * HOUR
    advance(sandbox, 48 * HOUR - MARGIN)
    assert tiktok_status(sandbox, order) == "AWAITING_SHIPMENT"
    advance(sandbox, 2 * MARGIN)
    shown = sandbox.control("GET", f"tiktok/orders/{order['id']}")
    assert (shown["status"], shown["cancellation_initiator"]) == ("CANCELLED", "BUYER")
    cancels = [p["data"]["cancel_status"] for p in pushed(sandbox) if p["type"] == 11]
    assert cancels == ["CANCELLATION_REQUEST_PENDING", "CANCELLATION_REQUEST_COMPLETE"]
    assert order_pushes(sandbox, order)[-1] == "CANCEL"


def test_an_answered_request_is_left_as_the_seller_answered(sandbox, tiktok_shop):
    order = tiktok_order(sandbox, tiktok_shop, "AWAITING_SHIPMENT")
    sandbox.control("POST", f"tiktok/orders/{order['id']}/buyer_cancel", {})
    sandbox.control("POST", f"tiktok/orders/{order['id']}/status", {"status": "AWAITING_COLLECTION"})
    advance(sandbox, 48 * HOUR + MARGIN)
    assert tiktok_status(sandbox, order) == "AWAITING_COLLECTION"  # shipped meanwhile: no cancel


@pytest.fixture
def shopee_shop(sandbox):
    sandbox.control("POST", "shopee/partners", {"partner_id": PARTNER, "partner_key": KEY, "push_url": DEAD_URL})
    sandbox.control("POST", "shopee/shops", {"shop_id": SHOP, "shop_name": "Maomao SG", "region": "SG"})
    answer = token_call(sandbox, "/api/v2/auth/token/get", {"code": shopee_authorize(sandbox)})
    assert answer["error"] == "", answer
    return SHOP


def shopee_status(sandbox, order: dict) -> dict:
    return sandbox.control("GET", f"shopee/orders/{order['order_sn']}")


def shopee_pushes(sandbox, order: dict) -> list[str]:
    return [p["data"]["status"] for p in pushed(sandbox) if p["data"].get("ordersn") == order["order_sn"]]


def test_an_unanswered_shopee_cancel_request_is_accepted_after_48_hours(sandbox, shopee_shop):
    order = sandbox.control("POST", "shopee/orders", {"shop_id": shopee_shop})["orders"][0]
    sandbox.control("POST", f"shopee/orders/{order['order_sn']}/buyer_cancel", {"reason": "Change of mind"})
    advance(sandbox, 48 * HOUR - MARGIN)
    assert shopee_status(sandbox, order)["order_status"] == "IN_CANCEL"
    advance(sandbox, 2 * MARGIN)
    shown = shopee_status(sandbox, order)
    assert (shown["order_status"], shown["cancel_by"]) == ("CANCELLED", "buyer")
    assert shopee_pushes(sandbox, order) == ["READY_TO_SHIP", "IN_CANCEL", "CANCELLED"]


def test_a_received_shopee_order_completes_after_7_days(sandbox, shopee_shop):
    order = sandbox.control("POST", "shopee/orders", {"shop_id": shopee_shop, "order_status": "TO_CONFIRM_RECEIVE"})
    order = order["orders"][0]
    advance(sandbox, 7 * DAY - MARGIN)
    assert shopee_status(sandbox, order)["order_status"] == "TO_CONFIRM_RECEIVE"
    advance(sandbox, 2 * MARGIN)
    assert shopee_status(sandbox, order)["order_status"] == "COMPLETED"
    assert shopee_pushes(sandbox, order) == ["TO_CONFIRM_RECEIVE", "COMPLETED"]
