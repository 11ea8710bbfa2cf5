"""Shopee Open Platform v2: request signing, push check, order statuses.

Facts and their sources: /work/shared/reference/marketplaces.md §2 (signing §2.2, enums §2.4, push
§2.6) and marketplaces-orders-auth.md §2.
"""

from channels.platforms.common import (
    CANCELLED,
    COMPLETED,
    MAX_STATUS_LENGTH,
    NEW,
    REQUEST_PENDING,
    SHIPPED,
    TO_PICKUP,
    hmac_sha256_hex,
    lookup,
    same_signature,
    to_bytes,
)


def string_to_sign(
    *,
    partner_id: int | str,
    path: str,
    timestamp: int | str,
    access_token: str = "",
    shop_id: int | str | None = None,
    merchant_id: int | str | None = None,
) -> str:
    """partner_id + path + timestamp, then access_token + shop_id (shop API) or + merchant_id (merchant
    API); a public API (no token) stops after the timestamp. Body and other params are not signed."""
    base = f"{partner_id}{path}{timestamp}"
    if not access_token:
        if shop_id is not None or merchant_id is not None:
            raise ValueError("a shop or merchant API call needs its access_token")
        return base
    if (shop_id is None) == (merchant_id is None):
        raise ValueError("sign with exactly one of shop_id and merchant_id")
    return f"{base}{access_token}{shop_id if shop_id is not None else merchant_id}"


def sign(
    *,
    partner_key: str,
    partner_id: int | str,
    path: str,
    timestamp: int | str,
    access_token: str = "",
    shop_id: int | str | None = None,
    merchant_id: int | str | None = None,
) -> str:
    """The `sign` query parameter: lowercase hex HMAC-SHA256 keyed with the partner key (as text)."""
    base = string_to_sign(
        partner_id=partner_id,
        path=path,
        timestamp=timestamp,
        access_token=access_token,
        shop_id=shop_id,
        merchant_id=merchant_id,
    )
    return hmac_sha256_hex(partner_key, base.encode())


def webhook_signature(*, partner_key: str, callback_url: str, body: bytes | str) -> str:
    """The push `Authorization` header: HMAC-SHA256(partner_key, callback_url + "|" + raw body), hex.
    callback_url is the full URL configured in the console, exactly as configured."""
    return hmac_sha256_hex(partner_key, callback_url.encode() + b"|" + to_bytes(body))


def verify_webhook(*, partner_key: str, callback_url: str, body: bytes | str, signature: object) -> bool:
    expected = webhook_signature(partner_key=partner_key, callback_url=callback_url, body=body)
    return same_signature(expected, signature)


# OrderStatus (get_order_list, get_order_detail, push code 3). Every documented value is here.
ORDER_STATUSES: dict[str, str | None] = {
    "UNPAID": None,  # not paid yet; see AWAITING_PAYMENT
    "PENDING": None,  # held by Shopee before it may be processed (only with request_order_status_pending)
    "INVOICE_PENDING": NEW,  # paid, waiting for the seller's invoice (BR) before shipping
    "READY_TO_SHIP": NEW,
    "PROCESSED": TO_PICKUP,  # shipment arranged, waiting for the courier
    "RETRY_SHIP": TO_PICKUP,  # the courier comes again
    "SHIPPED": SHIPPED,
    "TO_CONFIRM_RECEIVE": SHIPPED,  # delivered, buyer has not confirmed
    # A buyer asked to cancel; the order has not shipped and waits for the seller's answer
    # (handle_buyer_cancellation). Its request shows as pending through cancel_request_status.
    "IN_CANCEL": NEW,
    "CANCELLED": CANCELLED,
    "TO_RETURN": SHIPPED,  # delivered and under a return; the after-sales case carries it
    "COMPLETED": COMPLETED,
}
AWAITING_PAYMENT = frozenset({"UNPAID", "PENDING"})

# Shopee has no cancellation-request object: a pending request is the order status IN_CANCEL, and
# its end is the next order status (CANCELLED when accepted, the earlier one when refused).
CANCEL_REQUEST_STATUSES: dict[str, str] = {"IN_CANCEL": REQUEST_PENDING}


def our_status(raw: object) -> str | None:
    """Our order status for Shopee's, or None: needs review (unknown value) or not paid yet."""
    return lookup(ORDER_STATUSES, raw)


def cancel_request_status(raw: object) -> str | None:
    """ "pending" while the order is IN_CANCEL; None otherwise (no request open)."""
    return lookup(CANCEL_REQUEST_STATUSES, raw)


# Push codes (marketplaces.md §2.6): 3 is every order status change, a buyer's cancel request included
# (status IN_CANCEL, marketplaces-orders-auth.md §2.5 [U]).
ORDER_STATUS_PUSH = 3


def pushed_order(payload: object) -> tuple[str, str] | None:
    """(order_sn, raw status) of an order status push, or None (another code, or junk). The order
    number is `ordersn` in bodies captured from production; `order_sn` is read too."""
    if not isinstance(payload, dict) or payload.get("code") != ORDER_STATUS_PUSH:
        return None
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    number = data.get("ordersn") or data.get("order_sn")
    if not isinstance(number, str) or not number or len(number) > MAX_STATUS_LENGTH:
        return None
    status = data.get("status") if isinstance(data.get("status"), str) else ""
    return number, status[:MAX_STATUS_LENGTH]
