"""Lazada answers as its samples spell them (three time formats, numbers as strings or numbers, two
names for the country list) are read; what is not a status or an amount gives None, never a crash."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from channels.adapters import lazada_parse as parse

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    ["2018-02-09T22:44:30+08:00", "2018-02-09 22:44:30 +0800", "1518187470000", 1518187470000, 1518187470],
)
def test_the_three_time_formats_of_the_samples_read_the_same_moment(raw):
    assert parse.moment(raw) == datetime(2018, 2, 9, 14, 44, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw", ["", "yesterday", "2018-02-09 22:44:30", "2018-02-09T22:44:30", "15181874700", None, True, {}]
)
def test_times_without_a_zone_or_junk_are_none(raw):
    assert parse.moment(raw) is None


@pytest.mark.parametrize(("raw", "parsed"), [("99.00", Decimal("99.00")), (106.5, Decimal("106.5")), (3, Decimal(3))])
def test_amounts_read_strings_and_numbers(raw, parsed):
    assert parse.amount(raw) == parsed


@pytest.mark.parametrize("raw", ["", "NaN", "1e5", True, None, [], "9" * 40])
def test_junk_amounts_are_none(raw):
    assert parse.amount(raw) is None


@pytest.mark.parametrize("info_name", ["country_user_info", "country_user_info_list"])
def test_tokens_read_either_country_list_and_lifetimes_as_text_or_numbers(info_name):
    answer = {
        "access_token": "500006",
        "refresh_token": "500016",
        "expires_in": "10",
        "refresh_expires_in": 60,
        "country": "sg",
        "account": "seller@example.com",
        info_name: [{"country": "SG", "seller_id": "1001", "user_id": "1001", "short_code": "SG1001"}],
    }
    tokens = parse.tokens(answer, NOW)
    assert (tokens.seller_id, tokens.seller_name) == ("1001", "seller@example.com")
    assert (tokens.access_expires_at - NOW).total_seconds() == 10
    assert (tokens.refresh_expires_at - NOW).total_seconds() == 60
    assert parse.countries(answer) == ["SG"]


def item(status, **fields):
    return {"order_item_id": "1", "status": status, "currency": "SGD", "item_price": "10.00", **fields}


def test_an_order_takes_the_status_of_its_least_advanced_live_item():
    data = {"order_id": 42, "price": "20.00", "voucher": "1.00", "shipping_fee": "2.00", "statuses": []}
    order = parse.order(data, [item("canceled"), item("packed", need_cancel_confirm="true")])
    assert (order.id, order.raw_status, order.status) == ("42", "canceled,packed", "in_process")
    assert order.buyer_requested_cancel is True
    assert (order.amounts.currency, order.amounts.total, order.amounts.sub_total) == (
        "SGD",
        Decimal("21.00"),
        Decimal("19.00"),
    )


def test_an_unknown_item_status_is_kept_raw_and_needs_review():
    order = parse.order({"order_id": "7", "price": "x"}, [item("teleported"), item("pending")])
    assert (order.raw_status, order.status) == ("pending,teleported", None)
    assert order.amounts.total is None  # the price was junk


def test_without_items_the_listed_statuses_decide_and_nothing_crashes():
    order = parse.order({"order_id": "8", "statuses": ["delivered"], "address_shipping": "junk"}, [None, "x"])
    assert (order.status, order.items, order.buyer.name) == ("completed", (), "")
