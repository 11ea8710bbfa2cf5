"""TikTok Shop Partner API 202309 over HTTP (facts: shared/reference/marketplaces*.md §1).

Two hosts, both given by the caller (production: https://auth.tiktok-shops.com and
https://open-api.tiktokglobalshop.com, from configuration; tests: the sandbox): the auth host mints and
refreshes tokens from app_key + app_secret; the API host takes signed calls with the access token in
`x-tts-access-token` and, on shop APIs, the shop's `shop_cipher`. One httpx.Client per adapter keeps
connections open between calls.
"""

import json
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from urllib.parse import urlencode

import httpx

from channels.adapters import tiktok_parse as parse
from channels.adapters.base import (
    CancelResult,
    MalformedAnswer,
    PlatformCancelRequest,
    PlatformOrder,
    PlatformRefused,
    Shop,
    Tokens,
)
from channels.adapters.http import DEFAULT_TIMEOUT, HttpAdapter
from channels.adapters.retry import RetryPolicy
from channels.platforms.tiktok import cancel_reason_name, sign

MAX_PAGE_SIZE = 100  # Get Order List
MAX_IDS = 50  # Get Order Detail
MAX_CANCEL_PAGE = 50  # Search Cancellations


class TikTokAdapter(HttpAdapter):
    def __init__(
        self,
        *,
        app_key: str,
        app_secret: str,
        api_base: str,
        auth_base: str,
        authorize_page: str = "",
        service_id: str = "",
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.app_key = app_key
        self.app_secret = app_secret
        self.api_base = api_base.rstrip("/")
        self.auth_base = auth_base.rstrip("/")
        self.authorize_page, self.service_id = authorize_page, service_id
        super().__init__(timeout=timeout, retry=retry, transport=transport, clock=clock)

    # The envelope

    def unwrap(self, response: httpx.Response, what: str) -> dict:
        """data of {code, message, request_id, data}; a non-zero code is a refusal."""
        try:
            envelope = response.json()
        except ValueError:
            raise MalformedAnswer(f"{what}: HTTP {response.status_code}, not JSON") from None
        if not isinstance(envelope, dict) or "code" not in envelope:
            raise MalformedAnswer(f"{what}: HTTP {response.status_code}, no platform envelope")
        code = envelope.get("code")
        if code != 0:
            refused_code = code if isinstance(code, int) and not isinstance(code, bool) else -1
            message, request_id = str(envelope.get("message") or ""), str(envelope.get("request_id") or "")
            raise PlatformRefused(refused_code, message, request_id)
        if response.status_code != 200:
            raise MalformedAnswer(f"{what}: HTTP {response.status_code} with code 0")
        data = envelope.get("data")
        return data if isinstance(data, dict) else {}

    def call(
        self,
        method: str,
        path: str,
        access_token: str,
        *,
        shop: Shop | None = None,
        query: dict | None = None,
        body: dict | None = None,
    ) -> dict:
        """A signed call to the API host, retried by the policy; signed anew on each try (the timestamp
        must be within 5 minutes of the platform's clock)."""
        raw = json.dumps(body, separators=(",", ":")).encode() if body is not None else b""
        headers = {"x-tts-access-token": access_token, "Content-Type": "application/json"}

        def send() -> httpx.Response:
            params = {**(query or {}), "app_key": self.app_key, "timestamp": str(int(self.clock()))}
            if shop is not None:
                params["shop_cipher"] = shop.cipher
            params["sign"] = sign(app_secret=self.app_secret, path=path, params=params, body=raw)
            content = raw if body is not None else None
            return self.http.request(method, self.api_base + path, params=params, content=content, headers=headers)

        what = f"TikTok {method} {path}"
        return self.unwrap(self.retry.call(send, what), what)

    def auth_call(self, path: str, params: dict) -> dict:
        params = {"app_key": self.app_key, "app_secret": self.app_secret, **params}
        what = f"TikTok GET {path}"
        response = self.retry.call(lambda: self.http.get(self.auth_base + path, params=params), what)
        return self.unwrap(response, what)

    # Authorization

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        """The page the seller approves us on; TikTok takes the redirect URL from the app's settings."""
        return f"{self.authorize_page}?{urlencode({'service_id': self.service_id, 'state': state})}"

    def exchange_code(self, auth_code: str, *, shop_id: str = "") -> Tokens:
        data = self.auth_call("/api/v2/token/get", {"auth_code": auth_code, "grant_type": "authorized_code"})
        return parse.tokens(data)

    def refresh(self, refresh_token: str, *, shop_id: str = "") -> Tokens:
        """New access and refresh tokens; keep the new refresh token (the old one may be spent)."""
        data = self.auth_call("/api/v2/token/refresh", {"refresh_token": refresh_token, "grant_type": "refresh_token"})
        return parse.tokens(data)

    def shops(self, access_token: str) -> list[Shop]:
        data = self.call("GET", "/authorization/202309/shops", access_token)
        return [parse.shop(s) for s in data.get("shops") or [] if isinstance(s, dict)]

    # Orders

    def changed_orders(
        self, access_token: str, shop: Shop, since: datetime, until: datetime, page_size: int = 50
    ) -> Iterator[list[PlatformOrder]]:
        """Pages of the orders updated in [since, until), oldest change first, following next_page_token
        until it comes back empty. A page_token is the last row's position, so a walk sees each order
        of the window once. since and until must be aware datetimes."""
        if since.tzinfo is None or until.tzinfo is None:
            raise ValueError("since and until must be timezone-aware")
        window = {"update_time_ge": int(since.timestamp()), "update_time_lt": int(until.timestamp())}
        query = {"page_size": max(1, min(page_size, MAX_PAGE_SIZE)), "sort_field": "update_time", "sort_order": "ASC"}
        page_token = ""
        while True:
            paged = {**query, "page_token": page_token} if page_token else query
            data = self.call("POST", "/order/202309/orders/search", access_token, shop=shop, query=paged, body=window)
            yield [parse.order(o) for o in data.get("orders") or [] if isinstance(o, dict)]
            next_token = data.get("next_page_token")
            if not isinstance(next_token, str) or not next_token or next_token == page_token:
                return
            page_token = next_token

    def orders(self, access_token: str, shop: Shop, ids: Sequence[str]) -> list[PlatformOrder]:
        """The orders with these ids, asked 50 at a time (the platform's limit)."""
        found = []
        for start in range(0, len(ids), MAX_IDS):
            chunk = ",".join(ids[start : start + MAX_IDS])
            data = self.call("GET", "/order/202309/orders", access_token, shop=shop, query={"ids": chunk})
            found += [parse.order(o) for o in data.get("orders") or [] if isinstance(o, dict)]
        return found

    # Cancellations

    def cancel_requests(
        self,
        access_token: str,
        shop: Shop,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        order_ids: Sequence[str] = (),
    ) -> Iterator[list[PlatformCancelRequest]]:
        """Pages of the buyers' requests (cancel_type BUYER_CANCEL) updated in [since, until), or of the
        named orders (50 at a time), oldest change first. The seller's own cancellations are no requests."""
        windows = [{"order_ids": list(order_ids[i : i + MAX_IDS])} for i in range(0, len(order_ids), MAX_IDS)]
        if not order_ids:
            window = {}
            if since is not None:
                window["update_time_ge"] = int(since.timestamp())
            if until is not None:
                window["update_time_lt"] = int(until.timestamp())
            windows = [window]
        query = {"page_size": MAX_CANCEL_PAGE, "sort_field": "update_time", "sort_order": "ASC"}
        path = "/return_refund/202309/cancellations/search"
        for window in windows:
            body, page_token = {**window, "cancel_types": ["BUYER_CANCEL"]}, ""
            while True:
                paged = {**query, "page_token": page_token} if page_token else query
                data = self.call("POST", path, access_token, shop=shop, query=paged, body=body)
                rows = data.get("cancellations") or []
                yield [parse.cancellation(c) for c in rows if isinstance(c, dict)]
                next_token = data.get("next_page_token")
                if not isinstance(next_token, str) or not next_token or next_token == page_token:
                    break
                page_token = next_token

    def cancel_order(
        self, access_token: str, shop: Shop, order_id: str, reason: str, idempotency_key: str
    ) -> CancelResult:
        """The seller cancels the whole order. `reason` is a cancel reason name of the platform."""

        def run() -> CancelResult:
            data = self.call(
                "POST",
                "/return_refund/202309/cancellations",
                access_token,
                shop=shop,
                query={"idempotency_key": idempotency_key},
                body={"order_id": order_id, "cancel_reason": cancel_reason_name(reason)},
            )
            return CancelResult(parse.text(data.get("cancel_id")), parse.text(data.get("cancel_status")))

        return self.once("cancel " + idempotency_key, run)

    def answer_cancel_request(
        self, access_token: str, shop: Shop, cancel_id: str, approve: bool, idempotency_key: str, reason: str = ""
    ) -> None:
        """Approve or reject a buyer's cancellation request; rejecting needs a reject reason name."""
        verb = "approve" if approve else "reject"
        body = {} if approve else {"reject_reason": reason}
        path = f"/return_refund/202309/cancellations/{cancel_id}/{verb}"
        query = {"idempotency_key": idempotency_key}
        self.once(
            f"{verb} {idempotency_key}",
            lambda: self.call("POST", path, access_token, shop=shop, query=query, body=body),
        )
