"""Lazada Open Platform: request signing, push check, order item and cancellation statuses.

Facts and their sources: /work/shared/reference/marketplaces.md §3 (signing §3.2, enums §3.4, push
§3.5, contradictions §3.8) and marketplaces-orders-auth.md §3.
"""

from collections.abc import Iterable, Mapping

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


def string_to_sign(*, path: str, params: Mapping[str, object], body: bytes | str | None = None) -> bytes:
    """API path + {name}{value} sorted by name (without sign, empty values and file parameters)
    + the raw body when one is sent."""
    signed = {key: value for key, value in params.items() if key != "sign" and value not in (None, "")}
    pairs = "".join(f"{key}{signed[key]}" for key in sorted(signed) if not isinstance(signed[key], bytes))
    return f"{path}{pairs}".encode() + to_bytes(body)


def sign(*, app_secret: str, path: str, params: Mapping[str, object], body: bytes | str | None = None) -> str:
    """The `sign` parameter (sign_method=sha256): UPPERCASE hex HMAC-SHA256 keyed with the app secret."""
    return hmac_sha256_hex(app_secret, string_to_sign(path=path, params=params, body=body)).upper()


def webhook_signature(*, app_key: str, app_secret: str, body: bytes | str) -> str:
    """The push `Authorization` header: HMAC-SHA256(app_secret, app_key + raw body). The Java sample
    prints lowercase hex, the API sign is uppercase: verify_webhook accepts either (§3.8 item 4)."""
    return hmac_sha256_hex(app_secret, app_key.encode() + to_bytes(body))


def verify_webhook(*, app_key: str, app_secret: str, body: bytes | str, signature: object) -> bool:
    return same_signature(webhook_signature(app_key=app_key, app_secret=app_secret, body=body), signature)


# Lazada has no order status: each order item has one (GetOrderItems `status`, GetOrders `statuses[]`,
# push msg_type 0 `order_status`). Every documented value is here; input is matched case-insensitively.
ITEM_STATUSES: dict[str, str | None] = {
    "unpaid": None,  # not paid yet; see AWAITING_PAYMENT
    "pending": NEW,
    "topack": NEW,  # the "to pack" list filter: pending items
    "packed": IN_PROCESS,
    "repacked": IN_PROCESS,
    "toship": IN_PROCESS,  # the "to ship" list filter: packed, not yet ready to ship
    "ready_to_ship": TO_PICKUP,
    "shipping": SHIPPED,
    "shipped": SHIPPED,
    "delivered": COMPLETED,  # Lazada's last forward status; nothing comes after it
    "returned": COMPLETED,  # delivered, then returned: the after-sales case carries it
    "canceled": CANCELLED,
    # The parcel never arrived; stock and money depend on what the courier does next: a person decides.
    "failed": None,
    "lost": None,
}
AWAITING_PAYMENT = frozenset({"unpaid"})

# reverse_status of a request_type CANCEL reverse order: API values and the reverse push's keys
# (two vocabularies, §3.8 item 2).
CANCEL_REQUEST_STATUSES: dict[str, str] = {
    "REQUEST_INITIATE": REQUEST_PENDING,
    "CANCEL_INIT": REQUEST_PENDING,
    "CANCEL_SUCCESS": REQUEST_AGREED,
    "CANCEL_REFUND_ISSUED": REQUEST_AGREED,
    "REQUEST_REJECT": REQUEST_REJECTED,
    "REQUEST_CANCEL": REQUEST_REJECTED,  # the buyer withdrew: the order stays, as when refused
}

# Least advanced first: an order is as far as its slowest live item.
PROGRESS = (NEW, IN_PROCESS, TO_PICKUP, SHIPPED, COMPLETED)


def our_status(raw: object) -> str | None:
    """Our status for one Lazada item status, or None: needs review (unknown value) or not paid yet."""
    return lookup(ITEM_STATUSES, raw, fold_case=True)


def order_status(item_statuses: Iterable[object]) -> str | None:
    """Our order status from its items' statuses: the least advanced of the items not cancelled,
    cancelled when all are, None (needs review) when any item is unknown or there is none."""
    ours = [our_status(raw) for raw in item_statuses]
    if not ours or None in ours:
        return None
    live = [status for status in ours if status != CANCELLED]
    return min(live, key=PROGRESS.index) if live else CANCELLED


def cancel_request_status(raw: object) -> str | None:
    return lookup(CANCEL_REQUEST_STATUSES, raw)
