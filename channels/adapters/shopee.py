"""Shopee Open Platform v2 over HTTP (facts: shared/reference/marketplaces.md §2 and
marketplaces-orders-auth.md §2).

One host, given by the caller (production: https://partner.shopeemobile.com or a regional one, from
configuration; tests: the sandbox). Every call carries partner_id, timestamp and sign in the query; a
shop call adds access_token and shop_id, and its sign covers both, so every shop call needs the
Shop's id (Shop.id). GET calls put their business parameters in the query, POST calls in a JSON body.
Answers are {request_id, error, message, response}; the token calls answer flat. A non-empty `error`
is a refusal (PlatformRefused with Shopee's word as its code), never retried.
"""

import json
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx

from channels.adapters import shopee_parse as parse
from channels.adapters.base import (
    CancelResult,
    MalformedAnswer,
    PlatformCancelRequest,
    PlatformError,
    PlatformOrder,
    PlatformRefused,
    Shop,
    Tokens,
)
from channels.adapters.http import DEFAULT_TIMEOUT, REMEMBERED_ANSWERS, HttpAdapter
from channels.adapters.retry import RetryPolicy
from channels.platforms.shopee import sign

MAX_PAGE_SIZE = 100  # get_order_list
MAX_IDS = 50  # get_order_detail order_sn_list
MAX_WINDOW = 15 * 86400  # get_order_list: time_to - time_from at most 15 days
AUTH_PATH = "/api/v2/shop/auth_partner"
DETAIL_FIELDS = ",".join(
    (
        "buyer_user_id",
        "buyer_username",
        "recipient_address",
        "estimated_shipping_fee",
        "actual_shipping_fee",
        "item_list",
        "pay_time",
        "total_amount",
        "cancel_by",
        "cancel_reason",
        "buyer_cancel_reason",
    )
)
# cancel_order reasons (marketplaces.md §2.5; the data definition lists only two of them, §2.9 item 2).
CANCEL_REASONS = ("OUT_OF_STOCK", "CUSTOMER_REQUEST", "UNDELIVERABLE_AREA", "COD_NOT_SUPPORTED")
REASON_SPELLINGS = {
    "SELLER_OUT_OF_STOCK": "OUT_OF_STOCK",  # TikTok's name for the same reason
    "BUYER_REQUEST": "CUSTOMER_REQUEST",
    "BUYER_REQUEST_TO_CANCEL": "CUSTOMER_REQUEST",  # the display string on cancelled orders
    "BUYER_REQUESTS_CANCELLATION": "CUSTOMER_REQUEST",  # our reason list (PRODUCT.md, order cancellation)
    "NOT_SUPPORT_COD": "COD_NOT_SUPPORTED",
}


def cancel_reason(reason: str) -> str:
    """Shopee's reason name for any spelling of it ("Out of Stock", "out_of_stock" -> OUT_OF_STOCK)."""
    word = re.sub(r"[^A-Z0-9]+", "_", reason.upper()).strip("_")
    return REASON_SPELLINGS.get(word, word)


def with_state(redirect_uri: str, state: str) -> str:
    """The redirect URL carrying our state: Shopee has no state parameter, but keeps the redirect's
    query and adds code and shop_id to it."""
    parts = urlsplit(redirect_uri)
    query = f"{parts.query}&{urlencode({'state': state})}" if parts.query else urlencode({"state": state})
    return urlunsplit(parts._replace(query=query))


def shop_number(shop_id: str) -> int:
    """Shopee's shop_id (an int in every body); a store's external_id is its text."""
    if not (isinstance(shop_id, str | int) and str(shop_id).isascii() and str(shop_id).isdigit()):
        raise ValueError(f"a Shopee shop_id is a whole number, not {shop_id!r}")
    return int(shop_id)


def answered(order: PlatformOrder, approve: bool) -> bool:
    """The order shows this answer to its buyer's cancel request given already."""
    if approve:
        return order.raw_status == "CANCELLED"
    return bool(order.buyer_cancel_reason) and order.raw_status not in ("IN_CANCEL", "CANCELLED")


class ShopeeAdapter(HttpAdapter):
    # once(): Shopee takes no idempotency key; a repeat from another process is recognised by the
    # order's state instead (cancel_order, answer_cancel_request).

    def __init__(
        self,
        *,
        partner_id: int | str,
        partner_key: str,
        api_base: str,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.partner_id = int(partner_id)
        self.partner_key = partner_key
        self.api_base = api_base.rstrip("/")
        super().__init__(timeout=timeout, retry=retry, transport=transport, clock=clock)
        # get_shop_info is a shop call: shops(access_token) signs with the shop its token was minted for
        self.shop_of_token: OrderedDict[str, str] = OrderedDict()

    # The envelope

    def unwrap(self, response: httpx.Response, what: str, *, flat: bool = False) -> dict:
        """`response` of {request_id, error, message, response} (the whole answer when flat); a
        non-empty error is a refusal."""
        try:
            envelope = response.json()
        except ValueError:
            raise MalformedAnswer(f"{what}: HTTP {response.status_code}, not JSON") from None
        if not isinstance(envelope, dict) or not {"error", "response", "request_id"} & envelope.keys():
            raise MalformedAnswer(f"{what}: HTTP {response.status_code}, no platform envelope")
        error = envelope.get("error")
        if error:
            message, request_id = str(envelope.get("message") or ""), str(envelope.get("request_id") or "")
            raise PlatformRefused(str(error), message, request_id)
        if response.status_code != 200:
            raise MalformedAnswer(f"{what}: HTTP {response.status_code} without an error")
        if flat:
            return envelope
        data = envelope.get("response")
        return data if isinstance(data, dict) else {}

    def call(
        self,
        method: str,
        path: str,
        *,
        access_token: str = "",
        shop_id: str = "",
        query: dict | None = None,
        body: dict | None = None,
        flat: bool = False,
    ) -> dict:
        """A signed call, retried by the policy and signed anew on each try (the timestamp lives 5
        minutes). Without access_token it is a public call."""
        raw = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        shop = shop_number(shop_id) if access_token else None

        def send() -> httpx.Response:
            timestamp = int(self.clock())
            params = {**(query or {}), "partner_id": self.partner_id, "timestamp": timestamp}
            if access_token:
                params |= {"access_token": access_token, "shop_id": shop}
            params["sign"] = sign(
                partner_key=self.partner_key,
                partner_id=self.partner_id,
                path=path,
                timestamp=timestamp,
                access_token=access_token,
                shop_id=shop,
            )
            return self.http.request(method, self.api_base + path, params=params, content=raw, headers=headers)

        what = f"Shopee {method} {path}"
        return self.unwrap(self.retry.call(send, what), what, flat=flat)

    # Authorization

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        """The signed auth_partner link (dead 5 minutes after it is made: build it when the seller
        clicks). The seller comes back to redirect_uri?state=...&code=...&shop_id=..."""
        timestamp = int(self.clock())
        signature = sign(partner_key=self.partner_key, partner_id=self.partner_id, path=AUTH_PATH, timestamp=timestamp)
        query = {"partner_id": self.partner_id, "timestamp": timestamp, "sign": signature}
        return f"{self.api_base}{AUTH_PATH}?{urlencode({**query, 'redirect': with_state(redirect_uri, state)})}"

    def token_call(self, path: str, grant: dict, shop_id: str) -> Tokens:
        body = {**grant, "partner_id": self.partner_id, "shop_id": shop_number(shop_id)}
        data = self.call("POST", path, body=body, flat=True)
        tokens = parse.tokens(data, datetime.fromtimestamp(self.clock(), tz=UTC), str(shop_id))
        self.shop_of_token[tokens.access_token] = tokens.seller_id
        if len(self.shop_of_token) > REMEMBERED_ANSWERS:
            self.shop_of_token.popitem(last=False)
        return tokens

    def exchange_code(self, auth_code: str, *, shop_id: str = "") -> Tokens:
        """The callback's code and shop_id -> tokens; Tokens.seller_id is the shop_id."""
        return self.token_call("/api/v2/auth/token/get", {"code": auth_code}, shop_id)

    def refresh(self, refresh_token: str, *, shop_id: str = "") -> Tokens:
        """New access and refresh tokens; the old refresh token is spent (usable once)."""
        return self.token_call("/api/v2/auth/access_token/get", {"refresh_token": refresh_token}, shop_id)

    def shops(self, access_token: str, *, shop_id: str = "") -> list[Shop]:
        """The token's shop (get_shop_info). The call is signed with the shop_id, so it is given or
        this adapter minted the token."""
        shop_id = shop_id or self.shop_of_token.get(access_token, "")
        if not shop_id:
            raise PlatformError("Shopee signs get_shop_info with the shop_id: pass shop_id")
        data = self.call("GET", "/api/v2/shop/get_shop_info", access_token=access_token, shop_id=shop_id, flat=True)
        # documented flat; a `response` wrapper is read too
        info = data["response"] if isinstance(data.get("response"), dict) else data
        return [parse.shop(info, str(shop_id))]

    # Orders

    def changed_orders(
        self, access_token: str, shop: Shop, since: datetime, until: datetime, page_size: int = 50
    ) -> Iterator[list[PlatformOrder]]:
        """Pages of the orders updated in [since, until): the span cut into windows of at most 15 days,
        each walked by cursor (Shopee's time_to is inclusive, so a window ends a second before the
        next one starts). One page per get_order_list page, its details asked 50 at a time."""
        if since.tzinfo is None or until.tzinfo is None:
            raise ValueError("since and until must be timezone-aware")
        start, stop = int(since.timestamp()), int(until.timestamp())
        size = max(1, min(page_size, MAX_PAGE_SIZE))
        while start < stop:
            end = min(start + MAX_WINDOW, stop)
            yield from self.window(access_token, shop, start, end - 1, size)
            start = end

    def window(self, access_token: str, shop: Shop, time_from: int, time_to: int, size: int):
        query = {"time_range_field": "update_time", "time_from": time_from, "time_to": time_to, "page_size": size}
        cursor = ""
        while True:
            data = self.call(
                "GET",
                "/api/v2/order/get_order_list",
                access_token=access_token,
                shop_id=shop.id,
                query={**query, "cursor": cursor},
            )
            listed = [row.get("order_sn") for row in data.get("order_list") or [] if isinstance(row, dict)]
            yield self.orders(access_token, shop, [sn for sn in listed if isinstance(sn, str) and sn])
            next_cursor = data.get("next_cursor")
            if not data.get("more") or not isinstance(next_cursor, str) or not next_cursor or next_cursor == cursor:
                return
            cursor = next_cursor

    def cancel_requests(
        self,
        access_token: str,
        shop: Shop,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        order_ids: Sequence[str] = (),
    ) -> Iterator[list[PlatformCancelRequest]]:
        """Shopee has no request objects: an order in IN_CANCEL is the request, and the order sync
        reads it from the order's status. Nothing to list."""
        return iter(())

    def orders(self, access_token: str, shop: Shop, ids: Sequence[str]) -> list[PlatformOrder]:
        """The orders with these order_sn, asked 50 at a time (the platform's limit)."""
        found = []
        for start in range(0, len(ids), MAX_IDS):
            query = {"order_sn_list": ",".join(ids[start : start + MAX_IDS]), "response_optional_fields": DETAIL_FIELDS}
            data = self.call(
                "GET", "/api/v2/order/get_order_detail", access_token=access_token, shop_id=shop.id, query=query
            )
            found += [parse.order(o) for o in data.get("order_list") or [] if isinstance(o, dict)]
        return found

    def one(self, access_token: str, shop: Shop, order_sn: str) -> PlatformOrder | None:
        return next(iter(self.orders(access_token, shop, [order_sn])), None)

    # Cancellations

    def cancel_order(
        self, access_token: str, shop: Shop, order_id: str, reason: str, idempotency_key: str
    ) -> CancelResult:
        """The seller cancels the whole order before it ships. `reason` is one of Shopee's names (any
        spelling); OUT_OF_STOCK names every item of the order, read from its detail first. Refused as
        no longer cancellable while the order already is cancelled by the seller: that is the answer to
        an earlier try of this cancel, and it is taken as success."""
        reason = cancel_reason(reason)
        body: dict = {"order_sn": order_id, "cancel_reason": reason}

        def run() -> CancelResult:
            if reason == "OUT_OF_STOCK":
                order = self.one(access_token, shop, order_id)
                lines = order.raw.get("item_list") if order else None
                body["item_list"] = [
                    {"item_id": line.get("item_id"), "model_id": line.get("model_id")}
                    for line in (lines if isinstance(lines, list) else [])
                    if isinstance(line, dict)
                ]
            path = "/api/v2/order/cancel_order"
            try:
                self.call("POST", path, access_token=access_token, shop_id=shop.id, body=body)
            except PlatformRefused as refused:
                order = self.one(access_token, shop, order_id) if refused.code == "order.error_limit" else None
                if order is None or order.raw_status != "CANCELLED" or order.raw.get("cancel_by") != "seller":
                    raise
            return CancelResult(order_id, "CANCELLED")

        return self.once("cancel " + idempotency_key, run)

    def answer_cancel_request(
        self, access_token: str, shop: Shop, cancel_id: str, approve: bool, idempotency_key: str, reason: str = ""
    ) -> None:
        """Accept or reject a buyer's cancellation (handle_buyer_cancellation). Shopee has no request
        object: cancel_id is the order_sn, and the request is pending while the order is IN_CANCEL.
        Shopee takes no reason for a rejection. Refused because the order has left IN_CANCEL the way
        this answer moves it (an earlier try went through) counts as done: cancelled for an accept;
        for a reject, still open with the buyer's request on record."""
        operation = "ACCEPT" if approve else "REJECT"

        def run() -> None:
            path = "/api/v2/order/handle_buyer_cancellation"
            body = {"order_sn": cancel_id, "operation": operation}
            try:
                self.call("POST", path, access_token=access_token, shop_id=shop.id, body=body)
            except PlatformRefused as refused:
                if refused.code not in ("order.order_status_invalid", "order.cancel_order_invalid_status"):
                    raise
                order = self.one(access_token, shop, cancel_id)
                if order is None or not answered(order, approve):
                    raise

        self.once(f"{operation} {idempotency_key}", run)
