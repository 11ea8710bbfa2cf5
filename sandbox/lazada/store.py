"""Lazada's data in the sandbox: apps, sellers (one per country), authorization codes, tokens, orders
and their items, cancel reverse orders, and the pushes they cause.

Lazada has no order status: each order item has one, and one item is one unit (marketplaces-orders-auth.md
§3.2). Ids are numbers (Java Long), money is a decimal string with two places, as the samples show.
"""

import json
import secrets
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from sandbox.lazada.common import sign_push
from sandbox.lazada.logistics import track
from sandbox.lazada.orders_model import CURRENCY, ITEM_STATUSES, new_item, new_order

CODE_TTL = 30 * 60  # "valid 30 min, single use" (LAUTH)
DEFAULT_ACCESS_TTL = 7 * 86400  # an app in "Test": 7 days; refresh 30 days (LAUTH)
DEFAULT_REFRESH_TTL = 30 * 86400
PUSH_RETRIES = (1800,) * 12  # "retry every 30 min, max 12 times" (marketplaces.md §3.5)
CANCEL_SLA = 2 * 86400  # the buyer's request cancels itself then (cancel_trigger_time); not documented
MAX_UNITS = 100  # items of one order line (each unit is an item)
LOGISTICS_DELAY = 60  # agreed cancels wait "for the logistic system" (is_cancel_pending) this long


@dataclass
class App:
    app_key: str
    app_secret: str
    redirect_uri: str
    access_ttl: int = DEFAULT_ACCESS_TTL
    refresh_ttl: int = DEFAULT_REFRESH_TTL
    webhook_url: str = ""


@dataclass
class Token:
    app_key: str
    seller_id: int
    access_token: str
    refresh_token: str
    access_expire: int
    refresh_expire: int
    revoked: bool = False


class LazadaStore:
    def __init__(self, now, outbox):
        self.now = now
        self.outbox = outbox
        self.apps: dict[str, App] = {}
        self.sellers: dict[int, dict] = {}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, Token] = {}
        self.orders: dict[int, dict] = {}  # order_id -> order, its items under "_items"
        self.items: dict[int, dict] = {}  # order_item_id -> item
        self.reverse: dict[int, dict] = {}  # reverse_order_id -> {request_type, status, order_id, lines}
        self.ids = count(491253082180001)
        self.by_seller: dict[int, list[dict]] = {}
        self.version = 0  # bumped on every order change: the sorted views below are rebuilt
        self.views: dict[tuple, tuple] = {}  # (seller_id, field) -> (version, rows, keys)
        self.waiting: list[dict] = []  # items with a deadline: a buyer's request or an agreed cancel

    def next_id(self) -> int:
        return next(self.ids)

    # Apps and sellers

    def add_app(self, data: dict) -> App:
        app = App(
            app_key=str(data.get("app_key") or 100000 + len(self.apps) + 1),
            app_secret=str(data.get("app_secret") or secrets.token_hex(16)),
            redirect_uri=str(data.get("redirect_uri") or "http://127.0.0.1/lazada/callback"),
            access_ttl=int(data.get("access_ttl") or DEFAULT_ACCESS_TTL),
            refresh_ttl=int(data.get("refresh_ttl") or DEFAULT_REFRESH_TTL),
            webhook_url=str(data.get("webhook_url") or ""),
        )
        if not 0 < app.access_ttl <= 10 * 365 * 86400 or not 0 < app.refresh_ttl <= 10 * 365 * 86400:
            raise ValueError("lifetimes are 1 second to 10 years")
        self.apps[app.app_key] = app
        return app

    def add_seller(self, data: dict) -> dict:
        country = str(data.get("country") or "MY").upper()
        if country not in CURRENCY:
            raise ValueError("country is one of " + ", ".join(CURRENCY))
        seller_id = int(data.get("seller_id") or 1000000 + len(self.sellers) + 1)
        if not 0 < seller_id < 10**15:
            raise ValueError("seller_id is a positive whole number")
        seller = {
            "seller_id": seller_id,
            "name": str(data.get("name") or f"Sandbox seller {seller_id}"),
            "short_code": f"{country}{seller_id % 10**6:06d}",
            "country": country,
            "user_id": seller_id + 5000,
            "email": str(data.get("email") or f"seller{seller_id}@sandbox.test"),
            "status": "ACTIVE",
        }
        self.sellers[seller_id] = seller
        return seller

    def seller(self, value) -> dict | None:
        text = str(value)
        return self.sellers.get(int(text)) if text.isascii() and text.isdigit() and len(text) < 19 else None

    # Authorization

    def issue_code(self, app: App, seller: dict) -> str:
        code = "0_" + app.app_key + "_" + secrets.token_urlsafe(18)
        self.codes[code] = {"app_key": app.app_key, "seller_id": seller["seller_id"], "expire": self.now() + CODE_TTL}
        return code

    def take_code(self, app: App, code: str) -> dict | None:
        grant = self.codes.pop(code, None)  # single use, even when it came too late
        if grant is None or grant["app_key"] != app.app_key or grant["expire"] <= self.now():
            return None
        return grant

    def issue_token(self, app: App, seller_id: int, refresh_expire: int | None = None) -> Token:
        now = self.now()
        token = Token(
            app_key=app.app_key,
            seller_id=seller_id,
            access_token="50000" + secrets.token_hex(20),
            refresh_token="50001" + secrets.token_hex(20),
            access_expire=now + app.access_ttl,
            refresh_expire=refresh_expire or now + app.refresh_ttl,
        )
        token.access_expire = min(token.access_expire, token.refresh_expire)
        self.tokens[token.access_token] = token
        self.refresh_tokens[token.refresh_token] = token
        return token

    def live_token(self, access_token: str, app_key: str) -> Token | None:
        token = self.tokens.get(access_token)
        if token is None or token.revoked or token.app_key != app_key or token.access_expire <= self.now():
            return None
        return token

    def revoke(self, seller_id: int, app_key: str | None = None) -> int:
        revoked = 0
        for token in self.tokens.values():
            if token.seller_id == seller_id and app_key in (None, token.app_key) and not token.revoked:
                token.revoked = True
                revoked += 1
        return revoked

    # Orders

    def add_order(self, seller: dict, data: dict) -> dict:
        status = data.get("status") or "pending"
        if status not in ITEM_STATUSES:
            raise ValueError("status is one of " + ", ".join(ITEM_STATUSES))
        lines = data.get("items") or [{}]
        if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
            raise ValueError("items is a list of objects")
        units = [int(line.get("quantity") or 1) for line in lines]
        if not all(1 <= n <= MAX_UNITS for n in units):
            raise ValueError(f"quantity is 1..{MAX_UNITS}")
        order = new_order(self, seller, data)
        package_id = self.next_id()
        for line, quantity in zip(lines, units, strict=True):
            for _ in range(quantity):  # one item per unit, as Lazada has it
                item = new_item(self, seller, order, line, status, package_id)
                order["_items"].append(item)
                self.items[item["order_item_id"]] = item
        order["price"] = str(sum((Decimal(i["item_price"]) for i in order["_items"]), Decimal("0.00")))
        order["voucher"] = str(sum((Decimal(i["voucher_amount"]) for i in order["_items"]), Decimal("0.00")))
        self.orders[order["order_id"]] = order
        self.by_seller.setdefault(seller["seller_id"], []).append(order)
        self.version += 1
        for item in order["_items"]:
            self.item_changed(order, item)
        return order

    def set_status(self, order: dict, items: list[dict], status: str, initiator: str = "", reason: str = "") -> None:
        now = self.now()
        for item in items:
            item["status"], item["updated_at"] = status, now
            if status == "canceled":
                by = initiator or item["cancel_return_initiator"] or "cancellation-internal"
                item["cancel_return_initiator"] = by
                item["reason"] = reason or item["reason"]
                item["need_cancel_confirm"] = item["is_cancel_pending"] = False
            if status in ("ready_to_ship", "shipped") and not item["tracking_code"]:
                item["tracking_code"] = f"SBXLZ{item['package_id'] % 10**9:09d}"
            track(order, item, status, now)
            self.item_changed(order, item)
        self.touch(order)

    def touch(self, order: dict) -> None:
        """The order changed now: its updated_at moves, and the sorted views are rebuilt when next asked."""
        order["updated_at"] = self.now()
        self.version += 1

    def sorted_orders(self, seller_id: int, field: str) -> tuple[list[dict], list[tuple]]:
        """A seller's orders by (field, order_id) ascending and their keys, kept until an order changes:
        a walk through the pages of one window costs one sort."""
        cached = self.views.get((seller_id, field))
        if cached is None or cached[0] != self.version:
            rows = sorted(self.by_seller.get(seller_id, []), key=lambda o: (o[field], o["order_id"]))
            cached = (self.version, rows, [(o[field], o["order_id"]) for o in rows])
            self.views[(seller_id, field)] = cached
        return cached[1], cached[2]

    def add_reverse(self, order: dict, items: list[dict], status: str, initiator: str) -> dict:
        reverse = {
            "reverse_order_id": self.next_id(),
            "request_type": "CANCEL",
            "reverse_status": status,
            "trade_order_id": order["order_id"],
            "lines": {item["order_item_id"]: self.next_id() for item in items},
            "initiator": initiator,
            "_seller_id": order["_seller_id"],
        }
        self.reverse[reverse["reverse_order_id"]] = reverse
        for item in items:
            item["reverse_order_id"] = reverse["reverse_order_id"]
        return reverse

    def settle(self) -> None:
        """What the sandbox clock has brought: unanswered buyer requests cancel themselves at
        cancel_trigger_time, agreed cancels are done once the logistics system has had its minute."""
        now, left = self.now(), []
        for item in self.waiting:
            order = self.orders[item["order_id"]]
            if item["status"] == "canceled" or not (item["need_cancel_confirm"] or item["is_cancel_pending"]):
                continue
            if item["_due"] > now:
                left.append(item)
                continue
            reverse = self.reverse[item["reverse_order_id"]]
            reverse["reverse_status"] = "CANCEL_SUCCESS"
            self.set_status(order, [item], "canceled", "cancellation-customer", item["reason"])
            self.reverse_changed(order, reverse, item)
        self.waiting = left

    # Pushes

    def push(self, seller_id: int, message_type: int, data: dict) -> None:
        """To every app with a webhook URL that this seller has authorized (a live refresh token)."""
        seller, now = self.sellers[seller_id], self.now()
        live = {
            t.app_key
            for t in self.tokens.values()
            if t.seller_id == seller_id and not t.revoked and t.refresh_expire > now
        }
        for app in self.apps.values():
            if app.webhook_url and app.app_key in live:
                envelope = {"seller_id": str(seller_id), "message_type": message_type, "data": data}
                envelope |= {"timestamp": now * 1000, "site": "lazada_" + seller["country"].lower()}
                body = json.dumps(envelope).encode()
                headers = {"Content-Type": "application/json", "Authorization": sign_push(app, body)}
                self.outbox.push(app.webhook_url, body, headers, PUSH_RETRIES)

    def item_changed(self, order: dict, item: dict) -> None:
        data = {
            "order_status": item["status"],
            "trade_order_id": str(order["order_id"]),
            "trade_order_line_id": str(item["order_item_id"]),
            "status_update_time": item["updated_at"],
        }
        self.push(order["_seller_id"], 0, data)

    def reverse_changed(self, order: dict, reverse: dict, item: dict) -> None:
        data = {
            "reverse_order_id": str(reverse["reverse_order_id"]),
            "reverse_order_line_id": str(reverse["lines"][item["order_item_id"]]),
            "reverse_status": reverse["reverse_status"],
            "trade_order_id": str(order["order_id"]),
            "trade_order_line_id": str(item["order_item_id"]),
            "buyer_id": str(item["buyer_id"]),
            "seller_id": str(order["_seller_id"]),
            "status_update_time": self.now(),
            "extraParams": {},
        }
        self.push(order["_seller_id"], 10, data)
