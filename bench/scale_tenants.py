"""bench/scale.py's tenants: build the missing ones (scale_build's INSERTs, in one transaction
each), VACUUM ANALYZE them, and find the people the benchmark logs in as."""

import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm
from scale_build import (
    SIZES,
    catalogue,
    insert_buyers,
    insert_case_lines,
    insert_cases,
    insert_events,
    insert_order_items,
    insert_orders,
    insert_refunds,
    next_id,
    reset_sequences,
    run,
    scalar,
)

from accounts.models import Role, Tenant, User
from accounts.permissions import Perm
from channels.models import Store
from orders.selectors import ELIGIBLE_FOR_AFTERSALES

SCANNERS = 20  # warehouse users for the load test, in every tenant
SUB_STORES = 2  # the store-restricted sub-account sees the first two stores


@dataclass
class Scale:
    """One built tenant and the people the benchmark logs in as."""

    label: str
    n: int
    tenant: Tenant
    owner: User
    sub: User  # a sub-account restricted to SUB_STORES stores
    scanners: list[User]
    admin: User  # the platform superuser (one for all tenants)


def people(label: str, tenant: Tenant, stores: list[Store]) -> tuple[User, User, list[User]]:
    """The main account, a sub-account with every permission on SUB_STORES stores, and the scanners."""
    slug = f"scale-{label.lower()}"
    owner = User.objects.create_user(f"{slug}-owner", f"{slug}-owner@bench.local", tenant=tenant, is_owner=True)
    everything = Role.objects.create(tenant=tenant, name="Everything", perms=list(Perm.values))
    sub = User.objects.create_user(f"{slug}-sub", tenant=tenant, role=everything, all_stores=False)
    for store in stores[:SUB_STORES]:
        assign_perm("sales_channels.access_store", sub, store)
    warehouse = Role.objects.create(tenant=tenant, name="Warehouse", perms=[Perm.RETURN_STOCKIN])
    scanners = [
        User.objects.create_user(f"{slug}-scan-{i:02d}", tenant=tenant, role=warehouse) for i in range(SCANNERS)
    ]
    return owner, sub, scanners


def build(label: str, n: int, salt: int) -> None:
    """One tenant of n cases, all or nothing (one transaction: a re-run finds it whole or absent)."""
    started = time.perf_counter()
    with transaction.atomic():
        run("SET LOCAL work_mem = '256MB'")
        run("SET LOCAL synchronous_commit = off")
        run("SET LOCAL jit = off")  # compiling these big INSERTs took longer than running them
        tenant = Tenant.objects.create(name=f"Scale {label}")
        stores, main = catalogue(tenant)
        owner, _, _ = people(label, tenant, stores)
        insert_buyers(tenant, max(50, n // 10))
        p = {"t": tenant.pk, "n": n, "salt": salt, "now": timezone.now(), "owner": owner.pk, "wh": main.pk}
        p["store_ids"] = [s.pk for s in stores]
        p["channels"] = [s.channel for s in stores]
        p["currencies"] = [s.currency for s in stores]
        p["buyers"] = scalar("SELECT array_agg(id ORDER BY id) FROM orders_buyer WHERE tenant_id = %(t)s", p)
        p["n_buyers"] = len(p["buyers"])
        p["skus"] = scalar("SELECT array_agg(id ORDER BY code) FROM inventory_sku WHERE tenant_id = %(t)s", p)
        p["base_o"], p["base_i"], p["base_c"] = (
            next_id("orders_order"),
            next_id("orders_orderitem"),
            next_id("aftersales_case"),
        )
        # the rows are consistent by construction: no deferred foreign-key check queued per row (a
        # third of the time at commit). Triggers are off too: kept counts come from reconcile().
        run("SET LOCAL session_replication_role = replica")
        for step in (insert_orders, insert_order_items):
            step_started = time.perf_counter()
            rows = step(p)
            print(f"  {label}: {step.__name__} {rows:,} rows in {time.perf_counter() - step_started:.0f} s", flush=True)
        eligible = ", ".join(f"'{s}'" for s in ELIGIBLE_FOR_AFTERSALES)
        p["n_eligible"] = scalar(
            f"SELECT count(*) FROM orders_order WHERE tenant_id = %(t)s AND status IN ({eligible})", p
        )
        for step in (insert_cases, insert_case_lines, insert_events, insert_refunds):
            step_started = time.perf_counter()
            rows = step(p)
            print(f"  {label}: {step.__name__} {rows:,} rows in {time.perf_counter() - step_started:.0f} s", flush=True)
        run("SET LOCAL session_replication_role = origin")
        reset_sequences("orders_order", "orders_orderitem", "aftersales_case")
    print(f"built {label} in {time.perf_counter() - started:.0f} s", flush=True)


def platform_admin() -> User:
    admin = User.objects.filter(username="scale-admin").first()
    return admin or User.objects.create_superuser("scale-admin", "scale-admin@bench.local", tenant=None)


def ensure_built(labels: list[str], *, reconciled: bool = True) -> dict[str, Scale]:
    """Build the tenants that are missing (in SIZES order, so their numbers never collide) and VACUUM
    ANALYZE them, reconcile the kept counts; return every tenant asked for."""
    built = False
    for salt, (label, n) in enumerate(SIZES.items()):
        if label in labels and not Tenant.objects.filter(name=f"Scale {label}").exists():
            build(label, n, salt * 10_000_000)
            built = True
    admin = platform_admin()
    if built:
        started = time.perf_counter()
        with connection.cursor() as cursor:  # the visibility map too, as autovacuum leaves a live database
            cursor.execute("VACUUM (ANALYZE)")  # (else index-only scans read the heap for every row)
        print(f"VACUUM (ANALYZE) in {time.perf_counter() - started:.0f} s")
    if reconciled:
        reconcile()  # every run: tenants built before the kept counts existed get them too
    scales = {}
    for label in labels:
        tenant = Tenant.objects.get(name=f"Scale {label}")
        users = User.objects.filter(tenant=tenant).order_by("username")
        scanners = [u for u in users if "-scan-" in u.username]
        sub = next(u for u in users if u.username.endswith("-sub"))
        owner = next(u for u in users if u.is_owner)
        scales[label] = Scale(label, SIZES[label], tenant, owner, sub, scanners, admin)
    return scales


def reconcile() -> None:
    """Kept tab counts (another branch) are filled by their reconciliation command, when it exists."""
    from django.core.management import call_command, get_commands

    if "reconcile_counts" in get_commands():
        started = time.perf_counter()
        call_command("reconcile_counts")
        print(f"reconcile_counts in {time.perf_counter() - started:.0f} s")
