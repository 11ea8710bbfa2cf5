"""Lazada Open Platform over HTTP (facts: shared/reference/marketplaces.md §3 and
marketplaces-orders-auth.md §3).

Two hosts, given by the caller: the auth gateway (production https://auth.lazada.com/rest, one for all
countries) mints and refreshes tokens; the API host is per country (https://api.lazada.{site}/rest, the
store's country picking {site}; the sandbox's base has no placeholder). Every call is signed (app_key,
timestamp in ms, sign_method sha256, sign); seller calls add access_token. Lazada has no order status
and cancels per item: the whole-order cancel of the interface cancels every item still live.
"""

import json
import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx

from channels.adapters import lazada_parse as parse
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
from channels.adapters.http import DEFAULT_TIMEOUT, HttpAdapter
from channels.adapters.retry import RetryPolicy
from channels.platforms.common import REQUEST_AGREED, REQUEST_PENDING, REQUEST_REJECTED
from channels.platforms.lazada import cancel_request_status, sign

MAX_LIMIT = 100  # GetOrders
MAX_OFFSET = 5000  # GetOrders: past it, move the window's start and begin again at 0
MAX_IDS = 50  # GetMultipleOrderItems
# The API host per country (api-endpoint-urls.md, docId=108065).
SITES = {"SG": "sg", "MY": "com.my", "PH": "com.ph", "TH": "co.th", "VN": "vn", "ID": "co.id"}
NO_DECISION = "E0131"  # decide: "no decision for this reverse order"
TOKEN_EXPIRED = "IllegalAccessToken"  # an expired or revoked access token: refresh, or authorize again
THROTTLED = b'"ApiCallLimit"'
REASON_SPELLINGS = {"wrong price": "pricing error"}


class LazadaAdapter(HttpAdapter):
    def __init__(
        self,
        *,
        app_key: str,
        app_secret: str,
        api_base: str,
        auth_base: str,
        authorize_page: str = "",
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.app_key, self.app_secret = app_key, app_secret
        self.api_base, self.auth_base = api_base.rstrip("/"), auth_base.rstrip("/")
        self.authorize_page = authorize_page
        super().__init__(timeout=timeout, retry=retry, transport=transport, clock=clock)
        self.countries: dict[str, list[str]] = {}  # access token -> the countries it covers

    # The envelope

    def host(self, country: str) -> str:
        """The API host of a country: api_base with {site} filled in (or as it is, for the sandbox)."""
        if "{site}" not in self.api_base:
            return self.api_base
        site = SITES.get(country.upper())
        if site is None:
            raise PlatformError(f"Lazada has no API host for country {country!r}; it has {', '.join(SITES)}")
        return self.api_base.replace("{site}", site)

    def unwrap(self, response: httpx.Response, what: str) -> dict:
        """The answer of {code, request_id, data} (token calls: flat); a code other than "0" is a refusal."""
        try:
            envelope = response.json()
        except ValueError:
            raise MalformedAnswer(f"{what}: HTTP {response.status_code}, not JSON") from None
        if not isinstance(envelope, dict) or "code" not in envelope:
            raise MalformedAnswer(f"{what}: HTTP {response.status_code}, no platform envelope")
        if str(envelope["code"]) != "0":
            message, request_id = parse.text(envelope.get("message")), parse.text(envelope.get("request_id"))
            raise PlatformRefused(parse.text(envelope["code"]) or "-1", message, request_id)
        if response.status_code != 200:
            raise MalformedAnswer(f"{what}: HTTP {response.status_code} with code 0")
        return envelope

    def call(self, base: str, path: str, params: dict, access_token: str = "") -> dict:
        """A signed GET, retried by the policy and signed anew on each try (a fresh timestamp)."""

        def send() -> httpx.Response:
            query = {**params, "app_key": self.app_key, "sign_method": "sha256"}
            query["timestamp"] = str(int(self.clock() * 1000))
            if access_token:
                query["access_token"] = access_token
            query["sign"] = sign(app_secret=self.app_secret, path=path, params=query)
            response = self.http.get(base + path, params=query)
            if response.status_code == 200 and THROTTLED in response.content[:300]:
                # Throttling said in a 200 (where Lazada may say it): waited out like a 429.
                return httpx.Response(429, content=response.content, request=response.request)
            return response

        what = f"Lazada GET {path}"
        return self.unwrap(self.retry.call(send, what), what)

    def data(self, shop: Shop, path: str, params: dict, access_token: str):
        return self.call(self.host(shop.region), path, params, access_token).get("data")

    # Authorization

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        """The seller's authorize page; redirect_uri must be the callback URL registered for the app."""
        query = {"response_type": "code", "force_auth": "true", "redirect_uri": redirect_uri}
        return f"{self.authorize_page}?{urlencode({**query, 'client_id': self.app_key, 'state': state})}"

    def token_call(self, path: str, params: dict) -> Tokens:
        answer = self.call(self.auth_base, path, params)
        tokens = parse.tokens(answer, datetime.fromtimestamp(self.clock(), tz=UTC))
        self.countries[tokens.access_token] = parse.countries(answer)
        return tokens

    def exchange_code(self, auth_code: str, *, shop_id: str = "") -> Tokens:
        return self.token_call("/auth/token/create", {"code": auth_code})

    def refresh(self, refresh_token: str, *, shop_id: str = "") -> Tokens:
        """New access and refresh tokens; keep the new refresh token (the old one may be spent)."""
        return self.token_call("/auth/token/refresh", {"refresh_token": refresh_token})

    def shops(self, access_token: str) -> list[Shop]:
        """The seller, once per country its token covers. A token this adapter minted or refreshed names
        its countries; another is asked on every country's host (a refusal there means not that one)."""
        countries = self.countries.get(access_token)
        if countries is None:
            countries = list(SITES) if "{site}" in self.api_base else [""]
        found, refused = [], None
        for country in countries:
            try:
                data = self.call(self.host(country), "/seller/get", {}, access_token).get("data")
            except PlatformRefused as refusal:
                refused = refusal
                continue
            if isinstance(data, dict):
                found.append(parse.shop(data, country or parse.text(data.get("location")).upper()))
        if not found and refused is not None:
            raise refused
        return found

    # Orders

    def items_of(self, access_token: str, shop: Shop, ids: Sequence[str]) -> dict[str, list[dict]]:
        """The items of these orders, 50 orders a call (GetMultipleOrderItems)."""
        found: dict[str, list[dict]] = {}
        for start in range(0, len(ids), MAX_IDS):
            chunk = json.dumps([int(i) if i.isdigit() else i for i in ids[start : start + MAX_IDS]])
            data = self.data(shop, "/orders/items/get", {"order_ids": chunk}, access_token)
            for entry in data if isinstance(data, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("order_items"), list):
                    found[parse.text(entry.get("order_id"))] = entry["order_items"]
        return found

    def with_items(self, access_token: str, shop: Shop, listed: list[dict]) -> list[PlatformOrder]:
        listed = [o for o in listed if isinstance(o, dict)]
        items = self.items_of(access_token, shop, [parse.text(o.get("order_id")) for o in listed])
        return [parse.order(o, items.get(parse.text(o.get("order_id")), [])) for o in listed]

    def changed_orders(
        self, access_token: str, shop: Shop, since: datetime, until: datetime, page_size: int = 50
    ) -> Iterator[list[PlatformOrder]]:
        """Pages of the orders updated in [since, until), oldest change first, offset by offset. Lazada
        stops at offset 5000: the window's start then moves to the last order's time and the walk
        begins again at 0, skipping the orders of that second it has given already. An order that
        changes during the walk leaves the window and shifts later pages by one: offset paging cannot
        avoid it, and the sync's overlap (CHANNEL_SYNC_OVERLAP) brings such an order back next time."""
        if since.tzinfo is None or until.tzinfo is None:
            raise ValueError("since and until must be timezone-aware")
        limit, offset = max(1, min(page_size, MAX_LIMIT)), 0
        start, end = math.ceil(since.timestamp()), math.ceil(until.timestamp()) - 1  # Lazada: whole s, inclusive
        seen: dict[str, int] = {}  # since the start last moved: order id -> the second it changed
        edge: set[str] = set()  # orders given already whose second is the window's start
        while True:
            window = {"update_after": iso(start), "update_before": iso(end), "sort_by": "updated_at"}
            params = {**window, "sort_direction": "ASC", "offset": offset, "limit": limit}
            data = self.data(shop, "/orders/get", params, access_token)
            listed = data.get("orders") if isinstance(data, dict) and isinstance(data.get("orders"), list) else []
            page = [o for o in self.with_items(access_token, shop, listed) if o.id not in edge]
            seen |= {o.id: int(o.updated_at.timestamp()) for o in page if o.updated_at}
            yield page
            total = parse.amount(data.get("countTotal")) if isinstance(data, dict) else None
            offset += len(listed)
            if len(listed) < limit or (total is not None and offset >= total):
                return
            if offset > MAX_OFFSET:
                last = max(seen.values(), default=start)
                if last <= start:
                    raise PlatformError(f"Lazada: over {MAX_OFFSET} orders changed in one second; cannot page on")
                start, offset = last, 0
                edge = {order_id for order_id, second in seen.items() if second == last}
                seen = dict.fromkeys(edge, last)

    def cancel_requests(
        self,
        access_token: str,
        shop: Shop,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        order_ids: Sequence[str] = (),
    ) -> Iterator[list[PlatformCancelRequest]]:
        """Lazada's buyers' cancellations are reverse orders the product does not list in Processing
        Orders > Cancel Order (PRODUCT.md: Shopee, TikTok Shop, Tokopedia). Nothing to list."""
        return iter(())

    def orders(self, access_token: str, shop: Shop, ids: Sequence[str]) -> list[PlatformOrder]:
        """The orders with these ids (GetOrder each, their items 50 orders a call)."""
        listed = [self.data(shop, "/order/get", {"order_id": order_id}, access_token) for order_id in ids]
        return self.with_items(access_token, shop, [o for o in listed if isinstance(o, dict)])

    # Cancellations

    def cancel_order(
        self, access_token: str, shop: Shop, order_id: str, reason: str, idempotency_key: str
    ) -> CancelResult:
        """The seller cancels every item not cancelled yet. `reason`: a reason_id, or a reason name as
        /order/reverse/cancel/validate lists them for the order's country ("Out of Stock"). Lazada takes
        no idempotency key: an order whose items are all cancelled already is answered without a call."""

        def run() -> CancelResult:
            items = self.data(shop, "/order/items/get", {"order_id": order_id}, access_token)
            items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
            live = [parse.text(i.get("order_item_id")) for i in items if parse.text(i.get("status")) != "canceled"]
            if live:
                lines = {"order_id": order_id, "order_item_id_list": json.dumps([int(i) for i in live if i.isdigit()])}
                reason_id = self.reason_id(access_token, shop, lines, reason)
                self.data(shop, "/order/reverse/cancel/create", {**lines, "reason_id": reason_id}, access_token)
                items = self.data(shop, "/order/items/get", {"order_id": order_id}, access_token)
                items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
            reverse = next((parse.text(i.get("reverse_order_id")) for i in items if i.get("reverse_order_id")), "")
            return CancelResult(cancel_id=reverse or order_id, cancel_status="canceled")

        return self.once("cancel " + idempotency_key, run)

    def reason_id(self, access_token: str, shop: Shop, lines: dict, reason: str) -> str:
        if reason.strip().isdigit():
            return reason.strip()
        data = self.data(shop, "/order/reverse/cancel/validate", lines, access_token)
        options = data.get("reason_options") if isinstance(data, dict) else None
        options = [o for o in options if isinstance(o, dict)] if isinstance(options, list) else []
        wanted = reason_words(reason)
        for option in options:
            if reason_words(parse.text(option.get("reason_name"))) == wanted:
                return parse.text(option.get("reason_id"))
        offered = ", ".join(parse.text(o.get("reason_name")) for o in options) or "none"
        raise PlatformRefused("E0104", f"Lazada has no cancel reason {reason!r} for this order; it offers: {offered}")

    def answer_cancel_request(
        self, access_token: str, shop: Shop, cancel_id: str, approve: bool, idempotency_key: str, reason: str = ""
    ) -> None:
        """Agree to or refuse a buyer's cancellation (cancel_id: the items' reverse_order_id). Refusing
        takes an optional numeric reason_code; where its values come from is not documented. When
        Lazada says no decision is pending (E0131), the reverse order shows whether this answer was
        given already (a retry after a lost reply): then it is done, else the refusal stands."""
        params = {"reverse_order_id": cancel_id, "agree_cancel": "true" if approve else "false"}
        if not approve and reason.strip().isdigit():
            params["reason_code"] = reason.strip()

        def run() -> None:
            try:
                self.data(shop, "/order/reverse/cancel/seller/decide", params, access_token)
            except PlatformRefused as refused:
                if refused.code != NO_DECISION or not self.answered_already(access_token, shop, cancel_id, approve):
                    raise

        self.once(f"{'agree' if approve else 'refuse'} {idempotency_key}", run)

    def answered_already(self, access_token: str, shop: Shop, cancel_id: str, approve: bool) -> bool:
        data = self.data(shop, "/order/reverse/return/detail/list", {"reverse_order_id": cancel_id}, access_token)
        lines = data.get("reverseOrderLineDTOList") if isinstance(data, dict) else None
        statuses = {parse.text(line.get("reverse_status")) for line in lines or [] if isinstance(line, dict)}
        if not statuses:
            return False
        ours = {cancel_request_status(status) for status in statuses}
        return ours <= ({REQUEST_AGREED, REQUEST_PENDING} if approve else {REQUEST_REJECTED})


def reason_words(reason: str) -> str:
    """A cancel reason in any spelling, as plain words: "Out of Stock", "OUT_OF_STOCK" and TikTok's
    "seller_out_of_stock" are all "out of stock"; "Wrong Price" (the validate doc's name) is "pricing error"."""
    words = re.sub(r"[^a-z0-9]+", " ", reason.lower()).strip().removeprefix("seller ")
    return REASON_SPELLINGS.get(words, words)


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
