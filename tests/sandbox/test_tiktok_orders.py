"""TikTok Shop orders from the sandbox: search pages with page_token, windows by update time, detail
by ids, the seller's cancel with an idempotency key; orders placed and moved by the control API."""

import pytest

SEARCH = "/order/202309/orders/search"
DETAIL = "/order/202309/orders"
CANCEL = "/return_refund/202309/cancellations"


def place(sandbox, shop, **fields) -> dict:
    return sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"], **fields})["orders"][0]


def search(sandbox, app, token, shop, body=None, **query):
    status, answer = sandbox.tiktok("POST", SEARCH, app, token, {"shop_cipher": shop["cipher"], **query}, body or {})
    assert status == 200 and answer["code"] == 0, answer
    return answer["data"]


@pytest.mark.parametrize("sort", [{}, {"sort_field": "update_time", "sort_order": "ASC"}])
def test_page_token_walks_every_order_once(sandbox, app, shop, token, sort):
    placed = sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"], "count": 25})
    seen, pages, page_token = [], 0, ""
    while True:
        query = {"page_size": "10", **sort, **({"page_token": page_token} if page_token else {})}
        data = search(sandbox, app, token, shop, **query)
        assert data["total_count"] == 25
        seen += [order["id"] for order in data["orders"]]
        pages += 1
        page_token = data["next_page_token"]
        if not page_token:
            break
    assert pages == 3 and sorted(seen) == sorted(o["id"] for o in placed["orders"][:25])
    assert len(set(seen)) == 25


def test_a_bad_page_token_or_page_size_is_refused(sandbox, app, shop, token):
    for query in ({"page_size": "10", "page_token": "not-ours"}, {"page_size": "0"}, {"page_size": "101"}, {}):
        _, answer = sandbox.tiktok("POST", SEARCH, app, token, {"shop_cipher": shop["cipher"], **query}, {})
        assert answer["code"] == 25001001, query


@pytest.mark.parametrize("sort_field", ["create_time", "update_time"])
def test_an_update_time_window_finds_the_orders_changed_in_it(sandbox, app, shop, token, sort_field):
    old = place(sandbox, shop)
    sandbox.control("POST", "clock", {"advance": 3600})
    new = place(sandbox, shop)
    sandbox.control("POST", "clock", {"advance": 3600})
    sandbox.control("POST", f"tiktok/orders/{old['id']}/status", {"status": "IN_TRANSIT"})  # old changes last
    moved = sandbox.control("GET", f"tiktok/orders/{old['id']}")["update_time"]
    both = [old["id"], new["id"]] if sort_field == "update_time" else [new["id"], old["id"]]  # newest first
    for window, expected in (
        ({"update_time_ge": moved}, [old["id"]]),
        ({"update_time_lt": moved}, [new["id"]]),
        ({"update_time_ge": new["update_time"], "update_time_lt": moved + 1}, both),
        ({"update_time_ge": new["update_time"], "order_status": "IN_TRANSIT"}, [old["id"]]),
    ):
        data = search(sandbox, app, token, shop, window, page_size="1", sort_field=sort_field, sort_order="DESC")
        assert data["total_count"] == len(expected), window
        assert data["orders"][0]["id"] == expected[0] and bool(data["next_page_token"]) == (len(expected) > 1)


def test_a_placed_order_moves_and_the_search_sees_it(sandbox, app, shop, token):
    order = place(sandbox, shop, status="UNPAID", shipping_fee="2.50", line_items=[{"sale_price": "19.99"}] * 2)
    assert order["payment"]["total_amount"] == "42.48" and order["line_items"][0]["sale_price"] == "19.99"
    sandbox.control("POST", f"tiktok/orders/{order['id']}/status", {"status": "AWAITING_SHIPMENT"})
    data = search(sandbox, app, token, shop, {"order_status": "AWAITING_SHIPMENT"}, page_size="10")
    assert [(o["id"], o["status"]) for o in data["orders"]] == [(order["id"], "AWAITING_SHIPMENT")]
    assert search(sandbox, app, token, shop, {"order_status": "UNPAID"}, page_size="10")["orders"] == []


def test_detail_by_ids_and_a_foreign_order(sandbox, app, shop, token):
    mine = place(sandbox, shop)
    other = sandbox.control("POST", "tiktok/shops", {"name": "Another seller"})
    theirs = place(sandbox, other)
    for path in (DETAIL, "/order/202507/orders"):
        _, answer = sandbox.tiktok("GET", path, app, token, {"shop_cipher": shop["cipher"], "ids": mine["id"]})
        assert [o["id"] for o in answer["data"]["orders"]] == [mine["id"]]
    query = {"shop_cipher": shop["cipher"], "ids": f"{mine['id']},{theirs['id']}"}
    assert sandbox.tiktok("GET", DETAIL, app, token, query)[1]["code"] == 21008111


def test_shop_cipher_missing_or_not_the_sellers(sandbox, app, shop, token):
    assert sandbox.tiktok("GET", DETAIL, app, token, {"ids": "1"})[1]["code"] == 106013
    other = sandbox.control("POST", "tiktok/shops", {"name": "Another seller"})
    assert sandbox.tiktok("GET", DETAIL, app, token, {"shop_cipher": other["cipher"], "ids": "1"})[1]["code"] == 101000


def test_a_seller_cancel_once_per_idempotency_key(sandbox, app, shop, token):
    order = place(sandbox, shop)
    query = {"shop_cipher": shop["cipher"], "idempotency_key": "cancel-42"}
    body = {"order_id": order["id"], "cancel_reason": "seller_cancel_reason_out_of_stock"}
    first = sandbox.tiktok("POST", CANCEL, app, token, query, body)[1]
    again = sandbox.tiktok("POST", CANCEL, app, token, query, body)[1]
    assert first["code"] == 0 and again["data"] == first["data"]
    shown = sandbox.control("GET", f"tiktok/orders/{order['id']}")
    assert shown["status"] == "CANCELLED" and shown["cancellation_initiator"] == "SELLER"
    assert sandbox.control("GET", "calls")["idempotency_keys"] == {"cancel-42": 2}


def test_an_unpaid_order_cannot_be_cancelled_by_the_seller(sandbox, app, shop, token):
    order = place(sandbox, shop, status="UNPAID")
    body = {"order_id": order["id"], "cancel_reason": "seller_cancel_reason_out_of_stock"}
    _, answer = sandbox.tiktok("POST", CANCEL, app, token, {"shop_cipher": shop["cipher"]}, body)
    assert answer["code"] == 25001021
    assert sandbox.control("GET", f"tiktok/orders/{order['id']}")["status"] == "UNPAID"


def cancellations(sandbox, app, token, shop, body=None):
    query = {"shop_cipher": shop["cipher"], "page_size": "50"}
    _, answer = sandbox.tiktok("POST", CANCEL + "/search", app, token, query, body or {})
    assert answer["code"] == 0, answer
    return answer["data"]["cancellations"]


def test_a_buyers_request_is_found_and_approved_once(sandbox, app, shop, token):
    order = place(sandbox, shop)
    asked = sandbox.control("POST", f"tiktok/orders/{order['id']}/buyer_cancel", {})
    found = cancellations(sandbox, app, token, shop, {"cancel_status": ["CANCELLATION_REQUEST_PENDING"]})
    assert [(c["cancel_id"], c["order_id"], c["cancel_type"]) for c in found] == [
        (asked["cancel_id"], order["id"], "BUYER_CANCEL")
    ]
    _, detail = sandbox.tiktok("GET", DETAIL, app, token, {"shop_cipher": shop["cipher"], "ids": order["id"]})
    assert detail["data"]["orders"][0]["is_buyer_request_cancel"] is True
    query = {"shop_cipher": shop["cipher"], "idempotency_key": "approve-1"}
    for _ in range(2):
        assert sandbox.tiktok("POST", f"{CANCEL}/{asked['cancel_id']}/approve", app, token, query, {})[1]["code"] == 0
    assert sandbox.control("GET", f"tiktok/orders/{order['id']}")["status"] == "CANCELLED"
    assert cancellations(sandbox, app, token, shop)[0]["cancel_status"] == "CANCELLATION_REQUEST_COMPLETE"
    assert sandbox.control("GET", "calls")["idempotency_keys"] == {"approve-1": 2}


def test_a_rejected_request_leaves_the_order_and_cannot_be_answered_again(sandbox, app, shop, token):
    order = place(sandbox, shop)
    asked = sandbox.control("POST", f"tiktok/orders/{order['id']}/buyer_cancel", {})
    path, query = f"{CANCEL}/{asked['cancel_id']}/reject", {"shop_cipher": shop["cipher"]}
    assert sandbox.tiktok("POST", path, app, token, query, {})[1]["code"] == 25001001  # reject_reason required
    body = {"reject_reason": "seller_reject_apply_product_has_been_packed"}
    assert sandbox.tiktok("POST", path, app, token, query, body)[1]["code"] == 0
    assert sandbox.tiktok("POST", path, app, token, query, body)[1]["code"] != 0  # no longer pending
    shown = sandbox.control("GET", f"tiktok/orders/{order['id']}")
    assert shown["status"] == "AWAITING_SHIPMENT" and shown["is_buyer_request_cancel"] is False


def test_the_parcel_is_tracked_as_the_order_moves(sandbox, app, shop, token):
    order = place(sandbox, shop)
    path, query = f"/fulfillment/202309/orders/{order['id']}/tracking", {"shop_cipher": shop["cipher"]}
    assert sandbox.tiktok("GET", path, app, token, query)[1]["data"] == {"tracking": []}
    for status in ("AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED"):
        sandbox.control("POST", f"tiktok/orders/{order['id']}/status", {"status": status})
    events = sandbox.tiktok("GET", path, app, token, query)[1]["data"]["tracking"]
    assert [e["description"] for e in events] == [
        "The parcel has been delivered",
        "The carrier has collected the parcel",
        "The seller has packed the parcel",
    ]
    assert all(isinstance(e["update_time_millis"], int) for e in events)
    assert sandbox.control("GET", f"tiktok/orders/{order['id']}")["tracking_number"]
