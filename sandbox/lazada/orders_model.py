"""A Lazada order and its items as the sandbox keeps them, and as each API shows them: the time
formats differ by API as in Lazada's own samples (marketplaces-orders-auth.md §3.6 item 1): GetOrders
ISO 8601, GetOrder and GetOrderItems "2014-10-15 19:12:15 +0800", GetMultipleOrderItems epoch-ms text."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

# Item statuses (order-status-flow guide, docId=120167); the list filter also takes topack, toship,
# shipping (views over these) and all.
ITEM_STATUSES = (
    "unpaid",
    "pending",
    "packed",
    "repacked",
    "ready_to_ship",
    "shipped",
    "delivered",
    "canceled",
    "returned",
    "failed",
    "lost",
)
FILTERS = {"topack": ("pending",), "toship": ("packed", "repacked"), "shipping": ("shipped",)}
SELLER_CANCELLABLE = ("pending", "packed", "repacked", "ready_to_ship")  # "only Pending..Ready-To-Ship"
UTC_OFFSET = {"SG": 8, "MY": 8, "PH": 8, "TH": 7, "VN": 7, "ID": 7}
CURRENCY = {"SG": "SGD", "MY": "MYR", "PH": "PHP", "TH": "THB", "VN": "VND", "ID": "IDR"}
ITEM_MONEY = ("item_price", "paid_price", "voucher_amount", "voucher_seller", "voucher_platform", "tax_amount")


def money(value, default: str = "0") -> str:
    try:
        amount = Decimal(str(value if value is not None else default))
    except InvalidOperation:
        raise ValueError("amounts are decimal numbers") from None
    if not amount.is_finite() or not 0 <= amount < 10**12:
        raise ValueError("amounts are decimal numbers, 0 or more")
    return str(amount.quantize(Decimal("0.01")))


def local(seconds: int, country: str) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone(timedelta(hours=UTC_OFFSET[country])))


def iso(seconds: int, country: str) -> str:
    return local(seconds, country).isoformat()


def spaced(seconds: int, country: str) -> str:
    return local(seconds, country).strftime("%Y-%m-%d %H:%M:%S %z")


def new_order(store, seller: dict, data: dict) -> dict:
    now, order_id = store.now(), store.next_id()
    buyer = data.get("buyer") if isinstance(data.get("buyer"), dict) else {}
    first = str(buyer.get("first_name") or "Sandbox Buyer")
    address = {
        "first_name": first,
        "last_name": "",
        "phone": str(buyer.get("phone") or "60123456789"),
        "address1": str(buyer.get("address1") or "1 Jalan Sandbox"),
        "city": str(buyer.get("city") or "Kuala Lumpur"),
        "post_code": str(buyer.get("post_code") or "50000"),
        "country": str(buyer.get("country") or seller["country"]),
    }
    return {
        "order_id": order_id,
        "order_number": order_id,
        "created_at": now,
        "updated_at": now,
        "price": "0.00",
        "voucher": "0.00",
        "shipping_fee": money(data.get("shipping_fee"), "5.00"),
        "payment_method": str(data.get("payment_method") or "COD"),
        "customer_first_name": first,
        "customer_last_name": "",
        "address_shipping": address,
        "address_billing": dict(address),
        "buyer_note": str(data.get("buyer_note") or ""),
        "remarks": "",
        "warehouse_code": "dropshipping",
        "_seller_id": seller["seller_id"],
        "_country": seller["country"],
        "_buyer_id": int(buyer.get("buyer_id") or 1001),
        "_items": [],
    }


def new_item(store, seller: dict, order: dict, line: dict, status: str, package_id: int) -> dict:
    price = money(line.get("item_price"), "10.00")
    voucher_seller, voucher_platform = money(line.get("voucher_seller")), money(line.get("voucher_platform"))
    vouchers = Decimal(voucher_seller) + Decimal(voucher_platform)
    first = not order["_items"]
    return {
        "order_item_id": store.next_id(),
        "order_id": order["order_id"],
        "status": status,
        "name": str(line.get("name") or "Sandbox product"),
        "sku": str(line.get("sku") or "SKU-1"),
        "shop_sku": str(line.get("shop_sku") or f"{line.get('sku') or 'SKU-1'}-{seller['country']}"),
        "sku_id": int(line.get("sku_id") or 666),
        "product_id": int(line.get("product_id") or 555),
        "variation": str(line.get("variation") or ""),
        "package_id": package_id,
        "currency": CURRENCY[seller["country"]],
        "item_price": price,
        "paid_price": str(Decimal(price) - vouchers),
        "voucher_amount": str(vouchers),
        "voucher_seller": voucher_seller,
        "voucher_platform": voucher_platform,
        "tax_amount": "0.00",
        "shipping_amount": order["shipping_fee"] if first else "0.00",
        "shipping_type": "Dropshipping",
        "shipment_provider": "LEX MY",
        "tracking_code": "",
        "is_fbl": 0,
        "reason": "",
        "reason_detail": "",
        "return_status": "",
        "cancel_return_initiator": "",
        "need_cancel_confirm": False,
        "is_cancel_pending": False,
        "cancel_trigger_time": 0,
        "reverse_order_id": 0,
        "buyer_id": order["_buyer_id"],
        "created_at": order["created_at"],
        "updated_at": order["created_at"],
        "payment_time": 0 if status == "unpaid" else order["created_at"] * 1000,
        "_due": 0,
    }


def order_view(order: dict, times=iso) -> dict:
    country, items = order["_country"], order["_items"]
    view = {key: value for key, value in order.items() if not key.startswith("_")}
    view["created_at"], view["updated_at"] = times(order["created_at"], country), times(order["updated_at"], country)
    view["statuses"] = sorted({item["status"] for item in items})
    view["items_count"] = len(items)
    for name in ("voucher_seller", "voucher_platform"):
        view[name] = str(sum((Decimal(item[name]) for item in items), Decimal("0.00")))
    view["need_cancel_confirm"] = any(item["need_cancel_confirm"] for item in items)
    view["is_cancel_pending"] = any(item["is_cancel_pending"] for item in items)
    return view


def item_view(item: dict, country: str, times=spaced) -> dict:
    view = {key: value for key, value in item.items() if not key.startswith("_")}
    view["created_at"], view["updated_at"] = times(item["created_at"], country), times(item["updated_at"], country)
    for name in ("cancel_trigger_time", "payment_time", "reverse_order_id"):
        view[name] = str(item[name]) if item[name] else ""
    return view


def epoch_ms(seconds: int, country: str) -> str:
    return str(seconds * 1000)


def parse_time(text: str, country: str) -> int | None:
    """An ISO 8601 filter time (e.g. 2017-02-10T09:00:00+08:00); without an offset, the seller's local time."""
    text = text.strip()
    if "T" in text:
        text = text.replace(" ", "+")  # a "+" the caller did not escape arrives as a space
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone(timedelta(hours=UTC_OFFSET[country])))
    return int(moment.astimezone(UTC).timestamp())
