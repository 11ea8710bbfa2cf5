"""The Lazada adapter against the sandbox marketplace, a real process spoken to over HTTP (fixtures:
tests/sandbox_fixtures.py). Retry waits are recorded, not slept."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from channels.adapters.base import ChannelAdapter, PlatformError, PlatformRefused, PlatformUnavailable, Shop
from channels.adapters.lazada import TOKEN_EXPIRED, LazadaAdapter
from channels.adapters.retry import RetryPolicy
from channels.connections import session
from channels.models import Connection, ConnectionStatus
from core.errors import Refused
from tests.factories import TenantFactory
from tests.sandbox_fixtures import connect_lazada, lazada_authorize

ORDERS = "/orders/get"
CREATE = "/order/reverse/cancel/create"
APP = {"app_key": "100777", "app_secret": "lz-adapter-secret", "redirect_uri": "http://app.test/lazada"}


@pytest.fixture
def waits():
    return []


@pytest.fixture
def app(sandbox):
    return sandbox.control("POST", "lazada/apps", APP)


@pytest.fixture
def seller(sandbox):
    return sandbox.control("POST", "lazada/sellers", {"name": "Kedai Maju", "country": "MY"})


def make_adapter(sandbox, app, waits, **options):
    retry = RetryPolicy(tries=4, base_delay=0.001, sleep=waits.append)
    base = {"api_base": sandbox.url, "auth_base": sandbox.url, "authorize_page": sandbox.url + "/oauth/authorize"}
    return LazadaAdapter(app_key=app["app_key"], app_secret=app["app_secret"], retry=retry, **base, **options)


@pytest.fixture
def adapter(sandbox, app, waits):
    with make_adapter(sandbox, app, waits) as client:
        yield client


@pytest.fixture
def tokens(sandbox, app, seller, adapter):
    return adapter.exchange_code(lazada_authorize(sandbox, app, seller))


@pytest.fixture
def our_shop(adapter, tokens):
    (shop,) = adapter.shops(tokens.access_token)
    return shop


def place(sandbox, seller, count=1, **order):
    """Orders placed through the control API, 100 at a time (it shows at most 100 of a batch)."""
    placed = []
    for start in range(0, count, 100):
        body = {"seller_id": seller["seller_id"], "count": min(100, count - start), **order}
        placed += sandbox.control("POST", "lazada/orders", body)["orders"]
    return placed


def sandbox_now(sandbox) -> datetime:
    return datetime.fromtimestamp(sandbox.control("GET", "clock")["now"], tz=UTC)


def calls(sandbox) -> dict:
    return sandbox.control("GET", "calls")["paths"]


def ids(orders) -> list[str]:
    return [str(o["order_id"]) for o in orders]


def test_it_is_a_channel_adapter(adapter):
    assert isinstance(adapter, ChannelAdapter)


def test_the_authorize_url_names_the_app_and_the_callback(adapter, app):
    url = adapter.authorize_url("http://app.test/lazada", "st-1")
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(adapter.authorize_page + "?")
    assert query["client_id"] == [app["app_key"]] and query["redirect_uri"] == ["http://app.test/lazada"]
    assert query["response_type"] == ["code"] and query["state"] == ["st-1"]


def test_the_code_gives_tokens_and_the_seller_as_the_shop(sandbox, adapter, tokens, seller, our_shop):
    now = datetime.now(UTC)
    assert tokens.seller_id == str(seller["seller_id"])
    assert now < tokens.access_expires_at <= tokens.refresh_expires_at
    assert (our_shop.id, our_shop.name, our_shop.region, our_shop.code) == (
        str(seller["seller_id"]),
        "Kedai Maju",
        "MY",
        seller["short_code"],
    )


def test_refresh_gives_new_tokens_and_spends_the_old_refresh_token(adapter, tokens):
    renewed = adapter.refresh(tokens.refresh_token)
    assert renewed.access_token != tokens.access_token and renewed.seller_id == tokens.seller_id
    assert adapter.shops(renewed.access_token)
    with pytest.raises(PlatformRefused) as refused:
        adapter.refresh(tokens.refresh_token)
    assert refused.value.code == "IllegalRefreshToken"


def test_a_used_code_is_refused_in_lazadas_words(sandbox, app, seller, adapter):
    code = lazada_authorize(sandbox, app, seller)
    adapter.exchange_code(code)
    with pytest.raises(PlatformRefused) as refused:
        adapter.exchange_code(code)
    assert refused.value.code == "InvalidCode"


def test_a_window_of_250_changed_orders_is_walked_once_each(sandbox, adapter, tokens, our_shop, seller):
    before = set(ids(place(sandbox, seller, count=3)))
    sandbox.control("POST", "clock", {"advance": 60})
    since = sandbox_now(sandbox)
    inside = set(ids(place(sandbox, seller, count=120)))
    sandbox.control("POST", "clock", {"advance": 30})
    inside |= set(ids(place(sandbox, seller, count=130)))
    sandbox.control("POST", "clock", {"advance": 60})
    until = sandbox_now(sandbox)
    after = set(ids(place(sandbox, seller, count=2)))

    pages = list(adapter.changed_orders(tokens.access_token, our_shop, since, until, page_size=100))

    walked = [order.id for page in pages for order in page]
    assert len(walked) == 250 and set(walked) == inside
    assert not set(walked) & (before | after)
    assert [len(page) for page in pages] == [100, 100, 50]
    assert calls(sandbox)[ORDERS] == 3


def test_past_offset_5000_the_window_moves_and_no_order_is_lost(sandbox, adapter, tokens, our_shop, seller):
    since = sandbox_now(sandbox)
    placed = set()
    for _ in range(26):  # 5,200 orders, 200 a second
        placed |= set(ids(place(sandbox, seller, count=200)))
        sandbox.control("POST", "clock", {"advance": 1})

    walked = [
        o.id
        for page in adapter.changed_orders(tokens.access_token, our_shop, since, sandbox_now(sandbox), 100)
        for o in page
    ]

    assert len(walked) == 5200 and set(walked) == placed


def test_orders_map_item_statuses_and_amounts(sandbox, adapter, tokens, our_shop, seller):
    line = {"sku": "LIP-RED", "name": "Lipstick", "item_price": "12.50", "voucher_seller": "1.00", "quantity": 2}
    paid = place(sandbox, seller, status="pending", shipping_fee="4.90", items=[line])[0]
    moving = place(sandbox, seller, status="shipped")[0]
    unpaid = place(sandbox, seller, status="unpaid")[0]
    lost = place(sandbox, seller, status="lost")[0]

    found = {o.id: o for o in adapter.orders(tokens.access_token, our_shop, ids([paid, moving, unpaid, lost]))}

    first = found[str(paid["order_id"])]
    assert (first.raw_status, first.status) == ("pending", "new")
    assert first.amounts.currency == "MYR"
    assert first.amounts.total == Decimal("27.90") and isinstance(first.amounts.total, Decimal)  # 25 - 2 + 4.90
    assert first.amounts.seller_discount == Decimal("2.00")
    assert [(i.seller_sku, i.sale_price, i.original_price) for i in first.items] == [
        ("LIP-RED", Decimal("11.50"), Decimal("12.50"))
    ] * 2  # one item per unit
    assert first.created_at.tzinfo is UTC and first.created_at == datetime.fromisoformat(paid["created_at"])
    assert first.buyer.name and first.buyer.postal_code
    assert (found[str(moving["order_id"])].status, found[str(unpaid["order_id"])].status) == ("shipped", None)
    assert (found[str(lost["order_id"])].raw_status, found[str(lost["order_id"])].status) == ("lost", None)


def test_another_sellers_order_is_refused(sandbox, adapter, tokens, our_shop):
    other = sandbox.control("POST", "lazada/sellers", {"name": "Someone else", "country": "MY"})
    foreign = place(sandbox, other)[0]
    with pytest.raises(PlatformRefused) as refused:
        adapter.orders(tokens.access_token, our_shop, ids([foreign]))
    assert refused.value.code == "E016"


def test_cancel_cancels_every_item_once_per_key(sandbox, adapter, app, waits, tokens, our_shop, seller):
    order = place(sandbox, seller, status="pending", items=[{"quantity": 3}])[0]

    first = adapter.cancel_order(tokens.access_token, our_shop, str(order["order_id"]), "Out of Stock", "cancel-1")
    again = adapter.cancel_order(tokens.access_token, our_shop, str(order["order_id"]), "Out of Stock", "cancel-1")
    with make_adapter(sandbox, app, waits) as other:  # another process: the items are cancelled already
        third = other.cancel_order(tokens.access_token, our_shop, str(order["order_id"]), "OUT_OF_STOCK", "cancel-1")

    assert first == again == third and first.cancel_id.isdigit()
    assert calls(sandbox)[CREATE] == 1
    shown = sandbox.control("GET", f"lazada/orders/{order['order_id']}")
    assert [i["status"] for i in shown["items"]] == ["canceled"] * 3
    assert {i["cancel_return_initiator"] for i in shown["items"]} == {"cancellation-seller"}
    assert {i["reason"] for i in shown["items"]} == {"Out of Stock"}


def test_a_refused_cancel_raises_and_is_not_retried(sandbox, adapter, waits, tokens, our_shop, seller):
    order = place(sandbox, seller, status="shipped")[0]

    with pytest.raises(PlatformRefused) as refused:
        adapter.cancel_order(tokens.access_token, our_shop, str(order["order_id"]), "Out of Stock", "late")

    assert refused.value.code == "E0123" and "shipped" in refused.value.message
    assert calls(sandbox)[CREATE] == 1 and waits == []


@pytest.mark.parametrize("spelling", ["seller_out_of_stock", "OUT_OF_STOCK", "out of stock", "10000021"])
def test_a_reason_in_any_spelling_or_its_id_cancels(sandbox, adapter, tokens, our_shop, seller, spelling):
    order = place(sandbox, seller)[0]
    adapter.cancel_order(tokens.access_token, our_shop, str(order["order_id"]), spelling, "k-" + spelling)
    assert {i["reason"] for i in sandbox.control("GET", f"lazada/orders/{order['order_id']}")["items"]} == {
        "Out of Stock"
    }


def test_an_unknown_reason_is_refused_with_the_offered_ones(sandbox, adapter, tokens, our_shop, seller):
    order = place(sandbox, seller)[0]
    with pytest.raises(PlatformRefused, match="Out of Stock, Pricing Error, Sourcing Delay"):
        adapter.cancel_order(tokens.access_token, our_shop, str(order["order_id"]), "Bored", "k-1")
    assert CREATE not in calls(sandbox)


def test_a_buyers_cancel_request_is_agreed_or_refused(sandbox, adapter, tokens, our_shop, seller):
    kept, dropped = place(sandbox, seller, count=2, status="pending")
    refuse = sandbox.control("POST", f"lazada/orders/{kept['order_id']}/buyer_cancel", {"reason": "Found cheaper"})
    agree = sandbox.control("POST", f"lazada/orders/{dropped['order_id']}/buyer_cancel", {})
    asked = adapter.orders(tokens.access_token, our_shop, ids([kept, dropped]))
    assert [o.buyer_requested_cancel for o in asked] == [True, True]
    assert asked[0].buyer_cancel_reason == "Found cheaper"

    adapter.answer_cancel_request(tokens.access_token, our_shop, str(refuse["reverse_order_id"]), False, "r-1")
    adapter.answer_cancel_request(tokens.access_token, our_shop, str(agree["reverse_order_id"]), True, "a-1")
    sandbox.control("POST", "clock", {"advance": 61})  # the logistics system confirms the agreed cancel

    found = {o.id: o for o in adapter.orders(tokens.access_token, our_shop, ids([kept, dropped]))}
    assert (found[str(kept["order_id"])].status, found[str(kept["order_id"])].buyer_requested_cancel) == ("new", False)
    assert found[str(dropped["order_id"])].status == "cancelled"
    with pytest.raises(PlatformRefused) as refused:  # refused already: agreeing now is refused
        adapter.answer_cancel_request(tokens.access_token, our_shop, str(refuse["reverse_order_id"]), True, "x-1")
    assert refused.value.code == "E0131"


def test_an_answer_repeated_by_another_process_counts_as_done(sandbox, adapter, app, waits, tokens, our_shop, seller):
    kept, dropped = place(sandbox, seller, count=2, status="pending")
    refuse = str(sandbox.control("POST", f"lazada/orders/{kept['order_id']}/buyer_cancel", {})["reverse_order_id"])
    agree = str(sandbox.control("POST", f"lazada/orders/{dropped['order_id']}/buyer_cancel", {})["reverse_order_id"])
    adapter.answer_cancel_request(tokens.access_token, our_shop, refuse, False, "r-1")
    adapter.answer_cancel_request(tokens.access_token, our_shop, agree, True, "a-1")

    with make_adapter(sandbox, app, waits) as other:  # the reply was lost; the task runs again elsewhere
        other.answer_cancel_request(tokens.access_token, our_shop, refuse, False, "r-1")
        other.answer_cancel_request(tokens.access_token, our_shop, agree, True, "a-1")

    assert calls(sandbox)["/order/reverse/cancel/seller/decide"] == 4
    assert calls(sandbox)["/order/reverse/return/detail/list"] == 2


def test_a_429_is_waited_out_and_retried(sandbox, adapter, waits, tokens, our_shop, seller):
    order = place(sandbox, seller)[0]
    sandbox.control("POST", "faults", {"status": 429, "count": 1, "path": "/order/get"})

    assert [o.id for o in adapter.orders(tokens.access_token, our_shop, ids([order]))] == ids([order])
    assert calls(sandbox)["/order/get"] == 2 and len(waits) == 1


def test_dropped_connections_and_timeouts_are_retried(sandbox, app, waits, tokens, our_shop, seller):
    order = place(sandbox, seller)[0]
    sandbox.control("POST", "faults", {"drop": True, "count": 1, "path": "/order/get"})
    sandbox.control("POST", "faults", {"delay": 1, "count": 1, "path": "/order/get"})
    with make_adapter(sandbox, app, waits, timeout=httpx.Timeout(0.3)) as hasty:
        found = hasty.orders(tokens.access_token, our_shop, ids([order]))
    assert [o.id for o in found] == ids([order])
    assert calls(sandbox)["/order/get"] == 3 and len(waits) == 2


def test_5xx_past_the_limit_fails_clearly(sandbox, adapter, waits, tokens, our_shop, seller):
    order = place(sandbox, seller)[0]
    sandbox.control("POST", "faults", {"status": 503, "count": 10, "path": "/order/get"})
    with pytest.raises(PlatformUnavailable, match=r"Lazada GET /order/get: HTTP 503 on each of 4 tries"):
        adapter.orders(tokens.access_token, our_shop, ids([order]))
    assert calls(sandbox)["/order/get"] == 4 and len(waits) == 3


def test_an_expired_access_token_is_refused_until_refreshed(sandbox, adapter, tokens, our_shop, seller):
    order = place(sandbox, seller)[0]
    sandbox.control("POST", "clock", {"advance": 7 * 86400 + 1})
    with pytest.raises(PlatformRefused) as refused:
        adapter.orders(tokens.access_token, our_shop, ids([order]))
    assert refused.value.code == TOKEN_EXPIRED

    renewed = adapter.refresh(tokens.refresh_token)
    assert [o.id for o in adapter.orders(renewed.access_token, our_shop, ids([order]))] == ids([order])


def test_the_api_host_follows_the_stores_country(sandbox, app, waits):
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        return httpx.Response(200, json={"code": "0", "request_id": "1", "data": {}})

    options = {"api_base": "https://api.lazada.{site}/rest", "auth_base": "https://auth.lazada.com/rest"}
    client = LazadaAdapter(app_key="1", app_secret="s", transport=httpx.MockTransport(answer), **options)
    for country in ("MY", "SG", "TH", "ID", "PH", "VN"):
        client.orders("token", Shop(id="1", name="x", region=country), ["1"])
    hosts = ["api.lazada.com.my", "api.lazada.sg", "api.lazada.co.th", "api.lazada.co.id", "api.lazada.com.ph"]
    assert list(dict.fromkeys(seen)) == [*hosts, "api.lazada.vn"]
    with pytest.raises(PlatformError, match="no API host for country 'GB'"):
        client.orders("token", Shop(id="1", name="x", region="GB"), ["1"])


def test_a_window_needs_aware_datetimes(adapter, tokens, our_shop):
    with pytest.raises(ValueError, match="timezone-aware"):
        next(adapter.changed_orders(tokens.access_token, our_shop, datetime(2026, 1, 1), datetime(2026, 1, 2)))


def test_an_empty_window_is_one_empty_page(sandbox, adapter, tokens, our_shop, seller):
    place(sandbox, seller)
    later = sandbox_now(sandbox) + timedelta(hours=1)
    assert list(adapter.changed_orders(tokens.access_token, our_shop, later, later + timedelta(hours=1))) == [[]]


@pytest.mark.django_db
def test_a_connected_store_refreshes_its_token_and_reads_its_orders(sandbox, settings):
    store, seller = connect_lazada(sandbox, settings, TenantFactory(), access_ttl=60)  # inside REFRESH_AHEAD
    order = place(sandbox, seller)[0]
    before = Connection.objects.get(store=store)
    assert (store.external_id, store.site, before.seller_id) == (str(seller["seller_id"]), "MY", store.external_id)

    with session(store) as live:
        assert live.access_token != before.access_token
        assert [o.id for o in live.adapter.orders(live.access_token, live.shop, ids([order]))] == ids([order])
    assert Connection.objects.get(store=store).refresh_token != before.refresh_token


@pytest.mark.django_db
def test_a_revoked_seller_must_authorize_again(sandbox, settings):
    store, seller = connect_lazada(sandbox, settings, TenantFactory(), access_ttl=60)
    sandbox.control("POST", "lazada/revoke", {"seller_id": seller["seller_id"]})
    with pytest.raises(Refused, match="authorize again"), session(store):
        pass
    connection = Connection.objects.get(store=store)
    assert connection.status == ConnectionStatus.REAUTHORIZE and "refresh token is invalid" in connection.last_error


def test_throttling_said_in_a_200_is_waited_out_like_a_429(waits):
    """Where Lazada may answer ApiCallLimit with HTTP 200 (the sandbox answers 429): retried, not refused."""
    answers = [
        httpx.Response(200, json={"type": "ISP", "code": "ApiCallLimit", "message": "limit", "request_id": "1"}),
        httpx.Response(200, json={"code": "0", "request_id": "2", "data": {"seller_id": 7, "name": "K"}}),
    ]
    retry = RetryPolicy(tries=4, base_delay=0.001, sleep=waits.append)
    options = {"api_base": "https://api.lazada.{site}/rest", "auth_base": "https://auth.lazada.com/rest"}
    transport = httpx.MockTransport(lambda request: answers.pop(0))
    with LazadaAdapter(app_key="1", app_secret="s", retry=retry, transport=transport, **options) as client:
        client.countries["token"] = ["MY"]
        assert [(s.id, s.region) for s in client.shops("token")] == [("7", "MY")]
    assert len(waits) == 1


def test_a_token_this_adapter_did_not_mint_finds_its_country_host(waits):
    """Another process's token: every country host is asked; the one that knows the seller answers."""
    asked = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.host)
        if request.url.host != "api.lazada.co.th":
            return httpx.Response(200, json={"type": "ISV", "code": "IllegalAccessToken", "message": "x"})
        return httpx.Response(200, json={"code": "0", "data": {"seller_id": 9, "name": "Ran", "short_code": "TH9"}})

    options = {"api_base": "https://api.lazada.{site}/rest", "auth_base": "https://auth.lazada.com/rest"}
    with LazadaAdapter(app_key="1", app_secret="s", transport=httpx.MockTransport(answer), **options) as client:
        assert [(s.id, s.region, s.code) for s in client.shops("token")] == [("9", "TH", "TH9")]
    assert len(asked) == 6
