"""What the platform modules share: HMAC-SHA256 hex, a constant-time signature check, a status lookup
that never raises, and our status values.

channels sits below orders (pyproject import layers), so our order statuses are named here by their
values; tests/channels/test_status_maps.py proves each one is a real orders.OrderStatus value.
"""

import hashlib
import hmac
from collections.abc import Mapping

# orders.OrderStatus values
NEW = "new"
IN_PROCESS = "in_process"
TO_PICKUP = "to_pickup"
SHIPPED = "shipped"
COMPLETED = "completed"
CANCELLED = "cancelled"

# orders.CancelRequestStatus values
REQUEST_PENDING = "pending"
REQUEST_AGREED = "agreed"
REQUEST_REJECTED = "rejected"

# Longer than any documented status; anything longer is junk, not a status.
MAX_STATUS_LENGTH = 64


def to_bytes(value: bytes | str | None) -> bytes:
    if value is None:
        return b""
    return value if isinstance(value, bytes) else value.encode()


def hmac_sha256_hex(key: str, message: bytes) -> str:
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def same_signature(expected: str, given: object) -> bool:
    """Constant-time, case-insensitive hex comparison; a missing or garbled header is a mismatch."""
    if not isinstance(given, str | bytes) or not given:
        return False
    given_bytes = given if isinstance(given, bytes) else given.encode("utf-8", "replace")
    return hmac.compare_digest(expected.lower().encode(), given_bytes.strip().lower())


def lookup(table: Mapping[str, str | None], raw: object, *, fold_case: bool = False) -> str | None:
    """table[raw], or None ("needs review") for anything unknown, empty, non-text or oversized."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_STATUS_LENGTH:
        return None
    key = raw.strip()
    return table.get(key.lower() if fold_case else key)
