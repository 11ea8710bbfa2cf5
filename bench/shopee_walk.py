"""How fast the Shopee adapter (channels.adapters.shopee) walks an update-time span of the sandbox
marketplace: get_order_list pages of 100 by cursor, each followed by get_order_detail 50 at a time,
parsed into PlatformOrder values.

    python bench/shopee_walk.py [ORDERS=20000]

Starts `python -m sandbox --port 0`, places ORDERS orders in one shop, connects by the authorization
flow (our signed auth link, the code exchanged by the adapter), walks the last day once and prints
orders/s. No database.
"""

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import django  # noqa: E402
from sandbox_walk import sandbox_process  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from channels.adapters.shopee import ShopeeAdapter  # noqa: E402
from tests.sandbox_fixtures import Sandbox, shopee_authorize  # noqa: E402

PARTNER, KEY = 2001887, "bench-partner-key"


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with sandbox_process() as base:
        sandbox = Sandbox(base)
        sandbox.control("POST", "shopee/partners", {"partner_id": PARTNER, "partner_key": KEY})
        shop = sandbox.control("POST", "shopee/shops", {"shop_name": "Bench"})
        for start in range(0, orders, 5000):
            sandbox.control("POST", "shopee/orders", {"shop_id": shop["shop_id"], "count": min(5000, orders - start)})
        with ShopeeAdapter(partner_id=PARTNER, partner_key=KEY, api_base=base) as adapter:
            back = shopee_authorize(sandbox, adapter.authorize_url("http://bench.test/cb", "s"), shop["shop_id"])
            tokens = adapter.exchange_code(back["code"], shop_id=back["shop_id"])
            (ours,) = adapter.shops(tokens.access_token)
            now = datetime.now(UTC)
            started, seen, pages = time.perf_counter(), 0, 0
            for page in adapter.changed_orders(
                tokens.access_token, ours, now - timedelta(days=1), now + timedelta(hours=1), 100
            ):
                seen, pages = seen + len(page), pages + 1
            seconds = time.perf_counter() - started
    print(f"Shopee adapter: {seen:,} orders in {pages:,} pages, {seconds:.1f} s, {seen / seconds:,.0f} orders/s")


if __name__ == "__main__":
    main()
