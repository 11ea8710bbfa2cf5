"""How fast the sandbox marketplace serves a full order walk (TikTok Shop search, page_size 100,
page_token), so a sync benchmark knows what part of its figure is the sandbox's.

    python bench/sandbox_walk.py [ORDERS=100000]

Starts `python -m sandbox --port 0` as its own process, places ORDERS orders in one shop through the
control API, connects an app by the authorization flow, then walks every order twice (no filter, then
an update-time window sorted by update_time ASC) from one client thread and prints orders/s.
Standard library only; no database.
"""

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.tiktok.signing import sign  # noqa: E402  (the bench is a client; it signs as TikTok's recipe says)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def call(base: str, method: str, path: str, query=None, body=None, headers=None):
    url = base + path + ("?" + urlencode(query) if query else "")
    data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read(), answer.headers


def connect(base: str, orders: int) -> tuple[dict, dict, str]:
    control = {"Content-Type": "application/json"}
    app = {"app_key": "bench", "app_secret": "bench-secret", "service_id": "1", "redirect_uri": "http://x/cb"}
    call(base, "POST", "/_control/tiktok/apps", body=app, headers=control)
    shop = json.loads(call(base, "POST", "/_control/tiktok/shops", body={}, headers=control)[1])
    started = time.perf_counter()
    call(base, "POST", "/_control/tiktok/orders", body={"shop_id": shop["id"], "count": orders}, headers=control)
    print(f"placed {orders:,} orders in {time.perf_counter() - started:.1f} s")
    form = {"service_id": "1", "open_id": shop["open_id"], "decision": "approve"}
    location = call(base, "POST", "/open/authorize", body=urlencode(form).encode())[2]["Location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    grant = {**app, "auth_code": code, "grant_type": "authorized_code"}
    grant.pop("service_id"), grant.pop("redirect_uri")
    token = json.loads(call(base, "GET", "/api/v2/token/get", grant)[1])["data"]["access_token"]
    return app, shop, token


def walk(base: str, app: dict, shop: dict, token: str, sort: dict, body: dict) -> tuple[int, int, float]:
    path, raw = "/order/202309/orders/search", json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "x-tts-access-token": token}
    seen, pages, page_token, started = 0, 0, "", time.perf_counter()
    while True:
        query = {"app_key": app["app_key"], "timestamp": str(int(time.time())), "shop_cipher": shop["cipher"]}
        query |= {"page_size": "100", **sort, **({"page_token": page_token} if page_token else {})}
        query["sign"] = sign(app["app_secret"], path, query, raw, "application/json")
        data = json.loads(call(base, "POST", path, query, raw, headers)[1])["data"]
        seen, pages, page_token = seen + len(data["orders"]), pages + 1, data["next_page_token"]
        if not page_token:
            return seen, pages, time.perf_counter() - started


@contextmanager
def sandbox_process() -> Iterator[str]:
    """A sandbox on a free port, as its own process: yields its base URL, stops it after."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        yield "http://127.0.0.1:" + re.search(r":(\d+)", process.stdout.readline()).group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with sandbox_process() as base:
        app, shop, token = connect(base, orders)
        for name, sort, body in (
            ("no filter, create_time DESC", {}, {}),
            (
                "update-time window, update_time ASC",
                {"sort_field": "update_time", "sort_order": "ASC"},
                {"update_time_ge": 1, "update_time_lt": 2**33},
            ),
        ):
            seen, pages, seconds = walk(base, app, shop, token, sort, body)
            print(f"{name}: {seen:,} orders in {pages:,} pages, {seconds:.1f} s, {seen / seconds:,.0f} orders/s")


if __name__ == "__main__":
    main()
