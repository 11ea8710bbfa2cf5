"""After-sales pages benchmark: 20,000 cases and ~8,000 refund orders on top of order_list.py's
100,000 orders, then time the case list, search, the warehouse scan, the refund list and a case page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales_bench .venv/bin/python bench/case_pages.py

Creates and migrates the database and loads the orders through bench/order_list.py, loads the
cases once (later runs find them and skip the load), runs ANALYZE, then prints median
milliseconds, SQL query counts and EXPLAIN ANALYZE summaries. See bench/README.md.
"""

import contextlib
import logging
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/order_list.py, also under `python -m`

# isort: split
# order_list sets DJANGO_SETTINGS_MODULE, the DATABASE_URL default and DEBUG=False, then django.setup()
import order_list

# isort: split
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Model
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import Tenant, User
from aftersales.models import Case, CaseLine, CaseStatus, CaseType, LineKind
from aftersales.selectors import case_list, case_tab_counts
from aftersales.stock_in_selectors import returns_matching
from core import paging
from core.paging import PAGE_SIZE, page_context
from orders.models import OrderItem
from orders.selectors import ELIGIBLE_FOR_AFTERSALES
from refunds.models import PaymentMethod, RefundOrder, RefundStatus
from refunds.selectors import refund_list, refund_tab_counts

N_CASES = 20_000
N_REFUNDS = 8_000
BATCH = 5_000
PLAN_LINES = 8

S = CaseStatus
RR, RO, EX = CaseType.RETURN_REFUND, CaseType.REFUND_ONLY, CaseType.EXCHANGE
STATUS_MIX = {  # share of a seller's case history, in per mille: most cases are done
    S.TO_CONFIRM: 45,
    S.CONFIRM_RETURN: 40,
    S.CONFIRM_REFUND: 20,
    S.CONFIRM_EXCHANGE: 15,
    S.RECEIVED_RETURN: 30,
    S.REFUND_PROCESSING: 40,
    S.COMPLETED: 710,
    S.CANCELLED: 100,
}
TYPE_MIX = {RR: 55, RO: 30, EX: 15}  # per cent, among the types a status allows
TYPES_IN = {  # the manual types a case of each status can have (the model's transitions)
    S.CONFIRM_RETURN: (RR,),
    S.CONFIRM_REFUND: (RO,),
    S.CONFIRM_EXCHANGE: (EX,),
    S.RECEIVED_RETURN: (RR, EX),
    S.REFUND_PROCESSING: (RR, RO),
}
PARCEL = (RR, EX)
TRACKING_SHARE = 0.30  # of all cases; only parcel cases carry a buyer's return tracking number
REASONS = ["Damaged item", "Wrong item", "Not as described", "Changed mind", "Missing parts"]


def scrambled(k: int, digits: int) -> str:
    """k -> `digits` digits, one-to-one for k < 10**digits (7,919,311 is prime to 10)."""
    return f"{(k * 7_919_311 + 1_234_567) % 10**digits:0{digits}d}"


@contextlib.contextmanager
def keep_created_at(*models: type[Model]) -> Iterator[None]:
    """Let bulk_create store the created_at we give (history spread over the year) instead of now."""
    fields = [model._meta.get_field("created_at") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def load_cases(tenant: Tenant, owner: User) -> None:
    existing = Case.objects.for_tenant(tenant).count()
    if existing >= N_CASES:
        print(f"{existing:,} cases already loaded")
        return
    if existing:
        sys.exit(f"{existing:,} cases found, expected 0 or {N_CASES:,}: drop the database and run again")
    started = time.perf_counter()
    rng = random.Random(7)
    now = timezone.now()
    items = list(  # one item per bench order; the eligible orders, in a fixed order
        OrderItem.objects.for_tenant(tenant)
        .filter(order__status__in=ELIGIBLE_FOR_AFTERSALES)
        .order_by("order_id")
        .values_list(
            "pk", "sku_id", "unit_price", "order_id", "order__store_id", "order__currency", "order__ordered_at"
        )
    )
    if len(items) < N_CASES:
        sys.exit(f"only {len(items):,} eligible orders: drop the database and run again")
    picked = rng.sample(items, N_CASES)
    statuses, status_weights = list(STATUS_MIX), list(STATUS_MIX.values())
    plans = []
    for k, (item_id, sku_id, price, order_id, store_id, currency, ordered_at) in enumerate(picked):
        status = rng.choices(statuses, weights=status_weights)[0]
        allowed = TYPES_IN.get(status, (RR, RO, EX))
        type_ = rng.choices(allowed, weights=[TYPE_MIX[t] for t in allowed])[0]
        created_at = min(
            now - timedelta(minutes=5), ordered_at + timedelta(seconds=rng.randrange(2 * 86_400, 20 * 86_400))
        )
        plans.append((k, item_id, sku_id, price, order_id, store_id, currency, status, type_, created_at))
    parcel_share = sum(1 for plan in plans if plan[8] in PARCEL) / N_CASES  # the tracking odds below
    with transaction.atomic(), keep_created_at(Case, RefundOrder):  # all or nothing, like the orders
        cases, lines = [], []
        for k, item_id, sku_id, price, order_id, store_id, currency, status, type_, created_at in plans:
            later = min(now, created_at + timedelta(days=rng.randint(1, 10)))
            received = type_ in PARCEL and status in (S.RECEIVED_RETURN, S.REFUND_PROCESSING, S.COMPLETED)
            tracked = type_ in PARCEL and rng.random() < TRACKING_SHARE / parcel_share
            exchange = price if type_ == EX else 0
            cases.append(
                Case(
                    tenant=tenant,
                    number=f"AS{created_at:%y%m%d}{k:06X}",
                    store_id=store_id,
                    order_id=order_id,
                    type=type_,
                    status=status,  # the constructor's first assignment: allowed on the protected field
                    reason=rng.choice(REASONS),
                    return_tracking_number=f"SPXMY0{scrambled(k, 11)}" if tracked else "",
                    created_by=owner,
                    currency=currency,
                    returned_total=price,
                    exchange_total=exchange,
                    received_at=later if received else None,
                    completed_at=later if status == S.COMPLETED else None,
                    cancelled_at=later if status == S.CANCELLED else None,
                    cancel_reason="Buyer withdrew the request" if status == S.CANCELLED else "",
                    created_at=created_at,
                )
            )
            lines.append((item_id, sku_id, price, type_ == EX))
        for start in range(0, N_CASES, BATCH):
            batch = Case.objects.bulk_create(cases[start : start + BATCH])
            CaseLine.objects.bulk_create(
                [
                    CaseLine(
                        tenant=tenant,
                        case=case,
                        kind=kind,
                        order_item_id=item_id if kind == LineKind.RETURNED else None,
                        sku_id=sku_id,
                        quantity=1,
                        unit_price=price,
                        amount=price,
                    )
                    for case, (item_id, sku_id, price, exchanged) in zip(
                        batch, lines[start : start + BATCH], strict=True
                    )
                    # an exchange sends the same SKU again at the price paid: nothing left to refund
                    for kind in ([LineKind.RETURNED, LineKind.EXCHANGE] if exchanged else [LineKind.RETURNED])
                ]
            )
            print(f"\r  loaded {start + len(batch):,} cases", end="", flush=True)
        refunds = refund_rows(tenant, owner, cases, rng, now)
        RefundOrder.objects.bulk_create(refunds, batch_size=BATCH)
    print(f"\nloaded {N_CASES:,} cases and {len(refunds):,} refund orders in {time.perf_counter() - started:.1f} s")


def refund_rows(tenant: Tenant, owner: User, cases: list[Case], rng: random.Random, now) -> list[RefundOrder]:
    """One processing slip for every Refund Processing case (sometimes after a rejected one), then
    confirmed slips for completed Return & Refund / Refund-Only cases until there are N_REFUNDS."""
    rows: list[RefundOrder] = []

    def slip(case: Case, status: str, offset_days: int) -> None:
        created_at = min(now - timedelta(minutes=1), case.created_at + timedelta(days=offset_days))
        decided = status != RefundStatus.PROCESSING
        rows.append(
            RefundOrder(
                tenant=tenant,
                number=f"RF{created_at:%y%m%d}{len(rows):06X}",
                case=case,
                store_id=case.store_id,
                amount=case.returned_total,
                currency=case.currency,
                method=rng.choice(PaymentMethod.values),
                payment_info="Bank: Maybank 1234567890",
                status=status,  # the constructor's first assignment, as for the case
                created_by=owner,
                decided_by=owner if decided else None,
                decided_at=created_at + timedelta(hours=rng.randint(1, 48)) if decided else None,
                reject_reason="Wrong account number" if status == RefundStatus.REJECTED else "",
                created_at=created_at,
            )
        )

    for case in cases:
        if case.status == S.REFUND_PROCESSING:
            if rng.random() < 0.15:
                slip(case, RefundStatus.REJECTED, 2)
            slip(case, RefundStatus.PROCESSING, 4)
    completed = [case for case in cases if case.status == S.COMPLETED and case.type in (RR, RO)]
    rng.shuffle(completed)
    for case in completed:
        if len(rows) >= N_REFUNDS:
            break
        if rng.random() < 0.1 and len(rows) < N_REFUNDS - 1:
            slip(case, RefundStatus.REJECTED, 2)
        slip(case, RefundStatus.CONFIRMED, 4)
    return rows


def plan_summary(label: str, queryset) -> None:
    """The first lines of EXPLAIN ANALYZE, the indexes used and every sequential scan in the plan."""
    print_plan(label, queryset.explain(analyze=True, buffers=False).splitlines())


def page_plan(label: str, queryset, params: dict) -> dict:
    """plan_summary of the query page_context runs for the page `params` ask; returns the context."""
    request = RequestFactory().get("/", params)
    with CaptureQueriesContext(connection) as queries:
        context = page_context(request, queryset)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + queries.captured_queries[-1]["sql"])
        print_plan(label, [row[0] for row in cursor.fetchall()])
    return context


def print_plan(label: str, plan: list[str]) -> None:
    """plan_summary() of a plan already read (bench/scale.py explains the SQL a page ran)."""
    print(f"\n{label}")
    for line in plan[:PLAN_LINES]:
        print(f"    {line}")
    if len(plan) > PLAN_LINES:
        print(f"    ... ({len(plan) - PLAN_LINES} more lines)")
    scans: dict[str, int] = {}  # table -> rows the sequential scans of it read
    for i, line in enumerate(plan):
        if "Seq Scan on " in line:
            table = line.split("Seq Scan on ")[1].split()[0]
            actual = re.search(r"actual time=\S+ rows=(\d+) loops=(\d+)", line)  # none when never executed
            kept = int(actual[1]) if actual else 0
            removed = next(  # rows= counts what the filter kept; read = kept + removed, per loop
                (int(x.split(":")[1]) for x in plan[i + 1 : i + 4] if "Rows Removed by Filter:" in x), 0
            )
            scans[table] = scans.get(table, 0) + ((kept + removed) * int(actual[2]) if actual else 0)
    indexes = sorted({line.split(" using ")[1].split()[0] for line in plan if "Index" in line and " using " in line})
    indexes += sorted(
        {line.split("Bitmap Index Scan on ")[1].split()[0] for line in plan if "Bitmap Index Scan on " in line}
    )
    print(f"    indexes used: {', '.join(indexes) or 'none'}")
    print(f"    sequential scans: {', '.join(f'{t} ({n:,} rows)' for t, n in scans.items()) or 'none'}")
    print(f"    {plan[-1].strip()}")


def with_sql_time(fn: Callable[[], object], sink: list[float]) -> Callable[[], object]:
    """fn, also adding up the milliseconds its SQL took (as the database driver saw them) into sink."""

    def wrapped():
        with CaptureQueriesContext(connection) as queries:
            result = fn()
        sink.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        return result

    return wrapped


def main() -> None:
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a failing view is one table row
    order_list.ensure_database()
    call_command("migrate", verbosity=0)
    tenant, owner = order_list.load()
    load_cases(tenant, owner)
    call_command("reconcile_counts")  # bulk_create records no kept counts: they start from a GROUP BY
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    cases = Case.objects.for_tenant(tenant)
    counts = case_tab_counts(case_list(tenant=tenant, user=owner))
    refund_counts = refund_tab_counts(tenant=tenant, user=owner)
    keyset = getattr(paging, "LAST", None)  # keyset pages: ?page=last
    last = lambda n: keyset or max(1, -(-n // PAGE_SIZE))  # noqa: E731 - else the largest OFFSET
    case = cases.filter(status=S.COMPLETED, type=RR).order_by("pk")[N_CASES // 4]
    tracked = cases.exclude(return_tracking_number="").order_by("pk")[1_000]
    waiting = cases.filter(status=S.CONFIRM_RETURN).exclude(return_tracking_number="").order_by("pk").first()
    order_number = cases.order_by("pk").values_list("order__number", flat=True)[N_CASES // 2]
    detail = cases.filter(status=S.REFUND_PROCESSING).order_by("pk").first()

    client = Client(SERVER_NAME="localhost")
    client.force_login(owner)

    def url(name: str, query: dict | None = None, **kwargs) -> str | None:
        try:
            return reverse(name, kwargs=kwargs) + ("?" + urlencode(query) if query else "")
        except NoReverseMatch:
            return None

    completed_last = last(counts[S.COMPLETED])
    confirmed_last = last(refund_counts[RefundStatus.CONFIRMED])
    pages = [
        ("GET /after-sales/ (To Confirm, first page)", url("aftersales:index")),
        ("GET /after-sales/?tab=completed", url("aftersales:index", {"tab": S.COMPLETED})),
        (
            f"GET ?tab=completed&page={completed_last} (last)",
            url("aftersales:index", {"tab": S.COMPLETED, "page": completed_last}),
        ),
        (f"GET /after-sales/?q={case.number} (case)", url("aftersales:index", {"q": case.number})),
        (
            f"GET /after-sales/?q={tracked.return_tracking_number}",
            url("aftersales:index", {"q": tracked.return_tracking_number}),
        ),
        (f"GET /after-sales/?q={order_number} (order)", url("aftersales:index", {"q": order_number})),
        (
            f"GET /stock/?q={waiting.return_tracking_number} (scan)",
            url("inventory:index", {"q": waiting.return_tracking_number}),
        ),
        (f"GET /stock/?q={order_number} (order)", url("inventory:index", {"q": order_number})),
        ("GET /refunds/ (Refund Processing)", url("refunds:index")),
        (
            f"GET /refunds/?tab=confirmed&page={confirmed_last} (last)",
            url("refunds:index", {"tab": RefundStatus.CONFIRMED, "page": confirmed_last}),
        ),
        (f"GET /after-sales/{detail.pk}/ (case page)", url("aftersales:detail", case_id=detail.pk)),
    ]
    rows: list[tuple[str, Callable[[], object] | None]] = [
        ("case_tab_counts()", lambda: case_tab_counts(case_list(tenant=tenant, user=owner))),
        *((label, order_list.get_page(client, path) if path else None) for label, path in pages),
    ]

    types = Counter(cases.values_list("type", flat=True))
    refunds = RefundOrder.objects.for_tenant(tenant)
    print(
        f"\n{cases.count():,} cases ({', '.join(f'{t} {n:,}' for t, n in types.most_common())}; "
        f"{cases.exclude(return_tracking_number='').count():,} with a return tracking number), "
        f"{CaseLine.objects.for_tenant(tenant).count():,} case lines"
    )
    print("case tabs: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(
        f"{refunds.count():,} refund orders: "
        + ", ".join(f"{s} {n:,}" for s, n in refunds.values_list("status").annotate(n=Count("pk")).order_by("status"))
    )
    print(
        f"median of {order_list.RUNS} runs after a warm-up, {PAGE_SIZE} rows per page; "
        "SQL ms: the part spent in the database\n"
    )
    width = max(len(label) for label, _ in rows) + 2
    print(f"{'measure':<{width}} {'median ms':>10} {'SQL ms':>7} {'queries':>8}")
    print("-" * (width + 28))
    for label, fn in rows:
        if fn is None:
            print(f"{label:<{width}} view not available")
            continue
        sql_ms: list[float] = []
        try:
            ms, n = order_list.measure(with_sql_time(fn, sql_ms))
        except Exception as error:  # the view is being written by someone else: report, don't stop
            print(f"{label:<{width}} view not available ({type(error).__name__}: {str(error)[:60]})")
            continue
        print(f"{label:<{width}} {ms:>10.1f} {statistics.median(sql_ms[1:]):>7.1f} {n:>8}")

    print(f"\nEXPLAIN (ANALYZE, BUFFERS off): the first {PLAN_LINES} lines of each plan")
    scan_code = waiting.return_tracking_number
    plan_summary(
        f"scan: returns_matching(code={scan_code!r})", returns_matching(tenant=tenant, user=owner, code=scan_code)
    )
    plan_summary(
        f"scan: returns_matching(code={order_number!r}) (an order number)",
        returns_matching(tenant=tenant, user=owner, code=order_number),
    )
    for label, query in [("case", case.number), ("tracking", tracked.return_tracking_number), ("order", order_number)]:
        plan_summary(
            f"search ({label}): case_list(q={query!r}), To Confirm [:{PAGE_SIZE}] (the page)",
            case_list(tenant=tenant, user=owner, params={"q": query}).filter(status=S.TO_CONFIRM)[:PAGE_SIZE],
        )
    plan_summary(
        f"search: the tab counts of case_list(q={order_number!r}) (GROUP BY status)",
        case_list(tenant=tenant, user=owner, params={"q": order_number})
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk")),
    )
    deep = [
        ("case_list(), Completed", case_list(tenant=tenant, user=owner).filter(status=S.COMPLETED), completed_last),
        (
            "refund_list(status='confirmed')",
            refund_list(tenant=tenant, user=owner, status=RefundStatus.CONFIRMED),
            confirmed_last,
        ),
    ]
    for label, rows, last_page in deep:
        if keyset:  # the last page, then the one before it (a cursor deep in the tab)
            context = page_plan(f"deep page: {label}, ?page={keyset}", rows, {"page": keyset})
            query = context["page"].previous_query.split("before=")[1]
            page_plan(f"deep page: {label}, the page before the last (?before=...)", rows, {"before": query})
        else:
            offset = (last_page - 1) * PAGE_SIZE
            plan_summary(f"deep page: {label} [{offset}:{offset + PAGE_SIZE}]", rows[offset : offset + PAGE_SIZE])


if __name__ == "__main__":
    main()
