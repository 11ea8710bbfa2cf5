"""The warehouse scan, step by step, and every search box, on case_pages.py's data (100,000 orders,
20,000 cases): milliseconds, SQL milliseconds and queries per step, the Python hot spots of a
parcel (cProfile), and EXPLAIN summaries of each search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales_bench .venv/bin/python bench/scan_path.py [--profile]

Loads the data through case_pages.py if it is missing. Each parcel is a Confirm Return case with a
return tracking number: scanned (`GET /stock/?q=`), its receive page opened, received (`POST`,
every item sellable) and the page the redirect leads to loaded; so every run receives PARCELS cases
of the database for good (there are ~800 waiting; drop the database to start again).
"""

import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

# isort: split
import case_pages  # sets up Django like order_list.py
import order_list

# isort: split
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.models import Case, CaseStatus
from aftersales.selectors import case_list
from aftersales.stock_in_selectors import returns_matching, returns_waiting
from inventory.selectors import receiving_warehouses
from orders.models import Order
from orders.selectors import order_list as orders_of
from refunds.models import RefundOrder
from refunds.selectors import refund_list

PARCELS = 20
STEPS = ("lookup", "receive page", "receive POST", "page after")


def scan_parcel(client: Client, case: Case, warehouse_id: int) -> dict[str, tuple[float, float, int, float]]:
    """One parcel, as a scanner does it: step -> (ms, SQL ms, queries, CPU ms). CPU ms is this
    process's own (the web worker's share), which other processes' load does not inflate."""
    lines = list(case.lines.filter(kind="returned").values_list("pk", "quantity"))
    data = {"warehouse": warehouse_id}
    for pk, quantity in lines:
        data[f"sellable_{pk}"], data[f"damaged_{pk}"] = quantity, 0
    receive = reverse("inventory:return-receive", args=[case.pk])
    steps = {
        "lookup": lambda: client.get(reverse("inventory:index"), {"q": case.return_tracking_number}),
        "receive page": lambda: client.get(receive),
        "receive POST": lambda: client.post(receive, data),
        "page after": lambda: client.get(reverse("inventory:index")),
    }
    figures = {}
    for name, step in steps.items():
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = step()
            ms, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
        expected = 302 if name == "receive POST" else 200
        if response.status_code != expected:
            raise RuntimeError(f"{name}: HTTP {response.status_code}")
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        figures[name] = (ms, sql_ms, len(queries), cpu)
    return figures


def search_rows(tenant) -> list[tuple[str, str]]:
    cases = Case.objects.for_tenant(tenant)
    case = cases.order_by("pk")[5_000]
    order = Order.objects.for_tenant(tenant).exclude(tracking_number="").order_by("pk")[50_000]
    refund = RefundOrder.objects.for_tenant(tenant).order_by("pk")[4_000]
    part = order.buyer.name.split()[-1][:5]

    def url(name: str, q: str) -> str:
        return reverse(name) + "?" + urlencode({"q": q})

    return [
        (f"GET /orders/?q={order.number} (number)", url("orders:index", order.number)),
        (f"GET /orders/?q={order.tracking_number} (tracking)", url("orders:index", order.tracking_number)),
        (f"GET /orders/?q={part} (part of a buyer's name)", url("orders:index", part)),
        (f"GET /after-sales/?q={case.number} (case)", url("aftersales:index", case.number)),
        (f"GET /after-sales/?q={part} (buyer)", url("aftersales:index", part)),
        (f"GET /refunds/?q={refund.case.number} (case)", url("refunds:index", refund.case.number)),
        (f"GET /refunds/?q={refund.number}", url("refunds:index", refund.number)),
        ("GET /stock/ (waiting for their parcel)", reverse("inventory:index")),
    ]


def explain_searches(tenant, owner) -> None:
    cases = Case.objects.for_tenant(tenant)
    order = Order.objects.for_tenant(tenant).exclude(tracking_number="").order_by("pk")[50_000]
    part = order.buyer.name.split()[-1][:5]
    refund = RefundOrder.objects.for_tenant(tenant).order_by("pk")[4_000]
    tracking = cases.exclude(return_tracking_number="").order_by("pk")[1_000].return_tracking_number
    page = order_list.PAGE_SIZE
    mine = {"tenant": tenant, "user": owner}
    plans = [
        (f"order search (number): order_list(q={order.number!r})", orders_of(**mine, params={"q": order.number})),
        (
            f"order search (tracking): order_list(q={order.tracking_number!r})",
            orders_of(**mine, params={"q": order.tracking_number}),
        ),
        (f"order search (buyer): order_list(q={part!r})", orders_of(**mine, params={"q": part})),
        (f"case search (buyer): case_list(q={part!r})", case_list(**mine, params={"q": part})),
        (
            f"refund search: refund_list(q={refund.case.number!r})",
            refund_list(**mine, params={"q": refund.case.number}),
        ),
        (f"scan: returns_matching(code={tracking!r})", returns_matching(**mine, code=tracking)),
        ("waiting list: returns_waiting()", returns_waiting(**mine)),
    ]
    for label, queryset in plans:
        case_pages.plan_summary(f"{label}[:{page}]", queryset[:page])


def main() -> None:
    order_list.ensure_database()
    call_command("migrate", verbosity=0)
    tenant, owner = order_list.load()
    case_pages.load_cases(tenant, owner)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client(SERVER_NAME="localhost")
    client.force_login(owner)
    warehouse = receiving_warehouses(tenant=tenant).order_by("pk").first()
    waiting = list(
        Case.objects.for_tenant(tenant)
        .filter(status=CaseStatus.CONFIRM_RETURN)
        .exclude(return_tracking_number="")
        .order_by("pk")[: PARCELS + 1]
    )
    if len(waiting) <= PARCELS:
        sys.exit("not enough cases waiting for their parcel left: drop the database and run again")
    scan_parcel(client, waiting[0], warehouse.pk)  # warm-up
    profile = cProfile.Profile() if "--profile" in sys.argv else None
    runs = []
    for case in waiting[1:]:
        if profile:
            profile.enable()
        runs.append(scan_parcel(client, case, warehouse.pk))
        if profile:
            profile.disable()

    print(f"\nthe scan, {PARCELS} parcels (medians; SQL ms: the part spent in the database)\n")
    print(f"{'step':<16} {'median ms':>10} {'SQL ms':>7} {'queries':>8} {'CPU ms':>7}")
    print("-" * 52)
    for step in STEPS:
        ms, sql, _, cpu = (statistics.median(run[step][i] for run in runs) for i in range(4))
        queries = max(run[step][2] for run in runs)
        print(f"{step:<16} {ms:>10.1f} {sql:>7.1f} {queries:>8} {cpu:>7.1f}")
    total, cpu = (statistics.median(sum(run[step][i] for step in STEPS) for run in runs) for i in (0, 3))
    print(f"{'a parcel':<16} {total:>10.1f} {'':>7} {'':>8} {cpu:>7.1f}")

    print(f"\nsearch boxes (median of {order_list.RUNS} runs after a warm-up)\n")
    rows = search_rows(tenant)
    width = max(len(label) for label, _ in rows) + 2
    print(f"{'measure':<{width}} {'median ms':>10} {'SQL ms':>7} {'queries':>8}")
    print("-" * (width + 28))
    for label, path in rows:
        sql_ms: list[float] = []
        ms, n = order_list.measure(case_pages.with_sql_time(order_list.get_page(client, path), sql_ms))
        print(f"{label:<{width}} {ms:>10.1f} {statistics.median(sql_ms[1:]):>7.1f} {n:>8}")

    print(f"\nEXPLAIN (ANALYZE, BUFFERS off): the first {case_pages.PLAN_LINES} lines of each plan")
    explain_searches(tenant, owner)

    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
        print(f"\ncProfile of {PARCELS} parcels, by cumulative time\n{out.getvalue()}")


if __name__ == "__main__":
    main()
