"""One module per marketplace (tiktok, shopee, lazada): how it signs, and its statuses mapped to ours.

Signing takes each platform's own inputs, so it stays in the modules; what every sync needs the
same way is gathered here, keyed by channel.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from channels.models import Channel
from channels.platforms import lazada, shopee, tiktok


@dataclass(frozen=True)
class Platform:
    channel: str
    statuses: Mapping[str, str | None]  # every documented raw status -> ours (None: not ours to act on)
    awaiting_payment: frozenset[str]  # raw statuses of orders not paid yet: skip them, do not review them
    our_status: Callable[[object], str | None]  # never raises; None = needs review or not paid
    cancel_request_status: Callable[[object], str | None]


PLATFORMS: dict[str, Platform] = {
    Channel.TIKTOK: Platform(
        Channel.TIKTOK,
        tiktok.ORDER_STATUSES,
        tiktok.AWAITING_PAYMENT,
        tiktok.our_status,
        tiktok.cancel_request_status,
    ),
    Channel.SHOPEE: Platform(
        Channel.SHOPEE,
        shopee.ORDER_STATUSES,
        shopee.AWAITING_PAYMENT,
        shopee.our_status,
        shopee.cancel_request_status,
    ),
    Channel.LAZADA: Platform(
        Channel.LAZADA,
        lazada.ITEM_STATUSES,
        lazada.AWAITING_PAYMENT,
        lazada.our_status,
        lazada.cancel_request_status,
    ),
}
