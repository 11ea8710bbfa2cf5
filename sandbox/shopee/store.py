"""Shopee's data in the sandbox: partners (apps), shops, authorization codes, tokens and orders.
Ids are ints as Shopee types them (shop_id, partner_id); order_sn is a string; money is float."""

import hashlib
import heapq
import hmac
import json
import secrets
import time
from bisect import insort

ORDER_STATUSES = (
    "UNPAID",
    "READY_TO_SHIP",
    "PROCESSED",
    "RETRY_SHIP",
    "SHIPPED",
    "TO_CONFIRM_RECEIVE",
    "IN_CANCEL",
    "CANCELLED",
    "TO_RETURN",
    "COMPLETED",
)
# cancel_order: "only before shipping" (marketplaces.md §2.5). PROCESSED (shipping arranged, not yet
# picked up) is before shipping too; IN_CANCEL waits for handle_buyer_cancellation instead.
SELLER_CANCELLABLE = ("UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP")
BUYER_CANCELLABLE = ("READY_TO_SHIP", "PROCESSED", "RETRY_SHIP")
AUTHORIZATION_TTL = 365 * 86400  # "shop authorization up to 365 days"
CODE_TTL = 10 * 60  # "code is single-use and expires after 10 min"
# Shopee's push retry schedule is not in the stored docs: the sandbox's own, named as such.
PUSH_RETRIES = (300, 1800, 3 * 3600)
ORDER_STATUS_PUSH = 3  # push code 3, order status update (buyer cancel requests too: IN_CANCEL)
# What Shopee does on its own when nobody acts (applied by sandbox/timed.py): an unanswered buyer's
# request is accepted, a received order completes. Neither window is in the stored docs: the sandbox's own.
ON_ITS_OWN = {"IN_CANCEL": (2 * 86400, "CANCELLED"), "TO_CONFIRM_RECEIVE": (7 * 86400, "COMPLETED")}
SN_LETTERS = "0123456789ABCDEFGHJKMNPQRSTUVWXYZ"


class ShopeeStore:
    def __init__(self, now, outbox):
        self.now = now
        self.outbox = outbox
        self.partners: dict[str, dict] = {}  # str(partner_id) -> partner
        self.shops: dict[str, dict] = {}  # str(shop_id) -> shop
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}  # access_token -> {partner_id, shop_id, expire}
        self.refresh_tokens: dict[str, dict] = {}
        self.authorizations: dict[tuple, dict] = {}  # (partner_id, shop_id) -> {auth_time, expire_time}
        self.orders: dict[str, dict] = {}  # order_sn -> order
        self.by_time: dict[tuple, list] = {}  # (shop_id, field) -> sorted [(time, order_sn)]
        self.serial = 0
        self.timers: list[tuple] = []  # heap of (due, order_sn, since): see sandbox/timed.py

    def add_partner(self, data: dict) -> dict:
        partner = {
            "partner_id": int(data.get("partner_id") or 2000000 + len(self.partners) + 1),
            "partner_key": str(data.get("partner_key") or secrets.token_hex(32)),
            "redirect": str(data.get("redirect") or "http://localhost/shopee/callback"),
            "access_ttl": int(data.get("access_ttl", 4 * 3600)),
            "refresh_ttl": int(data.get("refresh_ttl", 30 * 86400)),
            "push_url": str(data.get("push_url") or ""),  # the console's callback URL; none when empty
        }
        if partner["access_ttl"] <= 0 or partner["refresh_ttl"] <= 0:
            raise ValueError("lifetimes are positive")
        self.partners[str(partner["partner_id"])] = partner
        return partner

    def add_shop(self, data: dict) -> dict:
        shop_id = int(data.get("shop_id") or 300000000 + len(self.shops) + 1)
        shop = {
            "shop_id": shop_id,
            "shop_name": str(data.get("shop_name") or f"Shop {shop_id}"),
            "region": str(data.get("region") or "SG"),
            "currency": str(data.get("currency") or "SGD"),
            "status": "NORMAL",
            "is_cb": False,
            "is_sip": False,
            "merchant_id": None,
            "shop_fulfillment_flag": "fulfilled_by_local_seller",
        }
        self.shops[str(shop_id)] = shop
        return shop

    def issue_code(self, partner: dict, shop: dict) -> str:
        code = secrets.token_hex(16)
        expire = self.now() + CODE_TTL
        self.codes[code] = {"partner_id": partner["partner_id"], "shop_id": shop["shop_id"], "expire": expire}
        return code

    def take_code(self, code: str, partner: dict, shop_id) -> dict | None:
        grant = self.codes.get(code)
        if grant is None or grant["partner_id"] != partner["partner_id"] or grant["shop_id"] != shop_id:
            return None
        del self.codes[code]  # single use, even when it came too late
        if grant["expire"] <= self.now():
            return None
        now = self.now()
        granted = {"auth_time": now, "expire_time": now + AUTHORIZATION_TTL}
        self.authorizations[(partner["partner_id"], shop_id)] = granted
        return grant

    def issue_token(self, partner: dict, shop_id: int) -> dict:
        now = self.now()
        token = {
            "access_token": secrets.token_hex(16),
            "refresh_token": secrets.token_hex(16),
            "partner_id": partner["partner_id"],
            "shop_id": shop_id,
            "expire": now + partner["access_ttl"],
            "refresh_expire": now + partner["refresh_ttl"],
        }
        self.tokens[token["access_token"]] = token
        self.refresh_tokens[token["refresh_token"]] = token
        return token

    def next_sn(self) -> str:
        """Like Shopee's: the date as YYMMDD, then six letters or digits ("201218V2Y6E5")."""
        self.serial += 1
        tail, number = "", self.serial
        for _ in range(6):
            number, digit = divmod(number, len(SN_LETTERS))
            tail = SN_LETTERS[digit] + tail
        return time.strftime("%y%m%d", time.gmtime(self.now())) + tail

    def add_order(self, shop: dict, data: dict) -> dict:
        now = self.now()
        status = data.get("order_status") or "READY_TO_SHIP"
        items = [item_of(item, n) for n, item in enumerate(data.get("item_list") or [{}])]
        total = sum(i["model_discounted_price"] * i["model_quantity_purchased"] for i in items)
        shipping = float(data.get("estimated_shipping_fee", 1.99))
        order = {
            "order_sn": self.next_sn(),
            "region": shop["region"],
            "currency": shop["currency"],
            "cod": bool(data.get("cod", False)),
            "order_status": status,
            "message_to_seller": str(data.get("message_to_seller") or ""),
            "create_time": now,
            "update_time": now,
            "days_to_ship": 3,
            "ship_by_date": now + 3 * 86400,
            "booking_sn": "",
            "buyer_user_id": int(data.get("buyer_user_id") or 1170319091),
            "buyer_username": str(data.get("buyer_username") or "buyer01"),
            "recipient_address": address_of(data.get("recipient_address"), shop["region"]),
            "pay_time": None if status == "UNPAID" else now,
            "total_amount": round(total + shipping, 2),
            "estimated_shipping_fee": shipping,
            "item_list": items,
            "cancel_by": "",
            "cancel_reason": "",
            "buyer_cancel_reason": "",
            "_shop_id": shop["shop_id"],
            "_before_cancel": "",
        }
        self.orders[order["order_sn"]] = order
        for field in ("create_time", "update_time"):
            insort(self.by_time.setdefault((shop["shop_id"], field), []), (now, order["order_sn"]))
        self.order_changed(order)
        return order

    def set_status(self, order: dict, status: str) -> None:
        """Moves the order; its update_time index follows."""
        key = (order["_shop_id"], "update_time")
        self.by_time[key].remove((order["update_time"], order["order_sn"]))
        order["order_status"] = status
        order["update_time"] = self.now()
        if status not in ("UNPAID", "CANCELLED") and order["pay_time"] is None:
            order["pay_time"] = order["update_time"]  # the buyer paid
        insort(self.by_time[key], (order["update_time"], order["order_sn"]))
        self.order_changed(order)

    # Push

    def authorized(self, shop_id: int) -> set[int]:
        """The partners this shop has authorized (a refresh token still alive)."""
        now = self.now()
        live = (t for t in self.refresh_tokens.values() if t["shop_id"] == shop_id and t["refresh_expire"] > now)
        return {token["partner_id"] for token in live}

    def push(self, shop_id: int, code: int, data: dict) -> None:
        """To the push URL of every partner the shop authorized: {msg_id, shop_id, code, timestamp,
        data}, Authorization = hex HMAC-SHA256(partner_key, push URL + "|" + body) (marketplaces.md §2.6)."""
        partners = self.authorized(shop_id)
        for partner in self.partners.values():
            if partner["push_url"] and partner["partner_id"] in partners:
                note = {"msg_id": secrets.token_hex(16), "shop_id": shop_id, "code": code, "timestamp": self.now()}
                body = json.dumps({**note, "data": data}).encode()
                signed = partner["push_url"].encode() + b"|" + body
                signature = hmac.new(partner["partner_key"].encode(), signed, hashlib.sha256).hexdigest()
                headers = {"Content-Type": "application/json", "Authorization": signature}
                self.outbox.push(partner["push_url"], body, headers, PUSH_RETRIES)

    def order_changed(self, order: dict) -> None:
        """Code 3 as captured from production (marketplaces-orders-auth.md §2.5): `ordersn`, no underscore."""
        order["_since"] = now = self.now()
        if order["order_status"] in ON_ITS_OWN:
            heapq.heappush(self.timers, (now + ON_ITS_OWN[order["order_status"]][0], order["order_sn"], now))
        data = {"ordersn": order["order_sn"], "status": order["order_status"], "update_time": order["update_time"]}
        self.push(order["_shop_id"], ORDER_STATUS_PUSH, {**data, "completed_scenario": None, "items": []})


def item_of(data: dict, number: int) -> dict:
    if not isinstance(data, dict):
        data = {}
    return {
        "item_id": int(data.get("item_id") or 23620853561 + number),
        "item_name": str(data.get("item_name") or "Sandbox item"),
        "item_sku": str(data.get("item_sku") or ""),
        "model_id": int(data.get("model_id") or 221404189791 + number),
        "model_name": str(data.get("model_name") or ""),
        "model_sku": str(data.get("model_sku") or f"SKU-{number + 1}"),
        "model_quantity_purchased": int(data.get("model_quantity_purchased") or 1),
        "model_original_price": float(data.get("model_original_price", 12.5)),
        "model_discounted_price": float(data.get("model_discounted_price", data.get("model_original_price", 12.5))),
        "order_item_id": int(data.get("item_id") or 23620853561 + number),
    }


def address_of(data, region: str) -> dict:
    data = data if isinstance(data, dict) else {}
    fields = {"name": "Tan Mei Ling", "phone": "6591234567", "town": "", "district": "", "city": "Singapore"}
    fields |= {"state": "", "region": region, "zipcode": "018956", "full_address": "10 Bayfront Ave, Singapore"}
    return {key: str(data.get(key) or default) for key, default in fields.items()}
