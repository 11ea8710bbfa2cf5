"""Kept tab counts at a million cases: the tab strip read from the ledger beside the GROUP BY it
replaces, the reconcile that checks it, and the refund store backfill.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales_counts_bench .venv/bin/python bench/kept_counts.py

Creates and migrates the database, loads once (SQL generate_series: a minute, not hours) one tenant
with 6 stores, 1,000,000 cases and 700,000 refund orders, runs `reconcile_counts` (which starts the
kept counts from a GROUP BY, as the bench loader must after its bulk inserts), ANALYZE, then prints
median milliseconds and query counts.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/order_list.py
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales_counts_bench")

# isort: split
# order_list sets DJANGO_SETTINGS_MODULE=config.settings.base, DEBUG=False, then django.setup()
from order_list import ensure_database

# isort: split
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import Tenant, User
from aftersales.models import Case
from aftersales.selectors import CASE_TABS, case_list, case_qs, case_tab_counts
from channels.models import Channel, Store
from channels.permissions import ACCESS_STORE
from core.counts import reconcile
from core.tabs import status_tab_counts
from orders.models import Order
from refunds.selectors import REFUND_TABS, refund_qs, refund_tab_counts

N_CASES = 1_000_000
N_REFUNDS = 700_000
RUNS = 15
STATUSES = [s for s in CASE_TABS if s != "all"]  # case g gets STATUSES[g % 8]: every tab full
REFUND_STATUSES = ["processing", "confirmed", "rejected"]


def load() -> tuple[User, User]:
    tenant, _ = Tenant.objects.get_or_create(name="Kept Counts Bench")
    owner = User.objects.filter(tenant=tenant, is_owner=True).first() or User.objects.create_user(
        username="kept-owner", email="kept-owner@bench.local", tenant=tenant, is_owner=True
    )
    clerk = User.objects.filter(tenant=tenant, is_owner=False).first()
    if Case.objects.for_tenant(tenant).exists():
        return owner, clerk
    started = time.perf_counter()
    with transaction.atomic():
        stores = [
            Store.objects.create(tenant=tenant, name=f"Store {i}", channel=Channel.SHOPEE, currency="MYR")
            for i in range(6)
        ]
        now = timezone.now()
        orders = [
            Order.objects.create(tenant=tenant, store=store, number=f"O{i}", currency="MYR", ordered_at=now)
            for i, store in enumerate(stores)
        ]
        clerk = User.objects.create_user(username="kept-clerk", email="kept-clerk@bench.local", tenant=tenant)
        clerk.all_stores = False
        clerk.save(update_fields=["all_stores"])
        assign_perm(ACCESS_STORE, clerk, stores[0])
        with connection.cursor() as cursor:
            _insert_rows(cursor, tenant, stores, orders)
    print(f"loaded {N_CASES:,} cases and {N_REFUNDS:,} refund orders in {time.perf_counter() - started:.0f} s")
    return owner, clerk


def _insert_rows(cursor, tenant, stores, orders) -> None:
    """Bulk SQL, as the bench loader writes: save() is bypassed, so no count is kept for these rows."""
    store_ids = [s.pk for s in stores]
    order_ids = [o.pk for o in orders]
    cursor.execute(
        """
        INSERT INTO aftersales_case (created_at, updated_at, number, type, source, status, reason, notes,
            return_tracking_number, currency, returned_total, exchange_total, cancel_reason, order_id,
            store_id, tenant_id, over_refund_note)
        SELECT now() - g * interval '30 seconds', now(), 'AS' || g, 'return_refund', 'manual',
            (%s::text[])[1 + g %% 8], '', '', '', 'MYR', 10, 0, '', (%s::bigint[])[1 + g %% 6],
            (%s::bigint[])[1 + g %% 6], %s, ''
        FROM generate_series(1, %s) g
        """,
        [STATUSES, order_ids, store_ids, tenant.pk, N_CASES],
    )
    cursor.execute(
        """
        INSERT INTO refunds_refundorder (created_at, updated_at, number, amount, currency, method,
            payment_info, proof, note, status, reject_reason, case_id, tenant_id, store_id)
        SELECT c.created_at, now(), 'RF' || c.id, 10, 'MYR', 'cash', '', '', '',
            (%s::text[])[1 + c.id %% 3], '', c.id, c.tenant_id, c.store_id
        FROM aftersales_case c WHERE c.tenant_id = %s ORDER BY c.id LIMIT %s
        """,
        [REFUND_STATUSES, tenant.pk, N_REFUNDS],
    )


def measure(label: str, fn) -> None:
    fn()
    timings, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            timings.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
    spread = f"{min(timings):.1f}-{max(timings):.1f}"
    print(f"{label:<58} {statistics.median(timings):>9.1f} ms  ({spread})  {queries} queries")


def timed(label: str, fn) -> None:
    started = time.perf_counter()
    fn()
    print(f"{label:<58} {(time.perf_counter() - started) * 1000:>9.0f} ms  (once)")


def backfill_refund_stores() -> None:
    """refunds/migrations/0003's UPDATE on every refund order, rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE refunds_refundorder r SET store_id = "
            "(SELECT c.store_id FROM aftersales_case c WHERE c.id = r.case_id LIMIT 1)"
        )
        transaction.set_rollback(True)


def main() -> None:
    ensure_database()
    call_command("migrate", verbosity=0)
    owner, clerk = load()
    timed("reconcile_counts (GROUP BY every counted table, compact)", reconcile)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    tenant = owner.tenant
    print(f"\n{'1,000,000 cases, 700,000 refund orders, one tenant':<58} {'median':>12}  (spread)  queries")
    measure(
        "case strip, live GROUP BY (before)", lambda: status_tab_counts(case_qs(tenant=tenant, user=owner), CASE_TABS)
    )
    measure(
        "case strip, kept: case_tab_counts(case_list())", lambda: case_tab_counts(case_list(tenant=tenant, user=owner))
    )
    measure(
        "case strip, kept, store-restricted sub-account", lambda: case_tab_counts(case_list(tenant=tenant, user=clerk))
    )
    measure(
        "case strip, store filter -> kept",
        lambda: case_tab_counts(case_list(tenant=tenant, user=owner, params={"store": str(clerk_store(clerk))})),
    )
    measure(
        "refund strip, live GROUP BY (before: case__in join)",
        lambda: status_tab_counts(refund_scoped_by_case(tenant, clerk), REFUND_TABS),
    )
    measure(
        "refund strip, live GROUP BY on refund.store",
        lambda: status_tab_counts(refund_qs(tenant=tenant, user=clerk), REFUND_TABS),
    )
    measure("refund strip, kept: refund_tab_counts()", lambda: refund_tab_counts(tenant=tenant, user=owner))
    measure("refund strip, kept, store-restricted sub-account", lambda: refund_tab_counts(tenant=tenant, user=clerk))
    timed("reconcile_counts --compact-only (ledger only)", lambda: reconcile(check=False))
    timed("reconcile_counts (check: GROUP BY, one snapshot)", reconcile)
    timed("refund store backfill UPDATE, 700,000 rows (rolled back)", backfill_refund_stores)


def clerk_store(clerk: User) -> int:
    return Store.objects.visible_to(clerk).values_list("pk", flat=True).get()


def refund_scoped_by_case(tenant, user):
    from refunds.models import RefundOrder

    return RefundOrder.objects.for_tenant(tenant).filter(case__in=case_qs(tenant=tenant, user=user).values("pk"))


if __name__ == "__main__":
    main()
