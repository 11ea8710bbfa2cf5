"""TikTok answers that are not what the docs promise give None (an order to review), never a crash."""

from decimal import Decimal

import httpx
import pytest

from channels.adapters import tiktok_parse as parse
from channels.adapters.base import ChannelAdapter, MalformedAnswer, PlatformRefused
from channels.adapters.retry import RetryPolicy
from channels.adapters.tiktok import TikTokAdapter


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("12.50", Decimal("12.50")), ("0", Decimal(0)), (" 7.1 ", Decimal("7.1")), (3, Decimal(3)), ("-2", Decimal(-2))],
)
def test_amounts_are_decimals_of_the_platforms_strings(raw, parsed):
    assert parse.amount(raw) == parsed
    assert isinstance(parse.amount(raw), Decimal)


JUNK = ["", "abc", "NaN", "Infinity", "1e999999", "9" * 40, "1.2.3", None, True, 1.5, "12\x00"]


@pytest.mark.parametrize("raw", JUNK)
def test_junk_amounts_are_none(raw):
    assert parse.amount(raw) is None


def test_an_order_full_of_junk_is_one_to_review():
    junk = {"id": 5, "status": "TELEPORTED", "create_time": "yesterday", "payment": "free", "line_items": 3}
    order = parse.order(junk)
    assert (order.id, order.raw_status, order.status) == ("5", "TELEPORTED", None)
    assert order.created_at is None and order.amounts.total is None and order.items == ()


def adapter_answering(handler) -> TikTokAdapter:
    return TikTokAdapter(
        app_key="k",
        app_secret="s",
        api_base="https://api.test",
        auth_base="https://auth.test",
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(sleep=lambda _: None),
    )


def test_an_answer_that_is_not_the_envelope_is_malformed():
    adapter = adapter_answering(lambda request: httpx.Response(200, text="<html>maintenance</html>"))
    with pytest.raises(MalformedAnswer, match="not JSON"):
        adapter.shops("token")


def test_a_refusal_without_a_numeric_code_still_refuses():
    adapter = adapter_answering(lambda request: httpx.Response(200, json={"code": "oops", "message": "no"}))
    with pytest.raises(PlatformRefused) as refused:
        adapter.shops("token")
    assert refused.value.code == -1 and refused.value.message == "no"


def test_the_tiktok_adapter_is_a_channel_adapter():
    assert isinstance(adapter_answering(lambda request: httpx.Response(200)), ChannelAdapter)
