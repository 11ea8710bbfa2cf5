"""The platform operator's admin on a big database: each big table's changelist (first page, a
deep page, a filter, a search by a whole number) and one change page, timed as a superuser.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales_bench .venv/bin/python bench/admin_pages.py

Reads whatever rows the database holds (bench/order_list.py and bench/case_pages.py load them; any
bigger set works the same) and loads nothing but a superuser `bench-admin`. Prints, for each page,
the median milliseconds of 5 runs after a warm-up, the SQL query count, and the slowest query's
EXPLAIN ANALYZE summary. The goal (issue 10): every changelist under a second.
"""

import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales_bench")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # django.test.Client's host

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from aftersales.models import Case  # noqa: E402
from orders.models import Order  # noqa: E402
from refunds.models import RefundOrder  # noqa: E402

RUNS = 5


def timed(client: Client, url: str) -> tuple[float, int, str]:
    """(median ms, queries, the slowest query's SQL) of GET url."""
    client.get(url)
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))
    return statistics.median(times), len(captured), slowest["sql"]


def plan_summary(sql: str) -> str:
    if not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    scans = sorted(set(re.findall(r"Seq Scan on (\w+)", "\n".join(lines))))
    total = next((line for line in lines if line.startswith("Execution Time")), "")
    return f"seq scans: {', '.join(scans) or 'none'}; {total}"


def rarest_status(row) -> str:
    """The status fewest rows are in: its filter walks the most rows to fill a page."""
    counts = type(row).objects.order_by().values("status").annotate(n=Count("pk")).order_by("n")
    return counts.first()["status"]


def pages() -> list[tuple[str, str]]:
    case = Case.objects.order_by("pk").first()
    order = Order.objects.order_by("pk").first()
    refund = RefundOrder.objects.order_by("pk").first()
    rows = []
    for model, row, number in (
        ("aftersales_case", case, "number"),
        ("orders_order", order, "number"),
        ("refunds_refundorder", refund, "number"),
    ):
        if row is None:
            continue
        try:
            changelist = reverse(f"admin:{model}_changelist")
        except NoReverseMatch:  # no admin for it (before issue 10, orders had none)
            continue
        rows += [
            (f"{model} first page", changelist),
            (f"{model} page 1000", f"{changelist}?p=1000"),
            (f"{model} one tenant", f"{changelist}?tenant__id__exact={row.tenant_id}"),
            (f"{model} rarest status", f"{changelist}?status__exact={rarest_status(row)}"),
            (f"{model} search", f"{changelist}?q={getattr(row, number)}"),
            (f"{model} change page", reverse(f"admin:{model}_change", args=[row.pk])),
        ]
    if case is not None:
        rows.append(
            (
                "aftersales_case search by order number",
                f"{reverse('admin:aftersales_case_changelist')}?q={case.order.number}",
            )
        )
    for model in ("orders_buyer", "inventory_stockmovement", "accounts_accountevent", "sales_channels_outboundaction"):
        rows.append((f"{model} first page", f"admin:{model}_changelist"))
    return rows


def main() -> None:
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "bench-admin@example.test", "bench-admin-pass"
    )
    client = Client()
    client.force_login(admin)
    counts = {
        label: model.objects.count() for label, model in (("cases", Case), ("orders", Order), ("refunds", RefundOrder))
    }
    print("rows:", ", ".join(f"{n:,} {label}" for label, n in counts.items()))
    print(f"median of {RUNS} runs after a warm-up\n")
    print(f"{'page':48} {'ms':>8} {'queries':>8}  slowest query")
    for label, url in pages():
        if url.startswith("admin:"):
            try:
                url = reverse(url)
            except NoReverseMatch:
                continue
        ms, queries, sql = timed(client, url)
        print(f"{label:48} {ms:8.1f} {queries:8d}  {plan_summary(sql)}")


if __name__ == "__main__":
    main()
