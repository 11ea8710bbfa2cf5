"""Shopee answers that are not what the docs promise give None (an order to review), never a crash;
floats become the Decimal they spell."""

from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise

import httpx
import pytest

from channels.adapters import shopee_parse as parse
from channels.adapters.base import ChannelAdapter, MalformedAnswer, PlatformError, PlatformRefused, Shop
from channels.adapters.retry import RetryPolicy
from channels.adapters.shopee import ShopeeAdapter, cancel_reason
from channels.platforms import shopee


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [(12.5, "12.5"), (0.1 + 0.2, "0.3"), (26.19, "26.19"), (32119, "32119"), ("4.20", "4.20")],
)
def test_amounts_are_the_decimal_a_float_spells(raw, parsed):
    assert parse.amount(raw) == Decimal(parsed) and isinstance(parse.amount(raw), Decimal)


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), 1e300, True, None, "abc", "1e5", [1]])
def test_junk_amounts_are_none(raw):
    assert parse.amount(raw) is None


def test_an_order_full_of_junk_is_one_to_review():
    junk = {"order_sn": 5, "order_status": "TELEPORTED", "create_time": "yesterday", "item_list": 3}
    order = parse.order({**junk, "total_amount": "free", "recipient_address": "here"})
    assert (order.id, order.raw_status, order.status) == ("5", "TELEPORTED", None)
    assert order.created_at is None and order.amounts.total is None and order.items == ()
    assert not order.buyer_requested_cancel


def test_junk_item_rows_are_skipped_and_silly_quantities_bounded():
    rows = [3, {"item_id": 1, "model_id": 0, "model_quantity_purchased": 10**9, "model_discounted_price": "x"}]
    items = parse.items({"item_list": rows})
    assert len(items) == parse.MAX_UNITS and items[0].sku_id == "1" and items[0].sale_price is None
    assert parse.amounts({"item_list": rows}, items).sub_total is None  # a price unknown: no sum


def test_times_are_aware_utc():
    assert parse.moment(1712601591) == datetime(2024, 4, 8, 18, 39, 51, tzinfo=UTC)
    assert parse.moment("1712601591") == parse.moment(1712601591)
    assert parse.moment(0) is None and parse.moment(2**41) is None and parse.moment(1.5) is None


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("OUT_OF_STOCK", "OUT_OF_STOCK"),
        ("Out of Stock", "OUT_OF_STOCK"),
        ("seller_out_of_stock", "OUT_OF_STOCK"),
        ("customer request", "CUSTOMER_REQUEST"),
        ("Buyer Request to Cancel", "CUSTOMER_REQUEST"),
        ("undeliverable-area", "UNDELIVERABLE_AREA"),
        ("COD_NOT_SUPPORTED", "COD_NOT_SUPPORTED"),
    ],
)
def test_cancel_reasons_are_taken_in_any_spelling_and_sent_in_shopees(given, sent):
    assert cancel_reason(given) == sent


def adapter_answering(handler) -> ShopeeAdapter:
    return ShopeeAdapter(
        partner_id=1,
        partner_key="k",
        api_base="https://api.test",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(sleep=lambda _: None),
    )


def test_an_answer_that_is_not_the_envelope_is_malformed():
    adapter = adapter_answering(lambda request: httpx.Response(200, text="<html>maintenance</html>"))
    with pytest.raises(MalformedAnswer, match="not JSON"):
        adapter.shops("token", shop_id="9")
    adapter = adapter_answering(lambda request: httpx.Response(200, json=[1, 2]))
    with pytest.raises(MalformedAnswer, match="no platform envelope"):
        adapter.shops("token", shop_id="9")


def test_a_refusal_on_a_4xx_is_still_shopees_refusal():
    answer = {"request_id": "r1", "error": "error_perm", "message": "No permission."}
    adapter = adapter_answering(lambda request: httpx.Response(403, json=answer))
    with pytest.raises(PlatformRefused) as refused:
        adapter.shops("token", shop_id="9")
    said = (refused.value.code, refused.value.message, refused.value.request_id)
    assert said == ("error_perm", "No permission.", "r1")


def test_shop_calls_need_the_shop():
    adapter = adapter_answering(lambda request: httpx.Response(200, json={"error": ""}))
    with pytest.raises(PlatformError, match="shop_id"):
        adapter.shops("a token it did not mint")
    with pytest.raises(ValueError, match="whole number"):
        adapter.exchange_code("code", shop_id="GCP_cipher")


def test_the_shopee_adapter_is_a_channel_adapter():
    assert isinstance(adapter_answering(lambda request: httpx.Response(200)), ChannelAdapter)


def test_an_order_push_names_its_order_in_either_spelling():
    captured = {"msg_id": "64ca", "shop_id": 336094210, "code": 3, "timestamp": 1765689440}
    data = {"ordersn": "251214B9XAB0ST", "status": "READY_TO_SHIP", "update_time": 1765689439}
    assert shopee.pushed_order({**captured, "data": data}) == ("251214B9XAB0ST", "READY_TO_SHIP")
    assert shopee.pushed_order({**captured, "data": {"order_sn": "X1", "status": "IN_CANCEL"}}) == ("X1", "IN_CANCEL")
    for junk in ({**captured, "code": 4, "data": data}, {**captured, "data": {"ordersn": 5}}, [], None, {"code": 3}):
        assert shopee.pushed_order(junk) is None


def test_windows_tile_the_span_without_gap_or_overlap():
    asked = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append((int(request.url.params["time_from"]), int(request.url.params["time_to"])))
        return httpx.Response(200, json={"error": "", "response": {"more": False, "order_list": []}})

    since = datetime(2026, 1, 1, tzinfo=UTC)
    until = datetime(2026, 2, 10, 12, tzinfo=UTC)  # 40.5 days
    shop = Shop(id="9", name="", region="SG")
    pages = list(adapter_answering(answer).changed_orders("token", shop, since, until))

    assert pages == [[], [], []]
    assert asked[0][0] == since.timestamp() and asked[-1][1] == until.timestamp() - 1  # time_to is inclusive
    assert all(nxt[0] == prev[1] + 1 for prev, nxt in pairwise(asked))
    assert all(0 <= end - start < 15 * 86400 for start, end in asked)
