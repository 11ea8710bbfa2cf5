"""TikTok Shop's state: apps, sellers and their shops, authorization codes, tokens, orders and the
seller cancellations made through the API. Plain dicts shaped as the API returns them."""

import heapq
import json
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import count

from sandbox.tiktok.paging import sort_rows
from sandbox.tiktok.signing import webhook_sign

ORDER_STATUSES = (
    "UNPAID",
    "ON_HOLD",
    "AWAITING_SHIPMENT",
    "PARTIALLY_SHIPPING",
    "AWAITING_COLLECTION",
    "IN_TRANSIT",
    "DELIVERED",
    "COMPLETED",
    "CANCELLED",
)
SELLER_CANCELLABLE = ("ON_HOLD", "AWAITING_SHIPMENT", "AWAITING_COLLECTION")  # marketplaces.md §1.5
BUYER_CANCELLABLE = ("ON_HOLD", "AWAITING_SHIPMENT")  # none once AWAITING_COLLECTION; UNPAID needs no review
RESPOND_WITHIN = 48 * 3600  # the seller's SLA on a buyer's cancel request
TRACKING_EVENTS = {
    "AWAITING_COLLECTION": ("rts_time", "The seller has packed the parcel"),
    "IN_TRANSIT": ("collection_time", "The carrier has collected the parcel"),
    "DELIVERED": ("delivery_time", "The parcel has been delivered"),
}
# What the platform does on its own when nobody acts (applied by sandbox/timed.py): after the window, the
# order moves on. Neither window is in the stored docs: both are the sandbox's own.
ON_ITS_OWN = {"ON_HOLD": (3600, "AWAITING_SHIPMENT"), "DELIVERED": (7 * 86400, "COMPLETED")}
WEBHOOK_RETRIES = (120, 1800, 3 * 3600, 12 * 3600)  # after 2 min, 30 min, 3 h, 12 h, then stop
CODE_LIFETIME = 30 * 60  # auth_code: 30 minutes, single use
DEFAULT_ACCESS_TTL = 7 * 24 * 3600
DEFAULT_REFRESH_TTL = 365 * 24 * 3600


@dataclass
class App:
    app_key: str
    app_secret: str
    service_id: str
    redirect_uri: str
    access_ttl: int = DEFAULT_ACCESS_TTL
    refresh_ttl: int = DEFAULT_REFRESH_TTL  # the length of the authorization the seller grants
    webhook_url: str = ""  # where order (1) and cancellation (11) webhooks go; none when empty


@dataclass
class Token:
    app_key: str
    open_id: str
    access_token: str
    refresh_token: str
    access_expire: int
    refresh_expire: int
    revoked: bool = False


@dataclass
class Seller:
    open_id: str
    name: str
    region: str
    shops: list[dict] = field(default_factory=list)


def money(value, default: str = "0") -> Decimal:
    try:
        amount = Decimal(str(value if value is not None else default))
    except InvalidOperation:
        amount = Decimal(default)
    return amount if amount.is_finite() else Decimal(default)


class TikTokStore:
    def __init__(self, now, outbox):
        self.now = now
        self.outbox = outbox
        self.apps: dict[str, App] = {}
        self.sellers: dict[str, Seller] = {}
        self.codes: dict[str, dict] = {}  # auth_code -> {app_key, open_id, expires}
        self.tokens: dict[str, Token] = {}  # access token -> Token
        self.refresh_tokens: dict[str, Token] = {}
        self.orders: dict[str, dict] = {}  # order id -> order, with "_shop_id" kept beside
        self.cancellations: dict[str, dict] = {}  # cancel_id -> cancellation, "_shop_id" beside
        self.answers: dict[str, dict] = {}  # "path key" -> the data first answered to that idempotency key
        self.ids = count(576461413038785752)
        self.version = 0  # bumped on every order change: the sorted views below are rebuilt
        self.views: dict[tuple, tuple] = {}  # (shop id, sort field) -> (version, rows, keys)
        self.timers: list[tuple] = []  # heap of (due, "order"|"cancel", id, since): see sandbox/timed.py

    def next_id(self) -> str:
        return str(next(self.ids))

    # Apps, sellers, shops

    def add_app(self, data: dict) -> App:
        app = App(
            app_key=str(data.get("app_key") or secrets.token_hex(4)),
            app_secret=str(data.get("app_secret") or secrets.token_hex(16)),
            service_id=str(data.get("service_id") or self.next_id()),
            redirect_uri=str(data.get("redirect_uri") or "http://127.0.0.1/callback"),
            access_ttl=int(data.get("access_ttl") or DEFAULT_ACCESS_TTL),
            refresh_ttl=int(data.get("refresh_ttl") or DEFAULT_REFRESH_TTL),
            webhook_url=str(data.get("webhook_url") or ""),
        )
        if not 0 < app.access_ttl <= 10 * DEFAULT_REFRESH_TTL or not 0 < app.refresh_ttl <= 10 * DEFAULT_REFRESH_TTL:
            raise ValueError("lifetimes are 1 second to 10 years")
        self.apps[app.app_key] = app
        return app

    def app_for_service(self, service_id: str) -> App | None:
        return next((app for app in self.apps.values() if app.service_id == service_id), None)

    def add_shop(self, data: dict) -> dict:
        """A shop, and its seller (a new one unless `open_id` names an existing seller)."""
        region = str(data.get("region") or "GB")
        seller = self.sellers.get(str(data.get("open_id") or ""))
        if seller is None:
            seller = Seller(self.next_id(), str(data.get("seller_name") or "Sandbox seller"), region)
            self.sellers[seller.open_id] = seller
        shop = {
            "id": str(data.get("id") or self.next_id()),
            "name": str(data.get("name") or "Sandbox shop"),
            "region": region,
            "seller_type": str(data.get("seller_type") or "LOCAL"),
            "cipher": "GCP_" + secrets.token_urlsafe(24),
            "code": secrets.token_hex(6).upper(),
        }
        seller.shops.append(shop)
        return {**shop, "open_id": seller.open_id}

    def shop_by_cipher(self, cipher: str) -> tuple[Seller, dict] | tuple[None, None]:
        for seller in self.sellers.values():
            for shop in seller.shops:
                if shop["cipher"] == cipher:
                    return seller, shop
        return None, None

    def shop_by_id(self, shop_id: str) -> dict | None:
        return next((s for seller in self.sellers.values() for s in seller.shops if s["id"] == shop_id), None)

    # Authorization

    def issue_code(self, app: App, open_id: str) -> str:
        code = "ROW_" + secrets.token_urlsafe(24)
        self.codes[code] = {"app_key": app.app_key, "open_id": open_id, "expires": self.now() + CODE_LIFETIME}
        return code

    def take_code(self, app: App, code: str) -> dict | None:
        grant = self.codes.pop(code, None)
        if grant is None or grant["app_key"] != app.app_key or grant["expires"] < self.now():
            return None
        return grant

    def issue_token(self, app: App, open_id: str, refresh_expire: int | None = None) -> Token:
        now = self.now()
        token = Token(
            app_key=app.app_key,
            open_id=open_id,
            access_token="TTP_" + secrets.token_urlsafe(32),
            refresh_token="TTP_" + secrets.token_urlsafe(32),
            access_expire=now + app.access_ttl,
            refresh_expire=refresh_expire or now + app.refresh_ttl,
        )
        token.access_expire = min(token.access_expire, token.refresh_expire)
        self.tokens[token.access_token] = token
        self.refresh_tokens[token.refresh_token] = token
        return token

    def revoke(self, open_id: str, app_key: str | None = None) -> int:
        """Revoke every token of a seller (for one app, or all): what de-authorizing the app does."""
        revoked = 0
        for token in self.tokens.values():
            if token.open_id == open_id and app_key in (None, token.app_key) and not token.revoked:
                token.revoked = True
                revoked += 1
        return revoked

    # Webhooks

    def notify(self, shop_id: str, kind: int, data: dict) -> None:
        """Push a webhook to every app with a webhook URL that the shop's seller has authorized."""
        seller = next((s for s in self.sellers.values() if any(shop["id"] == shop_id for shop in s.shops)), None)
        now = self.now()
        live = {t.app_key for t in self.tokens.values() if seller and t.open_id == seller.open_id}
        live -= {t.app_key for t in self.tokens.values() if t.revoked or t.refresh_expire <= now}
        for app in self.apps.values():
            if app.webhook_url and app.app_key in live:
                note = {"type": kind, "tts_notification_id": self.next_id(), "shop_id": shop_id, "timestamp": now}
                body = json.dumps({**note, "data": data}).encode()
                headers = {"Content-Type": "application/json"}
                headers["Authorization"] = webhook_sign(app.app_key, app.app_secret, body)
                self.outbox.push(app.webhook_url, body, headers, WEBHOOK_RETRIES)

    def order_changed(self, order: dict) -> None:
        order["_since"] = now = self.now()
        if order["status"] in ON_ITS_OWN:
            heapq.heappush(self.timers, (now + ON_ITS_OWN[order["status"]][0], "order", order["id"], now))
        status = "CANCEL" if order["status"] == "CANCELLED" else order["status"]  # webhook 1 spells it so
        data = {"order_id": order["id"], "order_status": status, "update_time": order["update_time"]}
        self.notify(order["_shop_id"], 1, {**data, "is_on_hold_order": order["status"] == "ON_HOLD"})

    def cancellation_changed(self, cancellation: dict) -> None:
        if cancellation["cancel_status"] == "CANCELLATION_REQUEST_PENDING":  # auto-approved at the deadline
            due = cancellation["create_time"] + RESPOND_WITHIN
            heapq.heappush(self.timers, (due, "cancel", cancellation["cancel_id"], cancellation["create_time"]))
        data = {key: cancellation[key] for key in ("order_id", "cancel_status", "cancel_id", "create_time")}
        self.notify(cancellation["_shop_id"], 11, {**data, "cancellations_role": cancellation["role"]})

    # Orders

    def add_order(self, shop: dict, data: dict) -> dict:
        now = self.now()
        currency = str(data.get("currency") or "GBP")
        items = [self.line_item(item, currency) for item in (data.get("line_items") or [{}])]
        status = data.get("status") if data.get("status") in ORDER_STATUSES else "AWAITING_SHIPMENT"
        original = sum((money(item["original_price"]) for item in items), Decimal(0))
        seller_discount = sum((money(item["seller_discount"]) for item in items), Decimal(0))
        platform_discount = sum((money(item["platform_discount"]) for item in items), Decimal(0))
        shipping = money(data.get("shipping_fee"))
        sub_total = original - seller_discount - platform_discount
        order = {
            "id": self.next_id(),
            "status": status,
            "create_time": now,
            "update_time": now,
            "paid_time": None if status == "UNPAID" else now,
            "user_id": str(data.get("user_id") or self.next_id()),
            "buyer_email": str(data.get("buyer_email") or "buyer@scs.tiktokw.us"),
            "buyer_message": str(data.get("buyer_message") or ""),
            "recipient_address": self.address(data.get("buyer") or {}),
            "payment": {
                "currency": currency,
                "original_total_product_price": str(original),
                "seller_discount": str(seller_discount),
                "platform_discount": str(platform_discount),
                "sub_total": str(sub_total),
                "shipping_fee": str(shipping),
                "tax": "0",
                "total_amount": str(sub_total + shipping),
            },
            "fulfillment_type": "FULFILLMENT_BY_SELLER",
            "shipping_type": "SELLER",
            "tracking_number": "",
            "is_buyer_request_cancel": False,
            "cancel_reason": "",
            "cancellation_initiator": "",
            "line_items": items,
            "packages": [{"id": self.next_id()}],
            "_shop_id": shop["id"],
        }
        if status == "UNPAID":
            order["recipient_address"] = None  # absent under UNPAID/ON_HOLD
        self.orders[order["id"]] = order
        self.version += 1
        self.order_changed(order)
        return order

    def line_item(self, data: dict, currency: str) -> dict:
        price = money(data.get("sale_price"), "10.00")
        return {
            "id": self.next_id(),
            "sku_id": str(data.get("sku_id") or self.next_id()),
            "product_id": str(data.get("product_id") or self.next_id()),
            "product_name": str(data.get("product_name") or "Sandbox product"),
            "sku_name": str(data.get("sku_name") or ""),
            "seller_sku": str(data.get("seller_sku") or "SKU-1"),
            "sale_price": str(price),
            "original_price": str(money(data.get("original_price"), str(price))),
            "seller_discount": str(money(data.get("seller_discount"))),
            "platform_discount": str(money(data.get("platform_discount"))),
            "currency": currency,
            "package_status": "TO_FULFILL",
            "cancel_user": "",
            "is_gift": False,
        }

    @staticmethod
    def address(buyer: dict) -> dict:
        return {
            "name": str(buyer.get("name") or "Sandbox Buyer"),
            "phone_number": str(buyer.get("phone_number") or "(+44)7700900000"),
            "full_address": str(buyer.get("full_address") or "1 Sandbox Street, London"),
            "postal_code": str(buyer.get("postal_code") or "E1 6AN"),
            "region_code": str(buyer.get("region_code") or "GB"),
        }

    def touch(self, order: dict) -> None:
        """The order changed now: its update_time moves and the sorted views are rebuilt when next asked."""
        order["update_time"] = self.now()
        self.version += 1

    def sorted_orders(self, shop_id: str, field: str) -> tuple[list[dict], list[tuple]]:
        """A shop's orders by (field, id) ascending and their keys, kept until an order changes."""
        cached = self.views.get((shop_id, field))
        if cached is None or cached[0] != self.version:
            rows = [order for order in self.orders.values() if order["_shop_id"] == shop_id]
            cached = (self.version, *sort_rows(rows, field, "id"))
            self.views[(shop_id, field)] = cached
        return cached[1], cached[2]

    def set_status(self, order: dict, status: str, initiator: str = "SYSTEM", reason: str = "") -> None:
        order["status"] = status
        self.touch(order)
        if status != "UNPAID" and order["paid_time"] is None:
            order["paid_time"] = order["update_time"]
        if status == "CANCELLED":
            order["cancel_time"] = order["update_time"]
            order["cancellation_initiator"] = initiator
            order["cancel_reason"] = reason
            for item in order["line_items"]:
                item["package_status"] = "CANCELLED"
                item["cancel_user"] = initiator
        self.track(order, status)
        self.order_changed(order)

    def track(self, order: dict, status: str) -> None:
        """The forward parcel's events and times, as the carrier would report them."""
        event = TRACKING_EVENTS.get(status)
        if event is None:
            return
        field, description = event
        now = order["update_time"]
        order[field] = now
        if not order["tracking_number"] and status != "AWAITING_COLLECTION":
            order["tracking_number"] = "SBX" + order["id"][-10:]
        order.setdefault("_tracking", []).insert(0, {"description": description, "update_time_millis": now * 1000})

    def add_cancellation(self, order: dict, cancel_type: str, role: str, reason: str) -> dict:
        now = self.now()
        pending = cancel_type == "BUYER_CANCEL"
        payment = order["payment"]
        cancellation = {
            "cancel_id": self.next_id(),
            "order_id": order["id"],
            "cancel_type": cancel_type,
            "cancel_status": "CANCELLATION_REQUEST_PENDING" if pending else "CANCELLATION_REQUEST_COMPLETE",
            "role": role,
            "cancel_reason": reason,
            "cancel_reason_text": reason.replace("_", " "),
            "create_time": now,
            "update_time": now,
            "seller_next_action_response": [{"action": "SELLER_RESPOND_CANCEL", "deadline": now + RESPOND_WITHIN}]
            if pending
            else [],
            "refund_amount": {"currency": payment["currency"], "refund_total": payment["total_amount"]},
            "cancel_line_items": [
                {"order_line_item_id": item["id"], "sku_id": item["sku_id"], "seller_sku": item["seller_sku"]}
                for item in order["line_items"]
            ],
            "_shop_id": order["_shop_id"],
        }
        self.cancellations[cancellation["cancel_id"]] = cancellation
        self.cancellation_changed(cancellation)
        return cancellation

    @staticmethod
    def public(order: dict) -> dict:
        """The order as the API shows it (without the sandbox's own bookkeeping)."""
        return {key: value for key, value in order.items() if not key.startswith("_")}
