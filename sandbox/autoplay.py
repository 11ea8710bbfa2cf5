"""Autoplay: the sandbox plays the buyers and the carriers by itself. Every `every` seconds of real time
it places `new_orders` paid orders in each shop whose seller has authorized an app, moves a few open
orders one step along the normal lifecycle, and now and then has a buyer ask to cancel. Every change
goes through the stores and the control handlers, so it is pushed as a manual move is.

Switched in sandbox/autoplay_control.py (POST /_control/autoplay, the play pages' form) or with
`python -m sandbox --autoplay SECONDS`; /_control/reset switches it off."""

import json
import random
import threading
import time
import traceback

from sandbox.lazada import control as lazada_control
from sandbox.shopee import control as shopee_control
from sandbox.tiktok import control as tiktok_control
from sandbox.web import Request

LIFECYCLES = {
    "tiktok": ("AWAITING_SHIPMENT", "AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED", "COMPLETED"),
    "shopee": ("READY_TO_SHIP", "PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED"),
    "lazada": ("pending", "packed", "ready_to_ship", "shipped", "delivered"),
}
STEPS = 3  # orders moved one step per shop and round
CANCEL_CHANCE = 0.2  # per shop and round: a buyer asks to cancel one order not shipped yet


def ask_to_cancel(handler, state, params: dict) -> None:
    """The buyer asks through the control API's own handler (a refusal is the buyer changing their mind)."""
    handler(state, Request("POST", "/_control/autoplay", {}, {}, json.dumps({}).encode(), params))


def pick(rng: random.Random, orders: list) -> list:
    return rng.sample(orders, min(STEPS, len(orders)))


def next_status(lifecycle: tuple, status: str) -> str | None:
    if status not in lifecycle[:-1]:
        return None
    return lifecycle[lifecycle.index(status) + 1]


def play_tiktok(state, rng: random.Random, new_orders: int) -> None:
    store, now = state.tiktok, state.now()
    live = {t.open_id for t in store.tokens.values() if not t.revoked and t.refresh_expire > now}
    shops = [shop for seller in store.sellers.values() if seller.open_id in live for shop in seller.shops]
    for shop in shops:
        for _ in range(new_orders):
            store.add_order(shop, {"status": "AWAITING_SHIPMENT"})
        mine = [o for o in store.orders.values() if o["_shop_id"] == shop["id"]]
        mine = [o for o in mine if not o["is_buyer_request_cancel"]]
        movable = [o for o in mine if next_status(LIFECYCLES["tiktok"], o["status"])]
        for order in pick(rng, movable):
            store.set_status(order, next_status(LIFECYCLES["tiktok"], order["status"]))
        waiting = [o for o in mine if o["status"] == "AWAITING_SHIPMENT"]
        if waiting and rng.random() < CANCEL_CHANCE:
            ask_to_cancel(tiktok_control.buyer_cancel, state, {"id": rng.choice(waiting)["id"]})


def play_shopee(state, rng: random.Random, new_orders: int) -> None:
    store = state.shopee
    for shop in store.shops.values():
        if not store.authorized(shop["shop_id"]):
            continue
        for _ in range(new_orders):
            store.add_order(shop, {"order_status": "READY_TO_SHIP"})
        mine = [o for o in store.orders.values() if o["_shop_id"] == shop["shop_id"]]
        movable = [o for o in mine if next_status(LIFECYCLES["shopee"], o["order_status"])]
        for order in pick(rng, movable):
            store.set_status(order, next_status(LIFECYCLES["shopee"], order["order_status"]))
        waiting = [o for o in mine if o["order_status"] == "READY_TO_SHIP"]
        if waiting and rng.random() < CANCEL_CHANCE:
            ask_to_cancel(shopee_control.buyer_cancel, state, {"sn": rng.choice(waiting)["order_sn"]})


def lazada_status(order: dict) -> str | None:
    """The status all its open items share (None when they differ or one waits on a cancel request)."""
    items = [item for item in order["_items"] if item["status"] != "canceled"]
    if not items or any(item["need_cancel_confirm"] or item["is_cancel_pending"] for item in items):
        return None
    statuses = {item["status"] for item in items}
    return statuses.pop() if len(statuses) == 1 else None


def play_lazada(state, rng: random.Random, new_orders: int) -> None:
    store, now = state.lazada, state.now()
    live = {t.seller_id for t in store.tokens.values() if not t.revoked and t.refresh_expire > now}
    for seller_id in live & set(store.sellers):
        for _ in range(new_orders):
            store.add_order(store.sellers[seller_id], {"status": "pending"})
        mine = [(o, lazada_status(o)) for o in store.by_seller.get(seller_id, [])]
        movable = [(o, s) for o, s in mine if s and next_status(LIFECYCLES["lazada"], s)]
        for order, status in pick(rng, movable):
            items = [item for item in order["_items"] if item["status"] == status]
            store.set_status(order, items, next_status(LIFECYCLES["lazada"], status))
        waiting = [o for o, s in mine if s == "pending"]
        if waiting and rng.random() < CANCEL_CHANCE:
            ask_to_cancel(lazada_control.buyer_cancel, state, {"id": str(rng.choice(waiting)["order_id"])})


def play_round(state, rng: random.Random) -> None:
    new_orders = state.autoplay["new_orders"]
    for play in (play_tiktok, play_shopee, play_lazada):
        play(state, rng, new_orders)
    state.autoplay["rounds"] += 1


def play_forever(state, tick: float = 0.05) -> threading.Thread:
    """The thread that plays a round whenever one is due, under the state's lock, until the server closes."""
    rng = random.Random()

    def run() -> None:
        while not state.stopping.wait(tick):
            with state.lock:
                switch_on = state.autoplay
                if not switch_on["every"] or time.monotonic() < switch_on["next"]:
                    continue
                switch_on["next"] = time.monotonic() + switch_on["every"]
                try:
                    state.settle()
                    play_round(state, rng)
                except Exception:  # a sandbox bug must not stop the play
                    traceback.print_exc()

    thread = threading.Thread(target=run, name="autoplay", daemon=True)
    thread.start()
    return thread
