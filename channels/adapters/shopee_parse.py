"""Shopee Open Platform v2 answers -> the adapters' dataclasses. Shopee types ids as ints, money as
floats in major units and times as Unix seconds; expire_in is a duration in seconds (reference
marketplaces-orders-auth.md §2.1-2.2). Junk in a field gives None (an order to review), never an
exception."""

import math
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from channels.adapters.base import Amounts, Buyer, OrderItem, PlatformOrder, Shop, Tokens
from channels.platforms.shopee import our_status

AMOUNT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")
REFRESH_LIFETIME = timedelta(days=30)  # not in the token answer; documented (marketplaces.md §2.1)
MAX_UNITS = 1000  # one OrderItem per unit, as TikTok and Lazada give them; more is junk


def amount(value: object) -> Decimal | None:
    """A float's shortest decimal spelling (12.5 -> 12.5, not 12.4999...), to 6 places at most (float
    sums leave noise: 0.1 + 0.2 -> 0.3); also ints and strings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = repr(round(value, 6))
    if not isinstance(value, str | int):
        return None
    found = AMOUNT.fullmatch(str(value).strip())
    return Decimal(found.group()) if found else None


def moment(value: object) -> datetime | None:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**40:
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def whole(value: object) -> int:
    """A count or id as Shopee types it (int); anything else is 0."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value if isinstance(value, int) else 0


def tokens(data: dict, now: datetime, shop_id: str) -> Tokens:
    """token/get and access_token/get answer expire_in in seconds from now; the refresh token's
    lifetime is not in the answer (30 days, documented) and restarts with each new one."""
    expire_in = whole(data.get("expire_in"))
    return Tokens(
        access_token=text(data.get("access_token")),
        access_expires_at=now + timedelta(seconds=expire_in),
        refresh_token=text(data.get("refresh_token")),
        refresh_expires_at=now + REFRESH_LIFETIME,
        seller_id=text(data.get("shop_id")) or shop_id,
    )


def shop(data: dict, shop_id: str) -> Shop:
    """get_shop_info; it does not repeat the shop_id it was asked for."""
    return Shop(id=shop_id, name=text(data.get("shop_name")), region=text(data.get("region")))


def items(data: dict) -> list[OrderItem]:
    """item_list rows, one OrderItem per unit purchased (ids stay the same on every fetch)."""
    found = []
    for line in data.get("item_list") if isinstance(data.get("item_list"), list) else []:
        if not isinstance(line, dict):
            continue
        model_id, item_id = whole(line.get("model_id")), whole(line.get("item_id"))
        name = text(line.get("item_name"))
        model_name = text(line.get("model_name"))
        units = min(max(whole(line.get("model_quantity_purchased")), 1), MAX_UNITS)
        line_id = f"{whole(line.get('order_item_id')) or item_id}-{model_id}"
        for unit in range(units):
            found.append(
                OrderItem(
                    id=f"{line_id}-{unit + 1}",
                    sku_id=str(model_id or item_id),
                    seller_sku=text(line.get("model_sku")) or text(line.get("item_sku")),
                    product_name=f"{name} ({model_name})" if model_name else name,
                    sale_price=amount(line.get("model_discounted_price")),
                    original_price=amount(line.get("model_original_price")),
                    seller_discount=None,  # per-item discounts are in get_escrow_detail, not the order
                    platform_discount=None,
                )
            )
    return found


def amounts(data: dict, lines: list[OrderItem]) -> Amounts:
    prices = [line.sale_price for line in lines]
    shipping = data.get("actual_shipping_fee") or data.get("estimated_shipping_fee")
    return Amounts(
        currency=text(data.get("currency")),
        total=amount(data.get("total_amount")),
        sub_total=sum(prices, Decimal(0)) if prices and None not in prices else None,
        shipping_fee=amount(shipping),
        seller_discount=None,
        platform_discount=None,
        tax=None,
    )


def buyer(data: dict) -> Buyer:
    address = data.get("recipient_address") if isinstance(data.get("recipient_address"), dict) else {}
    return Buyer(
        name=text(address.get("name")) or text(data.get("buyer_username")),
        phone=text(address.get("phone")),
        address=text(address.get("full_address")),
        postal_code=text(address.get("zipcode")),
        region=text(address.get("region")) or text(data.get("region")),
        user_id=text(data.get("buyer_user_id")),
    )


def order(data: dict) -> PlatformOrder:
    raw_status = text(data.get("order_status"))
    lines = items(data)
    return PlatformOrder(
        id=text(data.get("order_sn")),
        raw_status=raw_status,
        status=our_status(raw_status),
        created_at=moment(data.get("create_time")),
        updated_at=moment(data.get("update_time")),
        amounts=amounts(data, lines),
        buyer=buyer(data),
        items=tuple(lines),
        # Shopee has no request object: the order waits IN_CANCEL until the seller answers
        buyer_requested_cancel=raw_status.strip() == "IN_CANCEL",
        buyer_cancel_reason=text(data.get("buyer_cancel_reason")),
        raw=data,
    )
