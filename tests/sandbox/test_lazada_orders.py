"""Lazada orders in the sandbox: GetOrders paging and windows, items per unit, the multi-order items
call, refusals in Lazada's codes, faults and the rate limit, and the play page (the real process)."""

import re
import urllib.request
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.sandbox_fixtures import lazada_authorize, lazada_call

APP = {"app_key": "100321", "app_secret": "lz-orders", "redirect_uri": "http://app.test/lazada"}


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


def place(sandbox, seller, count=1, **order):
    return sandbox.control("POST", "lazada/orders", {"seller_id": seller["seller_id"], "count": count, **order})


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat()


def now(sandbox) -> int:
    return sandbox.control("GET", "clock")["now"]


def get_orders(sandbox, app, token, **params):
    return lazada_call(sandbox, "/orders/get", app, token, params={k: str(v) for k, v in params.items()})[1]


def test_offset_and_limit_page_an_update_window_oldest_first(sandbox, app, token, seller):
    place(sandbox, seller, count=2)
    sandbox.control("POST", "clock", {"advance": 10})
    start = now(sandbox)
    inside = place(sandbox, seller, count=30)["orders"]
    sandbox.control("POST", "clock", {"advance": 10})
    place(sandbox, seller, count=3)
    window = {"update_after": iso(start), "update_before": iso(start + 9), "sort_by": "updated_at"}

    pages = [get_orders(sandbox, app, token, **window, sort_direction="ASC", offset=o, limit=12) for o in (0, 12, 24)]

    assert [p["data"]["count"] for p in pages] == [12, 12, 6]
    assert {p["data"]["countTotal"] for p in pages} == {30}
    walked = [o["order_id"] for p in pages for o in p["data"]["orders"]]
    assert walked == sorted(o["order_id"] for o in inside)


def test_an_order_shows_its_item_statuses_and_amounts_as_lazada_types_them(sandbox, app, token, seller):
    line = {"sku": "TEA-1", "item_price": "8.5", "voucher_platform": "0.50", "quantity": 2}
    order = place(sandbox, seller, status="packed", items=[line], shipping_fee="3")["orders"][0]
    sandbox.control(
        "POST",
        f"lazada/orders/{order['order_id']}/status",
        {"status": "canceled", "order_item_ids": [order["items"][0]["order_item_id"]]},
    )

    listed = get_orders(sandbox, app, token, created_after=iso(now(sandbox) - 60))["data"]["orders"][0]
    items = lazada_call(sandbox, "/order/items/get", app, token, params={"order_id": str(order["order_id"])})[1]

    assert listed["statuses"] == ["canceled", "packed"] and listed["items_count"] == 2
    assert (listed["price"], listed["voucher"], listed["shipping_fee"]) == ("17.00", "1.00", "3.00")
    assert "currency" not in listed and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", listed["created_at"])
    assert [(i["status"], i["paid_price"], i["currency"]) for i in items["data"]] == [
        ("canceled", "8.00", "MYR"),
        ("packed", "8.00", "MYR"),
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0800", items["data"][0]["created_at"])


def test_items_of_many_orders_come_in_one_call_of_at_most_50(sandbox, app, token, seller):
    orders = place(sandbox, seller, count=51)["orders"]
    listed = "[" + ", ".join(str(o["order_id"]) for o in orders[:50]) + "]"
    answer = lazada_call(sandbox, "/orders/items/get", app, token, params={"order_ids": listed})[1]
    assert [e["order_id"] for e in answer["data"]] == [o["order_id"] for o in orders[:50]]
    assert answer["data"][0]["order_items"][0]["created_at"].isdigit()  # epoch ms, as its sample
    too_many = "[" + ", ".join(str(o["order_id"]) for o in orders) + "]"
    assert lazada_call(sandbox, "/orders/items/get", app, token, params={"order_ids": too_many})[1]["code"] == (
        "InvalidParameter"
    )


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "MissingParameter"),
        ({"created_after": "yesterday"}, "E017"),
        ({"offset": 5001}, "E014"),
        ({"limit": 101}, "E019"),
        ({"status": "flying"}, "E036"),
        ({"sort_direction": "UP"}, "E074"),
        ({"sort_by": "price"}, "E075"),
    ],
)
def test_bad_list_parameters_are_refused_with_lazadas_codes(sandbox, app, token, params, code):
    window = {} if not params else {"created_after": iso(now(sandbox) - 60)}
    assert get_orders(sandbox, app, token, **{**window, **params})["code"] == code


def test_another_sellers_order_is_e016(sandbox, app, token):
    other = sandbox.control("POST", "lazada/sellers", {"name": "Other", "country": "SG"})
    foreign = place(sandbox, other)["orders"][0]
    answer = lazada_call(sandbox, "/order/get", app, token, params={"order_id": str(foreign["order_id"])})[1]
    assert (answer["code"], answer["message"]) == ("E016", "Invalid Order ID")


def test_a_429_is_lazadas_throttle_then_calls_pass_again(sandbox, app, token, seller):
    sandbox.control("POST", "faults", {"status": 429, "count": 1, "path": "/seller/get"})
    status, answer = lazada_call(sandbox, "/seller/get", app, token)
    assert (status, answer["code"], answer["type"]) == (429, "ApiCallLimit", "ISP")
    assert lazada_call(sandbox, "/seller/get", app, token)[1]["code"] == "0"
    sandbox.control("POST", "faults", {"status": 503, "count": 1, "path": "/seller/get"})
    assert lazada_call(sandbox, "/seller/get", app, token)[0] == 503
    assert sandbox.control("GET", "calls")["paths"]["/seller/get"] == 3


def test_the_rate_limit_counts_per_app_and_path(sandbox, app, token):
    sandbox.control("POST", "rate_limit", {"qps": 3})
    statuses = [lazada_call(sandbox, "/seller/get", app, token)[0] for _ in range(8)]
    assert statuses.count(200) <= 6 and statuses.count(429) >= 2 and set(statuses) == {200, 429}
    sandbox.control("POST", "rate_limit", {"qps": 0})
    assert lazada_call(sandbox, "/seller/get", app, token)[0] == 200


def post_form(sandbox, action: str, **fields) -> str:
    status, _, headers = sandbox.http("POST", "/_play/lazada/" + action, body=urlencode(fields).encode())
    assert status == 303 and headers["Location"].startswith("/_play/lazada?")
    return parse_qs(urlsplit(headers["Location"]).query)["message"][0]


def play_page(sandbox) -> str:
    with urllib.request.urlopen(sandbox.url + "/_play/lazada", timeout=10) as response:
        assert response.status == 200
        return response.read().decode()


def test_the_play_page_places_moves_and_cancels_an_order(sandbox, seller):
    assert seller["short_code"] in play_page(sandbox)
    assert post_form(sandbox, "order", seller_id=seller["seller_id"], status="pending", item_price="9.90") == "Done."
    (order_id,) = set(re.findall(r'name="id" value="(\d+)"', play_page(sandbox)))
    assert post_form(sandbox, "buyer_cancel", id=order_id) == "Done."
    assert "(buyer asks to cancel)" in play_page(sandbox)
    assert post_form(sandbox, "status", id=order_id, status="shipped") == "Done."
    shown = sandbox.control("GET", f"lazada/orders/{order_id}")
    assert [i["status"] for i in shown["items"]] == ["shipped"] and shown["price"] == "9.90"
    assert post_form(sandbox, "seller", name="<b>x</b>", country="TH") == "Done."
    assert "&lt;b&gt;x&lt;/b&gt;" in play_page(sandbox) and "<b>x</b>" not in play_page(sandbox)
    assert post_form(sandbox, "status", id="nope", status="shipped") == "no such order"


def test_a_filter_time_without_escaping_its_plus_still_reads(sandbox, app, token, seller):
    place(sandbox, seller)
    local = datetime.fromtimestamp(now(sandbox) - 60, tz=UTC) + timedelta(hours=8)
    after = local.strftime("%Y-%m-%dT%H:%M:%S") + " 08:00"  # "+08:00" sent unescaped arrives as " 08:00"
    assert get_orders(sandbox, app, token, created_after=after)["data"]["countTotal"] == 1


@pytest.mark.parametrize(
    ("order", "message"),
    [
        ({"items": [{"quantity": 101}]}, "quantity is 1..100"),
        ({"items": [{"item_price": "ten"}]}, "amounts are decimal numbers"),
        ({"status": "flying"}, "status is one of unpaid, pending"),
        ({"count": 2000, "items": [{"quantity": 100}]}, "count x items (one per unit) is at most 100000"),
        ({"items": "many"}, "items is a list of objects"),
    ],
)
def test_the_control_api_refuses_bad_orders_readably(sandbox, seller, order, message):
    status, answer, _ = sandbox.http(
        "POST", "/_control/lazada/orders", body={"seller_id": seller["seller_id"], **order}
    )
    assert status == 400 and answer["error"].startswith(message)


def test_the_trace_has_the_carriers_events_from_ready_to_ship_on(sandbox, app, token, seller):
    order = place(sandbox, seller, status="pending")["orders"][0]
    query = {"order_id": str(order["order_id"])}
    assert lazada_call(sandbox, "/logistic/order/trace", app, token, params=query)[1]["result"]["module"] == [
        {"package_detail_info_list": []}
    ]
    for status in ("ready_to_ship", "shipped", "delivered"):
        sandbox.control("POST", f"lazada/orders/{order['order_id']}/status", {"status": status})

    result = lazada_call(sandbox, "/logistic/order/trace", app, token, params=query)[1]["result"]

    (package,) = result["module"][0]["package_detail_info_list"]
    assert package["tracking_number"].startswith("SBXLZ")
    assert [e["title"] for e in package["logistic_detail_info_list"]] == ["Ready to ship", "Picked up", "Delivered"]
