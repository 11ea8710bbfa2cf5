"""What every platform adapter offers, and the plain values it answers with.

Adapters speak HTTP to a marketplace and turn its answers into these dataclasses; they know no
model and no database. Amounts are Decimal (platforms send strings), times are aware UTC datetimes
(platforms send Unix seconds), and `status` is our order status (None: needs review, or not paid yet)
next to the platform's `raw_status`.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable


class PlatformError(Exception):
    """The platform could not be reached or answered in a way we cannot use."""


class PlatformUnavailable(PlatformError):
    """Throttled, failing (5xx), timed out or dropped on every try the retry policy allowed."""


class MalformedAnswer(PlatformError):
    """An answer that is not the platform's JSON envelope."""


class PlatformRefused(PlatformError):
    """The platform understood the call and said no (a non-zero `code`). Never retried: asking again
    gets the same refusal, or worse, does a business action twice. `code` is the platform's: a number
    (TikTok), or a word (Shopee's `error`, such as "order.error_limit"; Lazada's `code`, such as
    "IllegalAccessToken")."""

    def __init__(self, code: int | str, message: str, request_id: str = ""):
        super().__init__(f"platform refused (code {code}): {message}")
        self.code = code
        self.message = message
        self.request_id = request_id


# TikTok: the access token has expired; refresh it and ask again.
TIKTOK_TOKEN_EXPIRED = 105002


@dataclass(frozen=True)
class Tokens:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    seller_id: str  # TikTok open_id
    seller_name: str = ""


@dataclass(frozen=True)
class Shop:
    id: str
    name: str
    region: str
    cipher: str = ""  # TikTok: names the shop on every shop-scoped call
    code: str = ""


@dataclass(frozen=True)
class Buyer:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postal_code: str = ""
    region: str = ""
    user_id: str = ""


@dataclass(frozen=True)
class OrderItem:
    id: str
    sku_id: str
    seller_sku: str
    product_name: str
    sale_price: Decimal | None
    original_price: Decimal | None
    seller_discount: Decimal | None
    platform_discount: Decimal | None


@dataclass(frozen=True)
class Amounts:
    currency: str
    total: Decimal | None
    sub_total: Decimal | None
    shipping_fee: Decimal | None
    seller_discount: Decimal | None
    platform_discount: Decimal | None
    tax: Decimal | None


@dataclass(frozen=True)
class PlatformOrder:
    id: str
    raw_status: str
    status: str | None  # ours (orders.OrderStatus value); None = needs review / not paid yet
    created_at: datetime | None
    updated_at: datetime | None
    amounts: Amounts
    buyer: Buyer
    items: tuple[OrderItem, ...] = ()
    buyer_requested_cancel: bool = False
    buyer_cancel_reason: str = ""  # the buyer's words, where the platform gives them (Shopee)
    tracking_number: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class PlatformCancelRequest:
    """A buyer's request to cancel an order, waiting for the seller or settled (TikTok: a BUYER_CANCEL
    cancellation; Shopee has none of its own: its order status IN_CANCEL is the request)."""

    id: str
    order_id: str
    raw_status: str
    status: str | None  # ours (orders.CancelRequestStatus value); None: unknown, left as it is
    reason: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class CancelResult:
    cancel_id: str
    cancel_status: str


@runtime_checkable
class ChannelAdapter(Protocol):
    """One marketplace. `shop` is the Shop a call acts for (its id or cipher, as the platform needs)."""

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        """Where to send the seller to approve us; the platform comes back to redirect_uri (or the URL
        set in the app's console) with ?code= (Shopee: &shop_id=) and our state."""
        ...

    def exchange_code(self, auth_code: str, *, shop_id: str = "") -> Tokens:
        """`shop_id`: Shopee's callback names the shop, and its token call needs it; others ignore it."""
        ...

    def refresh(self, refresh_token: str, *, shop_id: str = "") -> Tokens: ...

    def shops(self, access_token: str) -> list[Shop]: ...

    def changed_orders(
        self, access_token: str, shop: Shop, since: datetime, until: datetime, page_size: int = 50
    ) -> Iterator[list[PlatformOrder]]:
        """Pages of the orders updated in [since, until), following the platform's paging."""
        ...

    def orders(self, access_token: str, shop: Shop, ids: Sequence[str]) -> list[PlatformOrder]: ...

    def cancel_requests(
        self,
        access_token: str,
        shop: Shop,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        order_ids: Sequence[str] = (),
    ) -> Iterator[list[PlatformCancelRequest]]:
        """Pages of buyers' cancellation requests updated in [since, until), or those of these orders.
        A platform whose request is an order status (Shopee) yields nothing: the order sync reads it."""
        ...

    def cancel_order(
        self, access_token: str, shop: Shop, order_id: str, reason: str, idempotency_key: str
    ) -> CancelResult: ...

    def answer_cancel_request(
        self, access_token: str, shop: Shop, cancel_id: str, approve: bool, idempotency_key: str, reason: str = ""
    ) -> None:
        """Approve or reject a buyer's cancellation request (`reason` is needed to reject)."""
        ...
