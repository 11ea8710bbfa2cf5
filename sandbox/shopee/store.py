"""Shopee's data in the sandbox: partners (apps), shops, authorization codes, tokens and orders.
Ids are ints as Shopee types them (shop_id, partner_id); order_sn is a string; money is float."""

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
CODE_TTL = 10 * 60  # "code is single-use and expires after 10 min"
SN_LETTERS = "0123456789ABCDEFGHJKMNPQRSTUVWXYZ"


class ShopeeStore:
    def __init__(self, now):
        self.now = now
        self.partners: dict[str, dict] = {}  # str(partner_id) -> partner
        self.shops: dict[str, dict] = {}  # str(shop_id) -> shop
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}  # access_token -> {partner_id, shop_id, expire}
        self.refresh_tokens: dict[str, dict] = {}
        self.orders: dict[str, dict] = {}  # order_sn -> order
        self.by_time: dict[tuple, list] = {}  # (shop_id, field) -> sorted [(time, order_sn)]
        self.serial = 0

    def add_partner(self, data: dict) -> dict:
        partner = {
            "partner_id": int(data.get("partner_id") or 2000000 + len(self.partners) + 1),
            "partner_key": str(data.get("partner_key") or secrets.token_hex(32)),
            "redirect": str(data.get("redirect") or "http://localhost/shopee/callback"),
            "access_ttl": int(data.get("access_ttl", 4 * 3600)),
            "refresh_ttl": int(data.get("refresh_ttl", 30 * 86400)),
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
        return grant if grant["expire"] > self.now() else None

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
        return order

    def set_status(self, order: dict, status: str) -> None:
        """Moves the order; its update_time index follows."""
        key = (order["_shop_id"], "update_time")
        self.by_time[key].remove((order["update_time"], order["order_sn"]))
        order["order_status"] = status
        order["update_time"] = self.now()
        insort(self.by_time[key], (order["update_time"], order["order_sn"]))


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
