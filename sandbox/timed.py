"""What the platforms do on their own as sandbox time passes (the real clock or /_control/clock):
TikTok moves ON_HOLD orders on after the hold window, completes delivered orders and approves a
buyer's cancel request the seller left unanswered for 48 h; Shopee accepts an unanswered IN_CANCEL
and completes received orders; Lazada cancels items whose cancel_trigger_time has come. Each change
goes through the store's own set_status, so it is pushed as a manual move is.

The stores keep a heap of (due, ...) timers as orders enter a timed status; settle() pops what is due
and acts only when the order is still where the timer found it (`since` names that moment). It runs
under the state's lock before every request and on every tick of the webhook thread, so a change comes
by itself within ~50 ms of its time, and a request after a clock advance already sees it."""

import heapq

from sandbox.shopee.store import ON_ITS_OWN as SHOPEE_ON_ITS_OWN
from sandbox.tiktok import cancellations
from sandbox.tiktok.store import BUYER_CANCELLABLE
from sandbox.tiktok.store import ON_ITS_OWN as TIKTOK_ON_ITS_OWN


def due(timers: list[tuple], now: int):
    while timers and timers[0][0] <= now:
        yield heapq.heappop(timers)


def settle(state) -> None:
    now = state.now()
    settle_tiktok(state, now)
    settle_shopee(state, now)
    state.lazada.settle()


def settle_tiktok(state, now: int) -> None:
    store = state.tiktok
    for _, kind, key, since in due(store.timers, now):
        if kind == "order":
            order = store.orders.get(key)
            if order and order["_since"] == since and order["status"] in TIKTOK_ON_ITS_OWN:
                store.set_status(order, TIKTOK_ON_ITS_OWN[order["status"]][1])
            continue
        cancellation = store.cancellations.get(key)
        if cancellation is None or cancellation["cancel_status"] != cancellations.PENDING:
            continue
        order = store.orders[cancellation["order_id"]]
        if order["status"] not in BUYER_CANCELLABLE:
            continue  # packed or shipped meanwhile: no buyer cancel once AWAITING_COLLECTION (§1.5)
        cancellations.settle(state, cancellation, "CANCELLATION_REQUEST_COMPLETE")  # "TikTok auto-approves"
        store.set_status(order, "CANCELLED", initiator="BUYER", reason=cancellation["cancel_reason"])


def settle_shopee(state, now: int) -> None:
    store = state.shopee
    for _, order_sn, since in due(store.timers, now):
        order = store.orders.get(order_sn)
        if order is None or order["_since"] != since or order["order_status"] not in SHOPEE_ON_ITS_OWN:
            continue
        if order["order_status"] == "IN_CANCEL":
            order["cancel_by"] = "buyer"
        store.set_status(order, SHOPEE_ON_ITS_OWN[order["order_status"]][1])
