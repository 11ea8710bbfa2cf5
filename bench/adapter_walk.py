"""How fast the TikTok adapter (channels.adapters.tiktok) walks an update-time window of the sandbox
marketplace, parsed into PlatformOrder values, next to the same walk by bare urllib
(bench/sandbox_walk.py), so a sync benchmark knows what the adapter adds.

    python bench/adapter_walk.py [ORDERS=20000]

Starts `python -m sandbox --port 0`, places ORDERS orders in one shop, connects an app by the
authorization flow, then walks the window once with the adapter (page_size 100, one httpx client,
connections kept open) and prints orders/s. No database.
"""

import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import django  # noqa: E402
from sandbox_walk import connect, sandbox_process, walk  # noqa: E402

# channels.platforms names channels.models; the adapter needs the apps loaded, not a database
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from channels.adapters.base import Shop  # noqa: E402
from channels.adapters.tiktok import TikTokAdapter  # noqa: E402


def adapter_walk(base: str, app: dict, shop: dict, token: str) -> tuple[int, int, float]:
    started, seen, pages = time.perf_counter(), 0, 0
    since, until = datetime.fromtimestamp(1, tz=UTC), datetime.fromtimestamp(2**33, tz=UTC)
    target = Shop(id=shop["id"], name="", region="", cipher=shop["cipher"])
    with TikTokAdapter(app_key=app["app_key"], app_secret=app["app_secret"], api_base=base, auth_base=base) as client:
        for page in client.changed_orders(token, target, since, until, page_size=100):
            seen, pages = seen + len(page), pages + 1
    return seen, pages, time.perf_counter() - started


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with sandbox_process() as base:
        app, shop, token = connect(base, orders)
        window = {"update_time_ge": 1, "update_time_lt": 2**33}
        sort = {"sort_field": "update_time", "sort_order": "ASC"}
        for name, run in (
            ("urllib, raw JSON", lambda: walk(base, app, shop, token, sort, window)),
            ("adapter (httpx, parsed)", lambda: adapter_walk(base, app, shop, token)),
        ):
            seen, pages, seconds = run()
            print(f"{name}: {seen:,} orders in {pages:,} pages, {seconds:.1f} s, {seen / seconds:,.0f} orders/s")


if __name__ == "__main__":
    main()
