"""Order list benchmark: 100,000 orders for one tenant, then time the list pages and the tab counts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales_bench .venv/bin/python bench/order_list.py

Creates the database if it is missing, migrates it, loads the orders once (later runs find them
and skip the load), runs ANALYZE, then prints median milliseconds and SQL query counts. See
bench/README.md.
"""

import logging
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales_bench")
os.environ.setdefault("DEBUG", "False")  # time templates and queries as production runs them

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here, no matter

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg import sql  # noqa: E402

from accounts.models import Tenant, User  # noqa: E402
from channels.models import Channel, Store  # noqa: E402
from inventory.models import SKU, Warehouse  # noqa: E402
from orders.models import Buyer, Order, OrderItem, OrderStatus  # noqa: E402
from orders.selectors import order_list, order_tab_counts  # noqa: E402

N_ORDERS = 100_000
BATCH = 5_000
RUNS = 5
PAGE_SIZE = 50  # orders.views.PAGE_SIZE; read from there when the view module has it
TENANT = "Bench Seller"

STORES = [  # name, channel, currency, share of the orders
    ("Shopee MY", Channel.SHOPEE, "MYR", 35),
    ("Lazada MY", Channel.LAZADA, "MYR", 25),
    ("TikTok Shop ID", Channel.TIKTOK, "IDR", 20),
    ("Shopify", Channel.SHOPIFY, "USD", 8),
    ("WooCommerce", Channel.WOOCOMMERCE, "MYR", 7),
    ("Offline", Channel.OFFLINE, "MYR", 5),
]
STATUS_MIX = {  # share of a busy seller's order history, in per mille
    OrderStatus.WAITING_APPROVAL: 5,
    OrderStatus.NEW: 60,
    OrderStatus.IN_PROCESS: 40,
    OrderStatus.TO_PICKUP: 25,
    OrderStatus.SHIPPED: 70,
    OrderStatus.COMPLETED: 720,
    OrderStatus.CANCELLED: 80,
}
PLATFORM_STATUS = {
    OrderStatus.WAITING_APPROVAL: "pending",
    OrderStatus.NEW: "To Process",
    OrderStatus.IN_PROCESS: "Processed",
    OrderStatus.TO_PICKUP: "Ready to Ship",
    OrderStatus.SHIPPED: "Shipped",
    OrderStatus.COMPLETED: "Completed",
    OrderStatus.CANCELLED: "Cancelled",
}


def order_number(channel: str, k: int) -> str:
    """The k-th order number of a store, in its platform's format; distinct for every k."""
    scrambled = k * 7_919_311 + 1_234_567  # 7,919,311 is prime to 10: k -> digits is one-to-one
    return {
        Channel.SHOPEE: lambda: f"2611{scrambled % 10**10:010d}",
        Channel.LAZADA: lambda: str(3 * 10**14 + scrambled % 10**14),
        Channel.TIKTOK: lambda: f"57{scrambled % 10**16:016d}",
        Channel.SHOPIFY: lambda: f"#{1001 + k}",
        Channel.WOOCOMMERCE: lambda: str(10_000 + k),
    }.get(channel, lambda: f"OFF-{100 + k}")()


def ensure_database() -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("bench/order_list.py measures PostgreSQL: set DATABASE_URL=postgres://...")
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"created database {db['NAME']}")


def load() -> tuple[Tenant, User]:
    tenant, _ = Tenant.objects.get_or_create(name=TENANT)
    owner = User.objects.filter(tenant=tenant, is_owner=True).first()
    if owner is None:
        owner = User.objects.create_user(
            username="bench-owner", email="bench-owner@bench.local", tenant=tenant, is_owner=True
        )
    existing = Order.objects.for_tenant(tenant).count()
    if existing >= N_ORDERS:
        print(f"{existing:,} orders already loaded")
        return tenant, owner
    if existing:
        sys.exit(f"{existing:,} orders found, expected 0 or {N_ORDERS:,}: drop the database and run again")
    started = time.perf_counter()
    rng = random.Random(42)
    with transaction.atomic():  # all or nothing, so a re-run finds either no orders or all of them
        stores = [
            Store.objects.get_or_create(tenant=tenant, name=name, defaults={"channel": channel, "currency": currency})[
                0
            ]
            for name, channel, currency, _ in STORES
        ]
        warehouse, _ = Warehouse.objects.get_or_create(tenant=tenant, code="WH-1", defaults={"name": "Main"})
        skus = SKU.objects.bulk_create(
            [
                SKU(tenant=tenant, code=f"SKU-{i:04d}", name=f"Product {i}", wholesale_price=Decimal(5 + i % 60))
                for i in range(200)
            ]
        )
        buyers = Buyer.objects.bulk_create([Buyer(tenant=tenant, name=f"Buyer {i:05d}") for i in range(5_000)])
        now = timezone.now()
        statuses = list(STATUS_MIX)
        status_weights = list(STATUS_MIX.values())
        store_weights = [share for *_, share in STORES]
        per_store = [0] * len(stores)
        for start in range(0, N_ORDERS, BATCH):
            orders, lines = [], []
            for _ in range(min(BATCH, N_ORDERS - start)):
                s = rng.choices(range(len(stores)), weights=store_weights)[0]
                store, k = stores[s], per_store[s]
                per_store[s] += 1
                status = rng.choices(statuses, weights=status_weights)[0]
                sku, quantity = rng.choice(skus), rng.randint(1, 3)
                price = sku.wholesale_price * 2
                shipped = status in (OrderStatus.SHIPPED, OrderStatus.COMPLETED)
                ordered_at = now - timedelta(seconds=rng.randrange(365 * 86_400))
                orders.append(
                    Order(
                        tenant=tenant,
                        store=store,
                        number=order_number(store.channel, k),
                        buyer=rng.choice(buyers),
                        status=status,
                        platform_status=PLATFORM_STATUS[status],
                        currency=store.currency,
                        paid_amount=price * quantity,
                        warehouse=warehouse,
                        tracking_number=f"TRK{start + len(orders):09d}" if shipped else "",
                        ordered_at=ordered_at,
                        shipped_at=ordered_at + timedelta(days=1) if shipped else None,
                        is_manual=store.channel == Channel.OFFLINE,
                    )
                )
                lines.append((sku, quantity, price))
            Order.objects.bulk_create(orders)
            OrderItem.objects.bulk_create(
                [
                    OrderItem(tenant=tenant, order=order, sku=sku, quantity=quantity, unit_price=price)
                    for order, (sku, quantity, price) in zip(orders, lines, strict=True)
                ]
            )
            print(f"\r  loaded {start + len(orders):,} orders", end="", flush=True)
    print(f"\nloaded {N_ORDERS:,} orders in {time.perf_counter() - started:.1f} s")
    return tenant, owner


def measure(fn: Callable[[], object]) -> tuple[float, int]:
    """Median milliseconds and SQL query count over RUNS runs, after one warm-up run."""
    fn()
    timings, counts = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            fn()
            timings.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries))
    return statistics.median(timings), max(counts)


def get_page(client: Client, url: str) -> Callable[[], object]:
    def fn():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")
        return response

    return fn


def main() -> None:
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a failing view is one table row, not a traceback
    ensure_database()
    call_command("migrate", verbosity=0)
    tenant, owner = load()
    call_command("reconcile_counts")  # bulk_create records no kept counts: they start from a GROUP BY
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    counts = order_tab_counts(order_list(tenant=tenant, user=owner))
    try:
        from orders.views import PAGE_SIZE as page_size
    except ImportError:
        page_size = PAGE_SIZE
    from core import paging

    # the tab's last page: ?page=last with keyset pages, else its number (the largest OFFSET)
    keyset = getattr(paging, "LAST", None)
    new_page = keyset or max(1, -(-counts["new"] // page_size))
    completed_page = keyset or max(1, -(-counts["completed"] // page_size))
    number = Order.objects.for_tenant(tenant).order_by("pk").values_list("number", flat=True)[N_ORDERS // 2]

    client = Client(SERVER_NAME="localhost")
    client.force_login(owner)
    rows: list[tuple[str, Callable[[], object] | None]] = [
        ("tab counts: order_tab_counts()", lambda: order_tab_counts(order_list(tenant=tenant, user=owner))),
    ]
    try:
        index = reverse("orders:index")
    except NoReverseMatch:
        index = None
    pages = [
        ("GET /orders/ (first page)", ""),
        (f"GET ?tab=new&page={new_page} (last)", f"?tab=new&page={new_page}"),
        (f"GET ?tab=completed&page={completed_page} (last)", f"?tab=completed&page={completed_page}"),
        (f"GET ?q={number}", "?" + urlencode({"q": number})),
    ]
    for label, query in pages:
        rows.append((label, get_page(client, index + query) if index else None))

    print(f"\n{N_ORDERS:,} orders, tabs: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"median of {RUNS} runs after a warm-up, {page_size} orders per page\n")
    print(f"{'measure':<44} {'median ms':>10} {'queries':>8}")
    print("-" * 64)
    for label, fn in rows:
        if fn is None:
            print(f"{label:<44} {'view not available':>19}")
            continue
        try:
            ms, n = measure(fn)
        except Exception as error:  # the view is being written by someone else: report, don't stop
            print(f"{label:<44} view not available ({type(error).__name__}: {str(error)[:60]})")
            continue
        print(f"{label:<44} {ms:>10.1f} {n:>8}")


if __name__ == "__main__":
    main()
