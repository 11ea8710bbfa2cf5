"""Every documented raw order status of each platform has the label the seller sees there, and the
labels the seller-cancel rules compare with are the ones the sync writes."""

import pytest

from channels.models import Channel
from channels.platforms import PLATFORMS
from channels.platforms.labels import status_label
from orders.cancellation import SELLER_CANCEL


@pytest.mark.parametrize("channel", [Channel.TIKTOK, Channel.SHOPEE, Channel.LAZADA])
def test_every_documented_status_has_a_label(channel):
    missing = [raw for raw in PLATFORMS[channel].statuses if not status_label(channel, raw)]
    assert missing == []


@pytest.mark.parametrize("channel", [Channel.TIKTOK, Channel.SHOPEE, Channel.LAZADA])
def test_each_status_a_seller_may_cancel_in_comes_from_a_raw_status(channel):
    written = {status_label(channel, raw) for raw in PLATFORMS[channel].statuses}
    assert SELLER_CANCEL[channel].statuses <= written


@pytest.mark.parametrize(
    ("channel", "raw", "label"),
    [
        (Channel.TIKTOK, "AWAITING_SHIPMENT", "Awaiting Shipment"),
        (Channel.TIKTOK, "CANCEL", "Cancelled"),  # the webhook's spelling
        (Channel.SHOPEE, "READY_TO_SHIP", "To Process"),
        (Channel.SHOPEE, "PROCESSED", "Processed"),
        (Channel.LAZADA, "Ready_To_Ship", "Ready to Ship"),  # Lazada is matched case-insensitively
        (Channel.LAZADA, "toship", "Ready to Ship Pending"),
        (Channel.LAZADA, "packed,pending", "Pending"),  # items apart: the least advanced live one
        (Channel.LAZADA, "canceled,shipped", "Shipped"),
        (Channel.LAZADA, "canceled", "Canceled"),
    ],
)
def test_labels(channel, raw, label):
    assert status_label(channel, raw) == label


@pytest.mark.parametrize("raw", ["", "AWAITING_TELEPORT", None, 7, "X" * 500, "awaiting_shipment"])
def test_anything_else_has_no_label(raw):
    assert status_label(Channel.TIKTOK, raw) is None
