"""The Shopee adapter against the sandbox marketplace, a real process spoken to over HTTP (fixtures:
tests/sandbox_fixtures.py). Retry waits are recorded, not slept."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from channels.adapters.base import PlatformRefused, PlatformUnavailable, Shop
from channels.adapters.retry import RetryPolicy
from channels.adapters.shopee import ShopeeAdapter
from tests.sandbox_fixtures import shopee_authorize

PARTNER, KEY = 2001887, "4d6a4c7a4f4b"
LIST = "/api/v2/order/get_order_list"
DETAIL = "/api/v2/order/get_order_detail"
CANCEL = "/api/v2/order/cancel_order"
DAY = 86400


@pytest.fixture
def waits():
    return []


def make_adapter(sandbox, waits, **options):
    retry = RetryPolicy(tries=4, base_delay=0.001, sleep=waits.append)
    return ShopeeAdapter(partner_id=PARTNER, partner_key=KEY, api_base=sandbox.url, retry=retry, **options)


@pytest.fixture
def partner(sandbox):
    return sandbox.control("POST", "shopee/partners", {"partner_id": PARTNER, "partner_key": KEY, "access_ttl": 600})


@pytest.fixture
def shop(sandbox, partner):
    return sandbox.control("POST", "shopee/shops", {"shop_name": "Maomao SG", "region": "SG", "currency": "SGD"})


@pytest.fixture
def adapter(sandbox, waits):
    with make_adapter(sandbox, waits) as client:
        yield client


def authorized(sandbox, adapter, shop, state="s-1") -> dict:
    return shopee_authorize(sandbox, adapter.authorize_url("http://app.test/shopee/cb", state), shop["shop_id"])


@pytest.fixture
def tokens(sandbox, adapter, shop):
    back = authorized(sandbox, adapter, shop)
    return adapter.exchange_code(back["code"], shop_id=back["shop_id"])


@pytest.fixture
def our_shop(adapter, tokens):
    (found,) = adapter.shops(tokens.access_token)
    return found


def place(sandbox, shop, count=1, **order):
    placed = []
    for start in range(0, count, 100):
        body = {"shop_id": shop["shop_id"], "count": min(100, count - start), **order}
        placed += sandbox.control("POST", "shopee/orders", body)["orders"]
    return placed


def sandbox_now(sandbox) -> datetime:
    return datetime.fromtimestamp(sandbox.control("GET", "clock")["now"], tz=UTC)


def calls(sandbox) -> dict:
    return sandbox.control("GET", "calls")["paths"]


def status_of(sandbox, order) -> str:
    return sandbox.control("GET", f"shopee/orders/{order['order_sn']}")["order_status"]


def test_the_auth_link_brings_back_our_state_the_code_and_the_shop(sandbox, adapter, shop):
    link = adapter.authorize_url("http://app.test/shopee/cb?tenant=7", "abc")
    assert parse_qs(urlsplit(link).query)["redirect"] == ["http://app.test/shopee/cb?tenant=7&state=abc"]

    back = shopee_authorize(sandbox, link, shop["shop_id"])

    assert back["tenant"] == "7" and back["state"] == "abc"
    assert back["shop_id"] == str(shop["shop_id"]) and back["code"]


def test_the_code_gives_tokens_that_refresh_once(sandbox, adapter, tokens, shop):
    assert tokens.access_token and tokens.refresh_token and tokens.seller_id == str(shop["shop_id"])
    now = datetime.now(UTC)
    assert now + timedelta(seconds=590) < tokens.access_expires_at <= now + timedelta(seconds=600)
    assert tokens.refresh_expires_at > now + timedelta(days=29)

    renewed = adapter.refresh(tokens.refresh_token, shop_id=str(shop["shop_id"]))

    assert renewed.access_token != tokens.access_token and renewed.refresh_token != tokens.refresh_token
    assert adapter.shops(renewed.access_token)
    with pytest.raises(PlatformRefused) as refused:  # the old refresh token is spent
        adapter.refresh(tokens.refresh_token, shop_id=str(shop["shop_id"]))
    assert refused.value.code == "error_auth" and refused.value.message == "Invalid refresh_token."


def test_a_used_code_is_refused_in_shopees_words(sandbox, adapter, shop):
    back = authorized(sandbox, adapter, shop)
    adapter.exchange_code(back["code"], shop_id=back["shop_id"])
    with pytest.raises(PlatformRefused) as refused:
        adapter.exchange_code(back["code"], shop_id=back["shop_id"])
    assert refused.value.code == "invalid_code"


def test_shop_info_names_the_shop(sandbox, adapter, tokens, shop, waits):
    assert adapter.shops(tokens.access_token) == [Shop(id=str(shop["shop_id"]), name="Maomao SG", region="SG")]
    with make_adapter(sandbox, waits) as fresh:  # it did not mint the token: it is told the shop
        assert fresh.shops(tokens.access_token, shop_id=str(shop["shop_id"]))[0].name == "Maomao SG"


def test_a_20_day_span_is_walked_in_two_windows_each_order_once(sandbox, adapter, tokens, our_shop, shop):
    before = {o["order_sn"] for o in place(sandbox, shop, count=2)}
    sandbox.control("POST", "clock", {"advance": 60})
    since = sandbox_now(sandbox)
    inside = {o["order_sn"] for o in place(sandbox, shop, count=3)}
    sandbox.control("POST", "clock", {"advance": 10 * DAY})
    inside |= {o["order_sn"] for o in place(sandbox, shop, count=120)}
    sandbox.control("POST", "clock", {"advance": 10 * DAY})
    inside |= {o["order_sn"] for o in place(sandbox, shop, count=5)}
    sandbox.control("POST", "clock", {"advance": 60})
    until = sandbox_now(sandbox)
    after = {o["order_sn"] for o in place(sandbox, shop, count=2)}
    access = adapter.refresh(tokens.refresh_token, shop_id=our_shop.id).access_token  # 20 days on

    pages = list(adapter.changed_orders(access, our_shop, since, until, page_size=50))

    walked = [order.id for page in pages for order in page]
    assert len(inside) == 128
    assert len(walked) == 128 and set(walked) == inside  # every one, exactly once
    assert not set(walked) & (before | after)
    assert [len(page) for page in pages] == [50, 50, 23, 5]  # window 1: three cursor pages; window 2: one
    assert calls(sandbox)[LIST] == 4


def test_a_window_needs_aware_datetimes(adapter, tokens, our_shop):
    with pytest.raises(ValueError, match="timezone-aware"):
        next(adapter.changed_orders(tokens.access_token, our_shop, datetime(2026, 1, 1), datetime(2026, 1, 2)))


def test_orders_by_id_map_status_floats_and_the_buyers_request(sandbox, adapter, tokens, our_shop, shop):
    line = {"item_id": 555, "model_id": 777, "model_sku": "LIP-RED", "item_name": "Lipstick"}
    line |= {"model_quantity_purchased": 2, "model_original_price": 15.0, "model_discounted_price": 12.1}
    paid = place(sandbox, shop, order_status="READY_TO_SHIP", estimated_shipping_fee=1.99, item_list=[line])[0]
    asked = place(sandbox, shop, order_status="READY_TO_SHIP")[0]
    sandbox.control("POST", f"shopee/orders/{asked['order_sn']}/buyer_cancel", {"reason": "Found Cheaper Elsewhere"})
    unpaid = place(sandbox, shop, order_status="UNPAID")[0]
    ids = [paid["order_sn"], asked["order_sn"], unpaid["order_sn"]]

    found = {o.id: o for o in adapter.orders(tokens.access_token, our_shop, ids)}

    first = found[paid["order_sn"]]
    assert (first.raw_status, first.status) == ("READY_TO_SHIP", "new")
    assert first.amounts.currency == "SGD"
    assert first.amounts.total == Decimal("26.19") and isinstance(first.amounts.total, Decimal)
    assert first.amounts.shipping_fee == Decimal("1.99") and first.amounts.sub_total == Decimal("24.2")
    assert [(i.sku_id, i.seller_sku, i.sale_price, i.original_price) for i in first.items] == [
        ("777", "LIP-RED", Decimal("12.1"), Decimal("15.0"))
    ] * 2  # one per unit, as the other platforms give them
    assert len({i.id for i in first.items}) == 2
    assert first.buyer.name and first.buyer.postal_code and first.buyer.user_id
    assert first.created_at == datetime.fromtimestamp(paid["create_time"], tz=UTC)
    assert not first.buyer_requested_cancel
    request = found[asked["order_sn"]]
    assert (request.raw_status, request.status, request.buyer_requested_cancel) == ("IN_CANCEL", "new", True)
    assert request.buyer_cancel_reason == "Found Cheaper Elsewhere"
    assert (found[unpaid["order_sn"]].raw_status, found[unpaid["order_sn"]].status) == ("UNPAID", None)


def test_more_than_50_ids_are_asked_in_chunks(sandbox, adapter, tokens, our_shop, shop):
    ids = [o["order_sn"] for o in place(sandbox, shop, count=120)]
    assert [o.id for o in adapter.orders(tokens.access_token, our_shop, ids)] == ids
    assert calls(sandbox)[DETAIL] == 3


def test_another_shops_order_is_refused(sandbox, adapter, tokens, our_shop):
    other = sandbox.control("POST", "shopee/shops", {"shop_name": "Someone else"})
    foreign = place(sandbox, other)[0]
    with pytest.raises(PlatformRefused) as refused:
        adapter.orders(tokens.access_token, our_shop, [foreign["order_sn"]])
    assert refused.value.code == "error_not_found"


def test_a_cancel_is_sent_once_per_key_and_a_repeat_elsewhere_is_recognised(
    sandbox, adapter, waits, tokens, our_shop, shop
):
    order = place(sandbox, shop, order_status="READY_TO_SHIP")[0]

    first = adapter.cancel_order(tokens.access_token, our_shop, order["order_sn"], "CUSTOMER_REQUEST", "c-1")
    again = adapter.cancel_order(tokens.access_token, our_shop, order["order_sn"], "CUSTOMER_REQUEST", "c-1")

    assert first == again and first.cancel_id == order["order_sn"]
    assert calls(sandbox)[CANCEL] == 1
    assert status_of(sandbox, order) == "CANCELLED"
    # another process with the same key: Shopee refuses a second cancel, and the order says it is done
    with make_adapter(sandbox, waits) as other:
        assert other.cancel_order(tokens.access_token, our_shop, order["order_sn"], "CUSTOMER_REQUEST", "c-1") == first
    assert calls(sandbox)[CANCEL] == 2 and waits == []


def test_out_of_stock_names_the_items_and_takes_any_spelling(sandbox, adapter, tokens, our_shop, shop):
    order = place(sandbox, shop, order_status="PROCESSED")[0]
    adapter.cancel_order(tokens.access_token, our_shop, order["order_sn"], "Out of Stock", "c-2")
    shown = sandbox.control("GET", f"shopee/orders/{order['order_sn']}")
    cancelled = (shown["order_status"], shown["cancel_by"], shown["cancel_reason"])
    assert cancelled == ("CANCELLED", "seller", "Out of Stock")


def test_a_refused_cancel_raises_and_is_not_retried(sandbox, adapter, waits, tokens, our_shop, shop):
    order = place(sandbox, shop, order_status="SHIPPED")[0]

    with pytest.raises(PlatformRefused) as refused:
        adapter.cancel_order(tokens.access_token, our_shop, order["order_sn"], "CUSTOMER_REQUEST", "c-late")

    assert refused.value.code == "order.error_limit" and refused.value.message == "Can not cancel this order."
    assert calls(sandbox)[CANCEL] == 1 and waits == []
    assert status_of(sandbox, order) == "SHIPPED"


def test_a_buyers_cancel_request_is_accepted_or_rejected(sandbox, adapter, waits, tokens, our_shop, shop):
    kept, dropped = place(sandbox, shop, count=2, order_status="PROCESSED")
    for order in (kept, dropped):
        sandbox.control("POST", f"shopee/orders/{order['order_sn']}/buyer_cancel", {})

    adapter.answer_cancel_request(tokens.access_token, our_shop, kept["order_sn"], False, "r-1", "Already packed")
    adapter.answer_cancel_request(tokens.access_token, our_shop, dropped["order_sn"], True, "a-1")

    assert (status_of(sandbox, kept), status_of(sandbox, dropped)) == ("PROCESSED", "CANCELLED")
    statuses = {o.id: (o.status, o.buyer_requested_cancel) for o in adapter.orders(
        tokens.access_token, our_shop, [kept["order_sn"], dropped["order_sn"]])}  # fmt: skip
    assert statuses == {kept["order_sn"]: ("to_pickup", False), dropped["order_sn"]: ("cancelled", False)}
    # the same answers again from another process: done already, not an error
    with make_adapter(sandbox, waits) as other:
        other.answer_cancel_request(tokens.access_token, our_shop, dropped["order_sn"], True, "a-1")
        other.answer_cancel_request(tokens.access_token, our_shop, kept["order_sn"], False, "r-1")
        with pytest.raises(PlatformRefused):  # the opposite answer is not the one given
            other.answer_cancel_request(tokens.access_token, our_shop, kept["order_sn"], True, "a-9")


@pytest.mark.parametrize("approve", [True, False])
def test_answering_a_request_that_is_not_there_is_refused(sandbox, adapter, tokens, our_shop, shop, approve):
    order = place(sandbox, shop, order_status="READY_TO_SHIP")[0]
    with pytest.raises(PlatformRefused) as refused:
        adapter.answer_cancel_request(tokens.access_token, our_shop, order["order_sn"], approve, "a-2")
    assert refused.value.code == "order.order_status_invalid"
    assert status_of(sandbox, order) == "READY_TO_SHIP"


def test_a_429_is_waited_out_and_retried(sandbox, adapter, waits, tokens, our_shop, shop):
    order = place(sandbox, shop)[0]
    sandbox.control("POST", "faults", {"status": 429, "count": 1, "path": DETAIL})

    assert [o.id for o in adapter.orders(tokens.access_token, our_shop, [order["order_sn"]])] == [order["order_sn"]]

    assert calls(sandbox)[DETAIL] == 2 and len(waits) == 1


def test_5xx_past_the_limit_fails_clearly(sandbox, adapter, waits, tokens, our_shop, shop):
    order = place(sandbox, shop)[0]
    sandbox.control("POST", "faults", {"status": 502, "count": 10, "path": DETAIL})

    with pytest.raises(PlatformUnavailable, match=r"GET /api/v2/order/get_order_detail: HTTP 502 on each of 4"):
        adapter.orders(tokens.access_token, our_shop, [order["order_sn"]])

    assert calls(sandbox)[DETAIL] == 4 and len(waits) == 3


def test_an_expired_access_token_is_refused_until_refreshed(sandbox, adapter, tokens, our_shop, shop):
    order = place(sandbox, shop)[0]
    sandbox.control("POST", "clock", {"advance": 601})

    with pytest.raises(PlatformRefused) as refused:
        adapter.orders(tokens.access_token, our_shop, [order["order_sn"]])
    assert refused.value.code == "error_auth"

    renewed = adapter.refresh(tokens.refresh_token, shop_id=our_shop.id)
    assert [o.id for o in adapter.orders(renewed.access_token, our_shop, [order["order_sn"]])] == [order["order_sn"]]


def test_a_connected_store_reads_its_orders_through_its_session(sandbox, settings, tenant):
    from channels.connections import session
    from tests.sandbox_fixtures import connect_shopee

    store, shop = connect_shopee(sandbox, settings, tenant)
    order = place(sandbox, shop)[0]

    with session(store) as current:
        (found,) = current.adapter.orders(current.access_token, current.shop, [order["order_sn"]])

    assert store.external_id == str(shop["shop_id"]) and store.site == "SG"
    assert (found.id, found.raw_status) == (order["order_sn"], "READY_TO_SHIP")


def test_dropped_connections_and_timeouts_are_retried(sandbox, waits, tokens, our_shop, shop):
    order = place(sandbox, shop)[0]
    sandbox.control("POST", "faults", {"drop": True, "count": 1, "path": DETAIL})
    sandbox.control("POST", "faults", {"delay": 1, "count": 1, "path": DETAIL})
    with make_adapter(sandbox, waits, timeout=httpx.Timeout(0.3)) as hasty:
        found = hasty.orders(tokens.access_token, our_shop, [order["order_sn"]])
    assert [o.id for o in found] == [order["order_sn"]]
    assert calls(sandbox)[DETAIL] == 3 and len(waits) == 2
