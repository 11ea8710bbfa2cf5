"""Webhooks pushed to the app's endpoint from a thread of their own, retried on the platform's
schedule on the sandbox clock (so a test makes the retries come by moving the clock). The platform
builds the body and headers; this module only delivers and keeps the log /_control/webhooks shows."""

import threading
import traceback
import urllib.error
import urllib.request


class Outbox:
    def __init__(self, now):
        self.now = now
        self.deliveries: list[dict] = []

    def push(self, url: str, body: bytes, headers: dict, retries: tuple[int, ...]) -> None:
        """retries: seconds after each failed attempt before the next (the platform's schedule)."""
        delivery = {"id": len(self.deliveries) + 1, "url": url, "body": body, "headers": headers}
        self.deliveries.append({**delivery, "retries": list(retries), "due": self.now(), "attempts": [], "done": False})

    def due(self) -> list[dict]:
        now = self.now()
        ready = [d for d in self.deliveries if not d["done"] and not d.get("sending") and d["due"] <= now]
        for delivery in ready:
            delivery["sending"] = True
        return ready

    def settle(self, delivery: dict, status: int) -> None:
        """200 (or 401: the receiver refused the signature, a final answer) ends it; else the next retry."""
        delivery["sending"] = False
        delivery["attempts"].append({"at": self.now(), "status": status})
        if status in (200, 401) or not delivery["retries"]:
            delivery["done"] = True
        else:
            delivery["due"] = self.now() + delivery["retries"].pop(0)

    def shown(self) -> list[dict]:
        return [
            {"id": d["id"], "url": d["url"], "body": d["body"].decode(), "headers": d["headers"]}
            | {"attempts": d["attempts"], "done": d["done"], "due": d["due"]}
            for d in self.deliveries
        ]


def send(delivery: dict) -> int:
    request = urllib.request.Request(delivery["url"], data=delivery["body"], method="POST", headers=delivery["headers"])
    try:
        with urllib.request.urlopen(request, timeout=3) as response:  # TikTok waits 3 s for the answer
            return response.status
    except urllib.error.HTTPError as answer:
        return answer.code
    except (OSError, ValueError):
        return 0  # no answer: refused, timed out, dropped, or a URL that is not one


def settle_in_time(state) -> None:
    """What the platforms do on their own comes by itself, not only at the next request."""
    try:
        state.settle()
    except Exception:  # a sandbox bug must not stop the deliveries
        traceback.print_exc()


def deliver_forever(state, every: float = 0.05) -> threading.Thread:
    """Start the thread that sends what is due, outside the state's lock, until the server closes."""

    def run() -> None:
        while not state.stopping.is_set():
            with state.lock:
                settle_in_time(state)
                ready = state.outbox.due()
                outbox = state.outbox
            for delivery in ready:
                status = send(delivery)
                with state.lock:
                    outbox.settle(delivery, status)
            state.stopping.wait(every)

    thread = threading.Thread(target=run, name="webhooks", daemon=True)
    thread.start()
    return thread
