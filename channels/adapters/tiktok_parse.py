"""TikTok Shop answers -> the adapters' dataclasses. Ids are strings, money is Decimal parsed from the
platform's strings, times are Unix seconds (token expiries too: absolute, despite the `_expire_in`
name; reference §1.9). Junk in a field gives None (an order to review), never an exception."""

import re
from datetime import UTC, datetime
from decimal import Decimal

from channels.adapters.base import Amounts, Buyer, OrderItem, PlatformCancelRequest, PlatformOrder, Shop, Tokens
from channels.platforms.tiktok import cancel_request_status, our_status

# Plain decimals only: no exponent, NaN or Infinity, and no more digits than any price has.
AMOUNT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")


def amount(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    found = AMOUNT.fullmatch(str(value).strip())
    return Decimal(found.group()) if found else None


def moment(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**40:
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def tokens(data: dict) -> Tokens:
    return Tokens(
        access_token=text(data.get("access_token")),
        access_expires_at=moment(data.get("access_token_expire_in")) or datetime.fromtimestamp(0, tz=UTC),
        refresh_token=text(data.get("refresh_token")),
        refresh_expires_at=moment(data.get("refresh_token_expire_in")) or datetime.fromtimestamp(0, tz=UTC),
        seller_id=text(data.get("open_id")),
        seller_name=text(data.get("seller_name")),
    )


def shop(data: dict) -> Shop:
    return Shop(
        id=text(data.get("id")),
        name=text(data.get("name")),
        region=text(data.get("region")),
        cipher=text(data.get("cipher")),
        code=text(data.get("code")),
    )


def item(data: dict) -> OrderItem:
    return OrderItem(
        id=text(data.get("id")),
        sku_id=text(data.get("sku_id")),
        seller_sku=text(data.get("seller_sku")),
        product_name=text(data.get("product_name")),
        sale_price=amount(data.get("sale_price")),
        original_price=amount(data.get("original_price")),
        seller_discount=amount(data.get("seller_discount")),
        platform_discount=amount(data.get("platform_discount")),
    )


def amounts(payment: dict) -> Amounts:
    return Amounts(
        currency=text(payment.get("currency")),
        total=amount(payment.get("total_amount")),
        sub_total=amount(payment.get("sub_total")),
        shipping_fee=amount(payment.get("shipping_fee")),
        seller_discount=amount(payment.get("seller_discount")),
        platform_discount=amount(payment.get("platform_discount")),
        tax=amount(payment.get("tax")),
    )


def buyer(data: dict) -> Buyer:
    address = data.get("recipient_address") if isinstance(data.get("recipient_address"), dict) else {}
    return Buyer(
        name=text(address.get("name")),
        phone=text(address.get("phone_number")),
        email=text(data.get("buyer_email")),
        address=text(address.get("full_address")),
        postal_code=text(address.get("postal_code")),
        region=text(address.get("region_code")),
        user_id=text(data.get("user_id")),
    )


def order(data: dict) -> PlatformOrder:
    raw_status = text(data.get("status"))
    lines = data.get("line_items") if isinstance(data.get("line_items"), list) else []
    return PlatformOrder(
        id=text(data.get("id")),
        raw_status=raw_status,
        status=our_status(raw_status),
        created_at=moment(data.get("create_time")),
        updated_at=moment(data.get("update_time")),
        amounts=amounts(data.get("payment") if isinstance(data.get("payment"), dict) else {}),
        buyer=buyer(data),
        items=tuple(item(line) for line in lines if isinstance(line, dict)),
        buyer_requested_cancel=data.get("is_buyer_request_cancel") is True,
        tracking_number=text(data.get("tracking_number")),
        raw=data,
    )


def cancellation(data: dict) -> PlatformCancelRequest:
    raw_status = text(data.get("cancel_status"))
    return PlatformCancelRequest(
        id=text(data.get("cancel_id")),
        order_id=text(data.get("order_id")),
        raw_status=raw_status,
        status=cancel_request_status(raw_status),
        reason=text(data.get("cancel_reason_text") or data.get("cancel_reason")),
        created_at=moment(data.get("create_time")),
        updated_at=moment(data.get("update_time")),
    )
