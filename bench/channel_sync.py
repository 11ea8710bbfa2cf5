"""The order sync at 100,000 orders: the whole pull from the sandbox marketplace, our upsert step alone,
and PostgreSQL COPY of the same rows, in orders/s per worker (one process, one connection).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales_sync_bench \
        .venv/bin/python bench/channel_sync.py [ORDERS]

Drops and re-creates the database named in DATABASE_URL (it must be a bench database: its name holds
"bench"), migrates it, starts `python -m sandbox --port 0`, places ORDERS orders (2 lines each, 100
seller SKUs, each its own buyer) in one TikTok shop, connects a store by the authorization flow, then:

1. whole sync: `orders.sync.pull(store)` (walk + parse + upsert + commits), from an empty database;
2. walk alone: the same window walked by the adapter into PlatformOrder pages (kept in memory);
3. upsert alone: those pages upserted into a second store, one transaction per page, as the pull does;
4. COPY: the same rows by psycopg COPY into other stores, in one transaction: the orders table
   alone, then buyers + orders + items (every row the upsert writes but the kept-count deltas), ids
   drawn from the sequences first (as the upsert does).
"""

import json
import os
import sys
import threading
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales_sync_bench")
os.environ.setdefault("DEBUG", "False")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg import sql  # noqa: E402
from sandbox_walk import call, sandbox_process  # noqa: E402

from accounts.models import Tenant  # noqa: E402
from channels.adapters import adapter_for  # noqa: E402
from channels.models import Channel, Connection, Store  # noqa: E402
from inventory.models import SKU  # noqa: E402
from orders.bulk import reserve_ids  # noqa: E402
from orders.models import Buyer, Order, OrderItem  # noqa: E402
from orders.sync import page_committed, pull  # noqa: E402
from orders.upsert import money, shown_status, upsert  # noqa: E402

BATCH = 1_000  # orders placed per control call, each batch with its own seller SKUs
SKUS = 100


def fresh_database() -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql" or "bench" not in db["NAME"]:
        sys.exit("bench/channel_sync.py drops its database: set DATABASE_URL=postgres://.../<name with 'bench'>")
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db["NAME"])))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    call_command("migrate", verbosity=0)


def place(base: str, orders: int) -> dict:
    """The app of settings.CHANNEL_APIS, a shop, and ORDERS orders in it."""
    control = {"Content-Type": "application/json"}
    config = settings.CHANNEL_APIS["tiktok"]
    app = {key: config[key] for key in ("app_key", "app_secret", "service_id")}
    call(base, "POST", "/_control/tiktok/apps", body={**app, "redirect_uri": "http://x/cb"}, headers=control)
    shop = json.loads(call(base, "POST", "/_control/tiktok/shops", body={"region": "MY"}, headers=control)[1])
    started = time.perf_counter()
    for start in range(0, orders, BATCH):
        n = start // BATCH
        lines = [
            {"seller_sku": f"SKU-{n % SKUS:03}", "product_name": f"Product {n % SKUS}", "sale_price": "19.90"},
            {"seller_sku": f"SKU-{(n + 1) % SKUS:03}", "product_name": f"Product {(n + 1) % SKUS}"},
        ]
        body = {"shop_id": shop["id"], "count": min(BATCH, orders - start), "currency": "MYR", "line_items": lines}
        status, _, _ = call(base, "POST", "/_control/tiktok/orders", body=body, headers=control)
        assert status == 201, status
    print(f"sandbox: placed {orders:,} orders in {time.perf_counter() - started:.1f} s")
    return shop


def connect(base: str, shop: dict, tenant: Tenant, name: str) -> Store:
    form = {"service_id": settings.CHANNEL_APIS["tiktok"]["service_id"], "open_id": shop["open_id"]}
    location = call(base, "POST", "/open/authorize", body=urlencode({**form, "decision": "approve"}).encode())[2]
    code = location["Location"].split("code=")[1].split("&")[0]
    with adapter_for(Channel.TIKTOK) as adapter:
        tokens = adapter.exchange_code(code)
        (ours,) = [s for s in adapter.shops(tokens.access_token) if s.id == str(shop["id"])]
    store = Store.objects.create(tenant=tenant, channel=Channel.TIKTOK, name=name, currency="MYR", external_id=ours.id)
    Connection.objects.create(
        tenant=tenant,
        store=store,
        shop_cipher=ours.cipher,
        access_token=tokens.access_token,
        access_expires_at=tokens.access_expires_at,
        refresh_token=tokens.refresh_token,
        refresh_expires_at=tokens.refresh_expires_at,
    )
    return store


def walk(store: Store) -> list:
    from channels.connections import session

    since, until = datetime.fromtimestamp(1, tz=UTC), datetime.fromtimestamp(2**33, tz=UTC)
    with session(store) as link:
        return list(link.adapter.changed_orders(link.access_token, link.shop, since, until, page_size=100))


def copy_rows(store: Store, pages: list, *, all_tables: bool) -> None:
    """COPY the pages' orders (and with all_tables their buyers and items) into `store`, in one
    transaction; ids are reserved from the sequences up front."""
    orders = [seen for page in pages for seen in page]
    sku = dict(SKU.objects.filter(tenant_id=store.tenant_id).values_list("code", "pk"))
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        buyer_ids, order_ids = reserve_ids((Buyer, len(orders) if all_tables else 0), (Order, len(orders)))
        if all_tables:
            with raw.copy(
                "COPY orders_buyer (id, created_at, updated_at, tenant_id, name, email, phone, external_id) FROM STDIN"
            ) as copy:
                for n, seen in enumerate(orders):
                    b = seen.buyer
                    copy.write_row((buyer_ids[n], now, now, store.tenant_id, b.name, b.email, b.phone, b.user_id))
        columns = (
            "id, created_at, updated_at, tenant_id, store_id, number, buyer_id, status, platform_status, needs_review,"
            " currency, paid_amount, tracking_number, ordered_at, cancel_reason, is_manual"
        )
        with raw.copy(f"COPY orders_order ({columns}) FROM STDIN") as copy:
            for n, seen in enumerate(orders):
                shown, review = shown_status(store, seen)
                buyer = buyer_ids[n] if all_tables else None
                copy.write_row((
                    order_ids[n], now, now, store.tenant_id, store.pk, seen.id, buyer, seen.status or "new",
                    shown, review, seen.amounts.currency, money(seen.amounts.total), seen.tracking_number,
                    seen.created_at or now, "", False,
                ))  # fmt: skip
        if all_tables:
            with raw.copy(
                "COPY orders_orderitem (tenant_id, order_id, sku_id, quantity, cancelled_quantity, unit_price)"
                " FROM STDIN"
            ) as copy:
                for n, seen in enumerate(orders):
                    for line in seen.items:
                        price = money(line.sale_price)
                        copy.write_row((store.tenant_id, order_ids[n], sku[line.seller_sku], 1, 0, price))


def relaxed(write):
    """write() in a page transaction whose commit does not wait for the disk, as pull() writes pages."""

    def run(*args):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return write(*args)

    return run


class Analyzer:
    """ANALYZE the sync's tables every few seconds while a phase runs: what autovacuum does on a
    production server. This machine's PostgreSQL runs with autovacuum off, and a planner that still
    believes the new tables empty reads a store's every order to find a page's 100 (O(n^2))."""

    TABLES = "orders_order, orders_buyer, orders_orderitem, inventory_sku, core_countdelta"

    def __init__(self, every: float = 5.0):
        self.every, self.stop = every, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        db = settings.DATABASES["default"]
        params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
        with psycopg.connect(dbname=db["NAME"], autocommit=True, **params) as conn:
            while not self.stop.wait(self.every):
                conn.execute(f"ANALYZE {self.TABLES}")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


class Clock:
    """Wall time, and the CPU time of this process plus its PostgreSQL backend (read from /proc: the
    server is on this machine). On a shared machine the wall figure follows the load; the CPU figure
    does not: a worker and its backend take turns, so on an idle machine the wall time is about their
    CPU time added up (plus the disk). The sandbox's CPU is the platform's and is not counted."""

    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = cursor.fetchone()[0]

    def cpu(self) -> float:
        try:
            fields = Path(f"/proc/{self.backend}/stat").read_text().rsplit(")", 1)[1].split()
            backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            backend = 0.0
        return time.process_time() + backend

    def __enter__(self):
        self.wall, self.used = time.perf_counter(), self.cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.used = time.perf_counter() - self.wall, self.cpu() - self.used


def rate(count: int, clock: Clock) -> str:
    return (
        f"{count:,} orders in {clock.wall:.1f} s: {count / clock.wall:,.0f} orders/s wall; "
        f"{clock.used:.1f} CPU s (worker + its backend): {count / clock.used:,.0f} orders/s"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    fresh_database()
    with sandbox_process() as base:
        settings.CHANNEL_APIS["tiktok"] = {
            **settings.CHANNEL_APIS["tiktok"],
            "api_base": base,
            "auth_base": base,
            "authorize_url": base + "/open/authorize",
        }
        shop = place(base, count)
        tenant = Tenant.objects.create(name="Bench Seller")
        synced = connect(base, shop, tenant, "TikTok (pull)")

        with Analyzer(), Clock() as whole:
            pulled = pull(synced)
        assert pulled is not None and pulled.upserted.created == count, pulled
        print(f"whole sync (walk + upsert), pull(): {rate(count, whole)}")

        with Clock() as walked:
            pages = walk(synced)
        print(f"walk alone (adapter, {len(pages):,} pages): {rate(sum(map(len, pages)), walked)}")

        upserted = connect(base, shop, tenant, "TikTok (upsert)")
        skus: dict[str, int] = {}  # kept across pages, as pull() keeps it
        with Analyzer(), Clock() as alone:
            for page in pages:  # as pull() writes them: a transaction each, its commit not waiting for the disk
                page_committed(relaxed(partial(upsert, skus=skus)), upserted, page, "bench")
        assert Order.objects.filter(store=upserted).count() == count
        print(f"upsert alone (100 a page, a transaction each): {rate(count, alone)}")

        # COPY writes no kept-count deltas: these stores' tab counts are not kept (a bulk loader runs
        # reconcile_counts after it), which does not matter to the timing
        copied = connect(base, shop, tenant, "TikTok (COPY orders)")
        with Clock() as orders_only:
            copy_rows(copied, pages, all_tables=False)
        print(f"COPY, orders table only: {rate(count, orders_only)}")
        copied = connect(base, shop, tenant, "TikTok (COPY all)")
        with Clock() as copied_all:
            copy_rows(copied, pages, all_tables=True)
        items = OrderItem.objects.filter(order__store=copied).count()
        print(f"COPY, buyers + orders + items ({items:,} item rows): {rate(count, copied_all)}")
        print(
            f"upsert / COPY, wall: {orders_only.wall / alone.wall:.0%} (orders table), "
            f"{copied_all.wall / alone.wall:.0%} (buyers + orders + items); CPU: "
            f"{orders_only.used / alone.used:.0%}, {copied_all.used / alone.used:.0%}"
        )
        print(f"load average at the end: {', '.join(f'{n:.1f}' for n in os.getloadavg())}")


if __name__ == "__main__":
    main()
