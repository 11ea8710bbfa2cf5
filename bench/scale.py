"""Scale benchmark (issue 10): 1k, 100k and 1M tenants, each page timed beside the Django admin
changelist and a bare psycopg floor, a scan load test under gunicorn, and a worker's peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales_scale .venv/bin/python bench/scale.py

See bench/README.md, "scale.py".
"""

import argparse
import logging
import os
import resource
import secrets
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/*.py, also under `python -m`
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aftersales_scale")
# one key for this process and the gunicorn of the load test: the sessions made here log its scanners in
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))

# isort: split
# order_list sets DJANGO_SETTINGS_MODULE=config.settings.base, DEBUG=False, then django.setup()
import order_list

# isort: split
import case_pages
import scale_build
import scale_load
import scale_measure
import scale_pages
import scale_tenants
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.models import Warehouse

settings.ROOT_URLCONF = "scale_stock_admin"  # the app, and the stock admin beside the tuned one


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(scale_build.SIZES), help="e.g. 1k,1M")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per page and size")
    parser.add_argument("--only", default="", help="only the pages whose name holds this")
    parser.add_argument("--no-load-test", action="store_true")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest pages at the largest size")
    parser.add_argument("--build-only", action="store_true", help="build the missing tenants and stop")
    parser.add_argument("--rss", action="store_true", help=argparse.SUPPRESS)  # the memory probe's child
    return parser.parse_args()


def explain(found: dict, results: scale_measure.Results, names: list[str], label: str, top: int = 5) -> None:
    """EXPLAIN ANALYZE of the slowest query of the `top` slowest pages at size `label`."""
    timed = [(results.median((name, label, "ours")), name) for name in names]
    slowest = sorted(((ms, name) for ms, name in timed if ms), reverse=True)[:top]
    print(f"\nEXPLAIN (ANALYZE, BUFFERS off) at {label}: the slowest query of the {top} slowest pages")
    for ms, name in slowest:
        with CaptureQueriesContext(connection) as queries:
            found[(name, label, "ours")]()
        query = max(queries.captured_queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS off) " + query["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        share = float(query["time"]) * 1000
        case_pages.print_plan(f"{name} ({ms:.0f} ms; this query {share:.0f} ms): {query['sql'][:160]}...", plan)


def peak_memory(labels: list[str], only: str) -> None:
    """A fresh process per size loads every page twice and reports its peak RSS (ru_maxrss)."""
    print("\npeak RSS of a process serving every page twice (django.test.Client, in-process):")
    for label in (labels[0], labels[-1]) if len(labels) > 1 else labels:
        command = [sys.executable, __file__, "--rss", "--sizes", label, "--repeat", "2", "--only", only]
        out = subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip().splitlines()
        print(f"  {label}: {out[-1] if out else 'failed'}")


def rss_child(scales: dict, only: str, repeat: int) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pages = {label: [p for p in scale_pages.pages(s) if only in p.name] for label, s in scales.items()}
    with scale_measure.floor_connection() as conn:
        found = scale_measure.runners(scales, pages, conn)
        ours = {key: fn for key, fn in found.items() if key[2] == "ours"}
        scale_measure.measure(ours, repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    now = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmRSS"))
    print(
        f"{peak / 1024:.0f} MB peak ({before / 1024:.0f} MB before the first page; "
        f"{int(now.split()[1]) / 1024:.0f} MB at the end)"
    )


def main() -> None:
    args = arguments()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a failing page is one table row
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login otherwise
    labels = [label for label in scale_build.SIZES if label in args.sizes.split(",")]
    if args.rss:  # the tenants are built: only what a web worker would load
        return rss_child(scale_tenants.ensure_built(labels, reconciled=False), args.only, args.repeat)
    order_list.ensure_database()
    call_command("migrate", verbosity=0)
    scales = scale_tenants.ensure_built(labels)
    if args.build_only:
        return
    pages = {label: [p for p in scale_pages.pages(s) if args.only in p.name] for label, s in scales.items()}
    names = [page.name for page in pages[labels[0]]]
    variants = "ours, tuned admin, stock admin, floor"
    print(f"{len(names)} pages x {len(labels)} sizes x ({variants}); {args.repeat} rounds after a warm-up")
    with scale_measure.floor_connection() as conn:
        found = scale_measure.runners(scales, pages, conn)
        results = scale_measure.measure(found, args.repeat)
    scale_measure.table(results, names, labels)
    if args.explain:
        explain(found, results, names, labels[-1])
    peak_memory(labels, args.only)
    if not args.no_load_test:
        big = scales[labels[-1]]
        warehouse = Warehouse.objects.get(tenant=big.tenant, code="WH-1").pk
        scale_load.load_test(big, warehouse)


if __name__ == "__main__":
    main()
