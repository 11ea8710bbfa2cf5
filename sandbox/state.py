"""The sandbox's whole state, in memory: a clock that tests can move, injected faults, call counts,
and one store per platform. One lock guards it all; the server holds it around every handler."""

import threading
import time
from collections import Counter

from sandbox import timed
from sandbox.lazada.store import LazadaStore
from sandbox.shopee.store import ShopeeStore
from sandbox.tiktok.store import TikTokStore
from sandbox.webhooks import Outbox


class State:
    def __init__(self):
        self.lock = threading.RLock()
        self.stopping = threading.Event()  # set when the server closes: the background threads end
        self.reset()

    def reset(self) -> None:
        self.offset = 0.0  # seconds added to the real clock ("make time pass")
        self.faults: list[dict] = []
        self.calls_by_path: Counter = Counter()
        self.calls_by_key: Counter = Counter()
        self.qps = 0  # calls a second per (app, shop, path); 0 = no limit (TikTok's real one is 50)
        self.windows: dict[tuple, list[int]] = {}  # (app, shop, path) -> [second, calls in it]
        self.outbox = Outbox(self.now)
        self.tiktok = TikTokStore(self.now, self.outbox)
        self.shopee = ShopeeStore(self.now, self.outbox)
        self.lazada = LazadaStore(self.now, self.outbox)
        self.autoplay = {"every": 0, "new_orders": 1, "rounds": 0, "next": 0.0}  # see sandbox/autoplay.py

    def now(self) -> int:
        """The marketplace's time in Unix seconds: token expiry and order times follow it."""
        return int(time.time() + self.offset)

    def settle(self) -> None:
        """Apply what the platforms do on their own by now (sandbox/timed.py); call under the lock."""
        timed.settle(self)

    def add_fault(self, fault: dict) -> None:
        self.faults.append({**fault, "left": int(fault.get("count", 1))})

    def take_fault(self, path: str) -> dict | None:
        """The first fault whose path prefix matches, used up one call at a time."""
        for fault in self.faults:
            if fault["left"] > 0 and path.startswith(fault.get("path") or "/"):
                fault["left"] -= 1
                return fault
        return None

    def over_limit(self, app: str, shop: str, path: str) -> bool:
        """True when this call is past the rate limit of its second (on the real clock)."""
        if not self.qps:
            return False
        second = int(time.time())
        window = self.windows.setdefault((app, shop, path), [second, 0])
        if window[0] != second:
            window[:] = [second, 0]
        window[1] += 1
        return window[1] > self.qps

    def record_call(self, path: str, idempotency_key: str | None) -> None:
        self.calls_by_path[path] += 1
        if idempotency_key:
            self.calls_by_key[idempotency_key] += 1
