"""Lazada answers -> the adapters' dataclasses (facts: marketplaces-orders-auth.md §3.1-3.2, §3.6).

Lazada declares Java types (Long ids, BigDecimal money) but its samples send most scalars as strings:
ids are read as text, money as Decimal from a string or a number, and times in the three formats the
samples use (ISO 8601, "2014-10-15 19:12:15 +0800", epoch milliseconds). An order has no status of
its own: its items have, and ours is derived from them. Junk in a field gives None, never an exception.
"""

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from channels.adapters.base import Amounts, Buyer, OrderItem, PlatformOrder, Shop, Tokens
from channels.platforms.lazada import order_status

AMOUNT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")
EPOCH = re.compile(r"[0-9]{10}|[0-9]{13}")  # seconds (push times) or milliseconds (item times)
TRUE = ("true", "1")


def text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None or isinstance(value, dict | list) else str(value)


def amount(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    found = AMOUNT.fullmatch(str(value).strip())
    return Decimal(found.group()) if found else None


def flag(value: object) -> bool:
    return value is True or (isinstance(value, str | int) and not isinstance(value, bool) and str(value) in TRUE)


def moment(value: object) -> datetime | None:
    """An aware UTC datetime from ISO 8601, "YYYY-MM-DD HH:MM:SS +0800", or epoch s or ms."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        if EPOCH.fullmatch(value):
            found = datetime.fromtimestamp(int(value) / (1000 if len(value) == 13 else 1), tz=UTC)
        elif "T" in value:
            found = datetime.fromisoformat(value)
        else:
            found = datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z")
    except (ValueError, OverflowError, OSError):
        return None
    return found.astimezone(UTC) if found.tzinfo else None


def seconds(value: object) -> int:
    """A lifetime in seconds (samples send "10" and 259200 alike); junk counts as none."""
    found = amount(value)
    return int(found) if found is not None and 0 <= found < 10**10 else 0


def country_info(data: dict) -> list[dict]:
    """country_user_info (token/create) or country_user_info_list (token/refresh): §3.6 item 3."""
    info = data.get("country_user_info") or data.get("country_user_info_list") or []
    return [entry for entry in info if isinstance(entry, dict)] if isinstance(info, list) else []


def tokens(data: dict, now: datetime) -> Tokens:
    info = country_info(data)
    access_ttl, refresh_ttl = seconds(data.get("expires_in")), seconds(data.get("refresh_expires_in"))
    return Tokens(
        access_token=text(data.get("access_token")),
        access_expires_at=now + timedelta(seconds=access_ttl),
        refresh_token=text(data.get("refresh_token")),
        refresh_expires_at=now + timedelta(seconds=max(refresh_ttl, 0)),
        seller_id=text(info[0].get("seller_id")) if info else "",
        seller_name=text(data.get("account")),
    )


def countries(data: dict) -> list[str]:
    """The countries a token covers, upper case (a cross-border seller has several)."""
    found = [text(entry.get("country")).upper() for entry in country_info(data)]
    return [country for country in found if country] or [text(data.get("country")).upper()]


def shop(data: dict, country: str) -> Shop:
    return Shop(
        id=text(data.get("seller_id")), name=text(data.get("name")), region=country, code=text(data.get("short_code"))
    )


def item(data: dict) -> OrderItem:
    return OrderItem(
        id=text(data.get("order_item_id")),
        sku_id=text(data.get("sku_id")),
        seller_sku=text(data.get("sku")),
        product_name=text(data.get("name")),
        sale_price=amount(data.get("paid_price")),
        original_price=amount(data.get("item_price")),
        seller_discount=amount(data.get("voucher_seller")),
        platform_discount=amount(data.get("voucher_platform")),
    )


def minus(left: Decimal | None, right: Decimal | None) -> Decimal | None:
    return None if left is None or right is None else left - right


def amounts(data: dict, items: Sequence[dict]) -> Amounts:
    """Buyer-paid total = price - voucher + shipping_fee (get-order.md); currency only on the items."""
    currencies = {text(i.get("currency")) for i in items} - {""}
    sub_total = minus(amount(data.get("price")), amount(data.get("voucher")))
    shipping = amount(data.get("shipping_fee"))
    taxes = [amount(i.get("tax_amount")) for i in items]
    return Amounts(
        currency=currencies.pop() if len(currencies) == 1 else "",
        total=None if sub_total is None or shipping is None else sub_total + shipping,
        sub_total=sub_total,
        shipping_fee=shipping,
        seller_discount=amount(data.get("voucher_seller")),
        platform_discount=amount(data.get("voucher_platform")),
        tax=None if None in taxes else sum(taxes, Decimal(0)),
    )


def buyer(data: dict, items: Sequence[dict]) -> Buyer:
    address = data.get("address_shipping") if isinstance(data.get("address_shipping"), dict) else {}
    lines = [text(address.get(f"address{n}")) for n in range(1, 6)]
    name = " ".join(part for part in (text(address.get("first_name")), text(address.get("last_name"))) if part)
    return Buyer(
        name=name or text(data.get("customer_first_name")),
        phone=text(address.get("phone")),
        address=", ".join(part for part in [*lines, text(address.get("city"))] if part),
        postal_code=text(address.get("post_code")),
        region=text(address.get("country")),
        user_id=text(items[0].get("buyer_id")) if items else "",
    )


def order(data: dict, items: Sequence[dict]) -> PlatformOrder:
    """The order and its items (GetOrderItems / GetMultipleOrderItems); without items, its `statuses`."""
    items = [i for i in items if isinstance(i, dict)]
    listed = data.get("statuses") if isinstance(data.get("statuses"), list) else []
    statuses = [text(i.get("status")) for i in items] if items else [text(s) for s in listed]
    tracking = next((text(i.get("tracking_code")) for i in items if text(i.get("tracking_code"))), "")
    asking = [i for i in items if flag(i.get("need_cancel_confirm"))]
    return PlatformOrder(
        id=text(data.get("order_id")),
        raw_status=",".join(sorted(set(statuses))),
        status=order_status(statuses),
        created_at=moment(data.get("created_at")),
        updated_at=moment(data.get("updated_at")),
        amounts=amounts(data, items),
        buyer=buyer(data, items),
        items=tuple(item(i) for i in items),
        buyer_requested_cancel=bool(asking),
        buyer_cancel_reason=text(asking[0].get("reason")) if asking else "",
        tracking_number=tracking,
        raw={**data, "items": items},
    )
