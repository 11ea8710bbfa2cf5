"""The TikTok adapter against the sandbox marketplace, a real process spoken to over HTTP (fixtures:
tests/sandbox_fixtures.py). Retry waits are recorded, not slept."""

import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from channels.adapters.base import TIKTOK_TOKEN_EXPIRED, PlatformRefused, PlatformUnavailable, Shop
from channels.adapters.retry import RetryPolicy
from channels.adapters.tiktok import TikTokAdapter
from tests.sandbox_fixtures import authorize

ORDERS = "/order/202309/orders"
CANCEL = "/return_refund/202309/cancellations"


@pytest.fixture
def waits():
    return []


def make_adapter(sandbox, app, waits, **options):
    retry = RetryPolicy(tries=4, base_delay=0.001, sleep=waits.append)
    return TikTokAdapter(
        app_key=app["app_key"],
        app_secret=app["app_secret"],
        api_base=sandbox.url,
        auth_base=sandbox.url,
        retry=retry,
        **options,
    )


@pytest.fixture
def adapter(sandbox, app, waits):
    with make_adapter(sandbox, app, waits) as client:
        yield client


@pytest.fixture
def tokens(sandbox, app, shop, adapter):
    return adapter.exchange_code(authorize(sandbox, app, shop))


@pytest.fixture
def our_shop(adapter, tokens, shop):
    return next(s for s in adapter.shops(tokens.access_token) if s.id == shop["id"])


def place(sandbox, shop, count=1, **order):
    """Orders placed through the control API, 100 at a time (it shows at most 100 of a batch)."""
    placed = []
    for start in range(0, count, 100):
        body = {"shop_id": shop["id"], "count": min(100, count - start), **order}
        placed += sandbox.control("POST", "tiktok/orders", body)["orders"]
    return placed


def sandbox_now(sandbox) -> datetime:
    return datetime.fromtimestamp(sandbox.control("GET", "clock")["now"], tz=UTC)


def calls(sandbox) -> dict:
    return sandbox.control("GET", "calls")


def test_auth_code_gives_tokens_that_refresh(sandbox, adapter, tokens, shop):
    now = sandbox_now(sandbox)
    assert tokens.seller_id == shop["open_id"]
    assert tokens.access_token and tokens.refresh_token
    assert now < tokens.access_expires_at <= tokens.refresh_expires_at

    renewed = adapter.refresh(tokens.refresh_token)

    assert renewed.access_token != tokens.access_token
    assert renewed.refresh_expires_at == tokens.refresh_expires_at  # the authorization keeps its end
    assert adapter.shops(renewed.access_token)
    with pytest.raises(PlatformRefused):  # the old refresh token is spent
        adapter.refresh(tokens.refresh_token)


def test_a_used_auth_code_is_refused_with_the_platforms_code(sandbox, app, shop, adapter):
    code = authorize(sandbox, app, shop)
    adapter.exchange_code(code)
    with pytest.raises(PlatformRefused) as refused:
        adapter.exchange_code(code)
    assert refused.value.code != 0 and refused.value.message


def test_shops_carry_their_cipher(adapter, tokens, shop):
    shops = adapter.shops(tokens.access_token)
    assert [(s.id, s.name, s.region, s.cipher) for s in shops] == [
        (shop["id"], "Maomao beauty shop", "GB", shop["cipher"])
    ]
    assert shop["cipher"].startswith("GCP_")


def test_a_window_of_250_changed_orders_is_walked_once_each(sandbox, adapter, tokens, our_shop, shop):
    before = {o["id"] for o in place(sandbox, shop, count=3)}
    sandbox.control("POST", "clock", {"advance": 60})
    since = sandbox_now(sandbox)
    inside = {o["id"] for o in place(sandbox, shop, count=120)}
    sandbox.control("POST", "clock", {"advance": 30})
    inside |= {o["id"] for o in place(sandbox, shop, count=130)}
    sandbox.control("POST", "clock", {"advance": 60})
    until = sandbox_now(sandbox)
    after = {o["id"] for o in place(sandbox, shop, count=2)}

    pages = list(adapter.changed_orders(tokens.access_token, our_shop, since, until, page_size=100))

    walked = [order.id for page in pages for order in page]
    assert len(inside) == 250
    assert len(walked) == 250 and set(walked) == inside  # every one, exactly once
    assert not set(walked) & (before | after)
    assert [len(page) for page in pages] == [100, 100, 50]
    assert calls(sandbox)["paths"]["/order/202309/orders/search"] == 3


def test_an_empty_window_is_one_empty_page(sandbox, adapter, tokens, our_shop, shop):
    place(sandbox, shop)
    later = sandbox_now(sandbox) + timedelta(hours=1)
    pages = list(adapter.changed_orders(tokens.access_token, our_shop, later, later + timedelta(hours=1)))
    assert pages == [[]]


def test_orders_by_id_map_status_and_amounts(sandbox, adapter, tokens, our_shop, shop):
    line = {"sku_id": "111", "seller_sku": "LIP-RED", "product_name": "Lipstick", "sale_price": "12.50"}
    paid = place(sandbox, shop, status="AWAITING_SHIPMENT", currency="GBP", shipping_fee="3.99", line_items=[line])[0]
    moving = place(sandbox, shop, status="IN_TRANSIT")[0]
    unpaid = place(sandbox, shop, status="UNPAID")[0]

    found = {o.id: o for o in adapter.orders(tokens.access_token, our_shop, [paid["id"], moving["id"], unpaid["id"]])}

    first = found[paid["id"]]
    assert (first.raw_status, first.status) == ("AWAITING_SHIPMENT", "new")
    assert first.amounts.currency == "GBP"
    assert first.amounts.total == Decimal("16.49") and isinstance(first.amounts.total, Decimal)
    assert first.amounts.shipping_fee == Decimal("3.99")
    assert [(i.sku_id, i.seller_sku, i.sale_price) for i in first.items] == [("111", "LIP-RED", Decimal("12.50"))]
    assert first.buyer.name and first.buyer.postal_code
    assert first.created_at == datetime.fromtimestamp(paid["create_time"], tz=UTC)
    assert (found[moving["id"]].raw_status, found[moving["id"]].status) == ("IN_TRANSIT", "shipped")
    assert (found[unpaid["id"]].raw_status, found[unpaid["id"]].status) == ("UNPAID", None)


def test_more_than_50_ids_are_asked_in_chunks(sandbox, adapter, tokens, our_shop, shop):
    ids = [o["id"] for o in place(sandbox, shop, count=120)]
    found = adapter.orders(tokens.access_token, our_shop, ids)
    assert [o.id for o in found] == ids
    assert calls(sandbox)["paths"][ORDERS] == 3


def test_another_sellers_order_is_refused(sandbox, adapter, tokens, our_shop):
    other = sandbox.control("POST", "tiktok/shops", {"name": "Someone else", "region": "GB"})
    foreign = place(sandbox, other)[0]
    with pytest.raises(PlatformRefused) as refused:
        adapter.orders(tokens.access_token, our_shop, [foreign["id"]])
    assert refused.value.code == 21008111


def test_cancel_is_called_once_per_idempotency_key(sandbox, adapter, app, waits, tokens, our_shop, shop):
    order = place(sandbox, shop, status="AWAITING_SHIPMENT")[0]

    first = adapter.cancel_order(tokens.access_token, our_shop, order["id"], "seller_out_of_stock", "cancel-1")
    again = adapter.cancel_order(tokens.access_token, our_shop, order["id"], "seller_out_of_stock", "cancel-1")

    assert first == again and first.cancel_id
    assert calls(sandbox)["idempotency_keys"]["cancel-1"] == 1
    assert sandbox.control("GET", f"tiktok/orders/{order['id']}")["status"] == "CANCELLED"
    # another process with the same key: the platform answers the first answer again
    with make_adapter(sandbox, app, waits) as other:
        third = other.cancel_order(tokens.access_token, our_shop, order["id"], "seller_out_of_stock", "cancel-1")
    assert third == first


@pytest.mark.parametrize(
    "ours, name",
    [
        ("Out of Stock", "seller_cancel_reason_out_of_stock"),
        ("Pricing Error", "seller_cancel_reason_wrong_price"),
        ("seller_cancel_reason_wrong_price", "seller_cancel_reason_wrong_price"),
    ],
)
def test_the_cancel_reason_goes_as_tiktoks_reason_name(sandbox, adapter, tokens, our_shop, shop, ours, name):
    order = place(sandbox, shop, status="AWAITING_SHIPMENT")[0]
    adapter.cancel_order(tokens.access_token, our_shop, order["id"], ours, f"cancel-{name}-{ours}")
    assert sandbox.control("GET", f"tiktok/orders/{order['id']}")["cancel_reason"] == name


def test_a_refused_cancel_raises_and_is_not_retried(sandbox, adapter, waits, tokens, our_shop, shop):
    order = place(sandbox, shop, status="IN_TRANSIT")[0]

    with pytest.raises(PlatformRefused) as refused:
        adapter.cancel_order(tokens.access_token, our_shop, order["id"], "seller_out_of_stock", "cancel-late")

    assert refused.value.code == 25001021 and "IN_TRANSIT" in refused.value.message
    assert calls(sandbox)["idempotency_keys"]["cancel-late"] == 1
    assert waits == []


def test_a_buyers_cancel_request_is_approved_or_rejected(sandbox, adapter, tokens, our_shop, shop):
    kept, dropped = place(sandbox, shop, count=2, status="AWAITING_SHIPMENT")
    refuse = sandbox.control("POST", f"tiktok/orders/{kept['id']}/buyer_cancel", {})
    agree = sandbox.control("POST", f"tiktok/orders/{dropped['id']}/buyer_cancel", {})

    adapter.answer_cancel_request(tokens.access_token, our_shop, refuse["cancel_id"], False, "r-1", "Already shipped")
    adapter.answer_cancel_request(tokens.access_token, our_shop, agree["cancel_id"], True, "a-1")

    assert sandbox.control("GET", f"tiktok/orders/{kept['id']}")["status"] == "AWAITING_SHIPMENT"
    assert sandbox.control("GET", f"tiktok/orders/{dropped['id']}")["status"] == "CANCELLED"
    statuses = {o.id: o.status for o in adapter.orders(tokens.access_token, our_shop, [kept["id"], dropped["id"]])}
    assert statuses == {kept["id"]: "new", dropped["id"]: "cancelled"}


def test_a_429_is_waited_out_and_retried(sandbox, adapter, waits, tokens, our_shop, shop):
    order = place(sandbox, shop)[0]
    sandbox.control("POST", "faults", {"status": 429, "count": 1, "path": ORDERS})

    found = adapter.orders(tokens.access_token, our_shop, [order["id"]])

    assert [o.id for o in found] == [order["id"]]
    assert calls(sandbox)["paths"][ORDERS] == 2
    assert len(waits) == 1


def test_dropped_connections_and_timeouts_are_retried(sandbox, app, waits, tokens, our_shop, shop):
    order = place(sandbox, shop)[0]
    sandbox.control("POST", "faults", {"drop": True, "count": 1, "path": ORDERS})
    sandbox.control("POST", "faults", {"delay": 1, "count": 1, "path": ORDERS})
    with make_adapter(sandbox, app, waits, timeout=httpx.Timeout(0.3)) as hasty:
        found = hasty.orders(tokens.access_token, our_shop, [order["id"]])
    assert [o.id for o in found] == [order["id"]]
    assert calls(sandbox)["paths"][ORDERS] == 3
    assert len(waits) == 2


def test_5xx_past_the_limit_fails_clearly(sandbox, adapter, waits, tokens, our_shop, shop):
    order = place(sandbox, shop)[0]
    sandbox.control("POST", "faults", {"status": 503, "count": 10, "path": ORDERS})

    with pytest.raises(PlatformUnavailable, match=r"GET /order/202309/orders: HTTP 503 on each of 4 tries"):
        adapter.orders(tokens.access_token, our_shop, [order["id"]])

    assert calls(sandbox)["paths"][ORDERS] == 4
    assert len(waits) == 3


def test_backoff_grows_and_is_jittered():
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, jitter=lambda: 1.0)
    assert [policy.delay(n) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert RetryPolicy(base_delay=1.0, jitter=lambda: 0.25).delay(2) == 1.0


def test_an_unknown_shop_cipher_is_refused(adapter, tokens):
    stranger = Shop(id="1", name="x", region="GB", cipher="GCP_not_ours")
    with pytest.raises(PlatformRefused) as refused:
        list(adapter.changed_orders(tokens.access_token, stranger, datetime.now(UTC), datetime.now(UTC)))
    assert refused.value.code == 101000


def test_token_calls_leave_no_secret_in_the_logs(sandbox, app, shop, adapter, caplog):
    code = authorize(sandbox, app, shop)
    with caplog.at_level(logging.DEBUG):
        got = adapter.exchange_code(code)
        adapter.refresh(got.refresh_token)
    assert app["app_secret"] not in caplog.text
    assert code not in caplog.text and got.refresh_token not in caplog.text


def test_an_expired_access_token_is_refused_until_refreshed(sandbox, adapter, tokens, our_shop, shop):
    order = place(sandbox, shop)[0]
    sandbox.control("POST", "clock", {"advance": (tokens.access_expires_at - sandbox_now(sandbox)).total_seconds() + 1})

    with pytest.raises(PlatformRefused) as refused:
        adapter.orders(tokens.access_token, our_shop, [order["id"]])
    assert refused.value.code == TIKTOK_TOKEN_EXPIRED

    renewed = adapter.refresh(tokens.refresh_token)
    assert [o.id for o in adapter.orders(renewed.access_token, our_shop, [order["id"]])] == [order["id"]]


def test_a_window_needs_aware_datetimes(adapter, tokens, our_shop):
    with pytest.raises(ValueError, match="timezone-aware"):
        next(adapter.changed_orders(tokens.access_token, our_shop, datetime(2026, 1, 1), datetime(2026, 1, 2)))
