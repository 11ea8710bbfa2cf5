"""Every documented platform status maps to ours (or, by decision, to None = not ours to act on);
anything else lands as None ("needs review") and never raises.

The documented lists are copied here from /work/shared/reference/marketplaces.md (§1.4, §1.6, §2.4,
§3.4, §3.5) so that a value dropped from a module's table fails a test."""

import pytest

from channels.models import Channel
from channels.platforms import PLATFORMS, lazada, shopee, tiktok
from orders.models import CancelRequestStatus, OrderStatus

S = OrderStatus
R = CancelRequestStatus

TIKTOK = {  # Get Order List `status`; webhook 1 spells cancelled CANCEL (§1.9 item 4)
    "UNPAID": None,
    "ON_HOLD": S.NEW,
    "AWAITING_SHIPMENT": S.NEW,
    "PARTIALLY_SHIPPING": S.IN_PROCESS,
    "AWAITING_COLLECTION": S.TO_PICKUP,
    "IN_TRANSIT": S.SHIPPED,
    "DELIVERED": S.SHIPPED,
    "COMPLETED": S.COMPLETED,
    "CANCELLED": S.CANCELLED,
    "CANCEL": S.CANCELLED,
}
SHOPEE = {  # OrderStatus data definition + get_order_list filter extras (INVOICE_PENDING, PENDING)
    "UNPAID": None,
    "PENDING": None,
    "INVOICE_PENDING": S.NEW,
    "READY_TO_SHIP": S.NEW,
    "IN_CANCEL": S.NEW,
    "PROCESSED": S.TO_PICKUP,
    "RETRY_SHIP": S.TO_PICKUP,
    "SHIPPED": S.SHIPPED,
    "TO_CONFIRM_RECEIVE": S.SHIPPED,
    "TO_RETURN": S.SHIPPED,
    "COMPLETED": S.COMPLETED,
    "CANCELLED": S.CANCELLED,
}
LAZADA = {  # GetOrders `status` filter + item-level packed/repacked (order-status-flow guide)
    "unpaid": None,
    "pending": S.NEW,
    "topack": S.NEW,
    "packed": S.IN_PROCESS,
    "repacked": S.IN_PROCESS,
    "toship": S.IN_PROCESS,
    "ready_to_ship": S.TO_PICKUP,
    "shipping": S.SHIPPED,
    "shipped": S.SHIPPED,
    "delivered": S.COMPLETED,
    "returned": S.COMPLETED,
    "canceled": S.CANCELLED,
    "failed": None,
    "lost": None,
}
DOCUMENTED = {tiktok: TIKTOK, shopee: SHOPEE, lazada: LAZADA}
CHANNEL = {tiktok: Channel.TIKTOK, shopee: Channel.SHOPEE, lazada: Channel.LAZADA}
TABLE = [(module, raw, ours) for module, statuses in DOCUMENTED.items() for raw, ours in statuses.items()]

CANCEL_REQUESTS = [
    (tiktok, "CANCELLATION_REQUEST_PENDING", R.PENDING),
    (tiktok, "CANCELLATION_REQUEST_SUCCESS", R.AGREED),
    (tiktok, "CANCELLATION_REQUEST_COMPLETE", R.AGREED),
    (tiktok, "CANCELLATION_REQUEST_CANCEL", R.REJECTED),
    (tiktok, "CANCELLATION_REQUEST_CANCELLED", R.REJECTED),
    (shopee, "IN_CANCEL", R.PENDING),
    (lazada, "REQUEST_INITIATE", R.PENDING),
    (lazada, "CANCEL_INIT", R.PENDING),
    (lazada, "CANCEL_SUCCESS", R.AGREED),
    (lazada, "CANCEL_REFUND_ISSUED", R.AGREED),
    (lazada, "REQUEST_REJECT", R.REJECTED),
    (lazada, "REQUEST_CANCEL", R.REJECTED),
]

HOSTILE = [
    "",
    " ",
    "\x00",
    "SHIPPED\x00",
    "X" * 1_000_000,
    "UNKNOWN_STATUS",
    "Shipped!",
    None,
    7,
    1e308,
    b"SHIPPED",
    ["SHIPPED"],
    {},
]


@pytest.mark.parametrize(("module", "raw", "ours"), TABLE, ids=[f"{CHANNEL[m]}-{r}" for m, r, _ in TABLE])
def test_every_documented_status_maps(module, raw, ours):
    assert module.our_status(raw) == ours


@pytest.mark.parametrize("module", DOCUMENTED, ids=lambda m: m.__name__)
def test_the_module_tables_hold_exactly_the_documented_values(module):
    assert set(PLATFORMS[CHANNEL[module]].statuses) == set(DOCUMENTED[module])


def test_every_mapped_value_is_a_real_status_of_ours():
    for platform in PLATFORMS.values():
        assert {v for v in platform.statuses.values() if v is not None} <= set(S.values)
    for module, raw, _ in CANCEL_REQUESTS:
        assert module.cancel_request_status(raw) in R.values


@pytest.mark.parametrize(("module", "raw", "ours"), CANCEL_REQUESTS, ids=[r for _, r, _ in CANCEL_REQUESTS])
def test_every_documented_cancel_request_status_maps(module, raw, ours):
    assert module.cancel_request_status(raw) == ours


@pytest.mark.parametrize("raw", HOSTILE, ids=range(len(HOSTILE)))
def test_unknown_or_hostile_input_needs_review_and_never_raises(raw):
    for module in DOCUMENTED:
        assert module.our_status(raw) is None
        assert module.cancel_request_status(raw) is None
    assert lazada.order_status([raw]) is None


def test_surrounding_spaces_and_lazada_case_are_tolerated():
    assert tiktok.our_status(" COMPLETED\n") == S.COMPLETED
    assert lazada.our_status("Ready_To_Ship") == S.TO_PICKUP
    assert shopee.our_status("completed") is None  # Shopee documents upper case only


def test_unpaid_orders_are_told_apart_from_unknown_ones():
    for platform in PLATFORMS.values():
        assert platform.awaiting_payment <= set(platform.statuses)
        assert all(platform.our_status(raw) is None for raw in platform.awaiting_payment)
    assert "UNKNOWN" not in PLATFORMS[Channel.TIKTOK].awaiting_payment


def test_lazada_order_is_as_far_as_its_slowest_live_item():
    assert lazada.order_status(["shipped", "ready_to_ship", "canceled"]) == S.TO_PICKUP
    assert lazada.order_status(["delivered", "canceled"]) == S.COMPLETED
    assert lazada.order_status(["canceled", "canceled"]) == S.CANCELLED
    assert lazada.order_status(["pending", "something_new"]) is None
    assert lazada.order_status([]) is None


def test_registry_is_keyed_by_channel():
    assert set(PLATFORMS) == {Channel.TIKTOK, Channel.SHOPEE, Channel.LAZADA}
    assert all(key == platform.channel for key, platform in PLATFORMS.items())
