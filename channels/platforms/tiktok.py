"""TikTok Shop Partner API 202309+: request signing, webhook check, order and cancellation statuses.

Facts and their sources: /work/shared/reference/marketplaces.md §1 (signing §1.2, enums §1.4,
webhooks §1.6, contradictions §1.9).
"""

from collections.abc import Mapping

from channels.platforms.common import (
    CANCELLED,
    COMPLETED,
    IN_PROCESS,
    NEW,
    REQUEST_AGREED,
    REQUEST_PENDING,
    REQUEST_REJECTED,
    SHIPPED,
    TO_PICKUP,
    hmac_sha256_hex,
    lookup,
    same_signature,
    to_bytes,
)

# Never signed. The official recipe drops sign and access_token; ECOMPHP also drops the header's name
# when a caller passes it as a query key.
UNSIGNED_PARAMS = frozenset({"sign", "access_token", "x-tts-access-token"})


def string_to_sign(
    *,
    app_secret: str,
    path: str,
    params: Mapping[str, object],
    body: bytes | str | None = None,
    multipart: bool = False,
) -> bytes:
    """secret + path + sorted {key}{value} + raw body (unless multipart) + secret."""
    pairs = "".join(f"{key}{params[key]}" for key in sorted(params) if key not in UNSIGNED_PARAMS)
    payload = b"" if multipart else to_bytes(body)
    return f"{app_secret}{path}{pairs}".encode() + payload + app_secret.encode()


def sign(
    *,
    app_secret: str,
    path: str,
    params: Mapping[str, object],
    body: bytes | str | None = None,
    multipart: bool = False,
) -> str:
    """The `sign` query parameter: lowercase hex HMAC-SHA256 keyed with the app secret."""
    message = string_to_sign(app_secret=app_secret, path=path, params=params, body=body, multipart=multipart)
    return hmac_sha256_hex(app_secret, message)


def webhook_signature(*, app_key: str, app_secret: str, body: bytes | str) -> str:
    """The `Authorization` header of a push: HMAC-SHA256(app_secret, app_key + raw body), lowercase hex.
    The official guide only says "verify the signature"; two independent clients agree on this form."""
    return hmac_sha256_hex(app_secret, app_key.encode() + to_bytes(body))


def verify_webhook(*, app_key: str, app_secret: str, body: bytes | str, signature: object) -> bool:
    return same_signature(webhook_signature(app_key=app_key, app_secret=app_secret, body=body), signature)


# Order `status` (Get Order List) and webhook 1 `order_status`. Every documented value is here.
ORDER_STATUSES: dict[str, str | None] = {
    "UNPAID": None,  # not paid yet: not an order to work on; see AWAITING_PAYMENT
    "ON_HOLD": NEW,  # paid, inside the buyer's free-cancel window; the seller may cancel already
    "AWAITING_SHIPMENT": NEW,
    "PARTIALLY_SHIPPING": IN_PROCESS,  # some packages left, others not yet
    "AWAITING_COLLECTION": TO_PICKUP,
    "IN_TRANSIT": SHIPPED,
    "DELIVERED": SHIPPED,  # TikTok completes it later (after the return window)
    "COMPLETED": COMPLETED,
    "CANCELLED": CANCELLED,
    "CANCEL": CANCELLED,  # webhook 1 spelling (reference §1.9 item 4)
}
AWAITING_PAYMENT = frozenset({"UNPAID"})

# Search Cancellations `cancel_status` and webhook 11.
CANCEL_REQUEST_STATUSES: dict[str, str] = {
    "CANCELLATION_REQUEST_PENDING": REQUEST_PENDING,
    "CANCELLATION_REQUEST_SUCCESS": REQUEST_AGREED,  # approved, refund on its way
    "CANCELLATION_REQUEST_COMPLETE": REQUEST_AGREED,
    # Both spellings are in the docs (§1.9 item 3). It means the order was not cancelled: the buyer
    # withdrew or the seller refused; the docs do not say which, and neither cancels the order.
    "CANCELLATION_REQUEST_CANCEL": REQUEST_REJECTED,
    "CANCELLATION_REQUEST_CANCELLED": REQUEST_REJECTED,
}


def our_status(raw: object) -> str | None:
    """Our order status for TikTok's, or None: needs review (unknown value) or not paid yet."""
    return lookup(ORDER_STATUSES, raw)


def cancel_request_status(raw: object) -> str | None:
    return lookup(CANCEL_REQUEST_STATUSES, raw)


# Seller-cancel reason *names* (marketplaces.md §1.4: names, not text, go in the call). Our reason list
# (PRODUCT.md) by its words; the reference confirms these two names. A reason without a confirmed name
# goes as written, and the platform's refusal (25001021) then reaches the seller in its own words.
CANCEL_REASON_NAMES = {
    "out of stock": "seller_cancel_reason_out_of_stock",
    "pricing error": "seller_cancel_reason_wrong_price",
    "wrong price": "seller_cancel_reason_wrong_price",
    "buyer requested cancellation": "seller_cancel_paid_reason_buyer_requested_cancellation",
}


def cancel_reason_name(reason: str) -> str:
    """TikTok's reason name for any spelling of ours ("Out of Stock", "out_of_stock"); a name as is."""
    words = " ".join(reason.replace("_", " ").lower().split())
    return CANCEL_REASON_NAMES.get(words, reason)
