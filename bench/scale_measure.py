"""bench/scale.py's timing: every page at every size, ours, the admin's and the floor, round-robin
(one run of each in turn per repetition, after a warm-up round), then the table and the goals."""

import statistics
import time
from collections import defaultdict
from collections.abc import Callable

import psycopg
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from scale_pages import Page
from scale_tenants import Scale

VARIANTS = ("ours", "admin", "stock", "floor")  # admin: the operator's tuned; stock: as Django ships it
FLOOR = Template(
    "<table>{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>{% endfor %}</table>"
)
GOALS = {"flat": 1.5, "queries": 12, "admin": 5.0, "floor": 3.0, "usable": 1000}  # issue 10, "The goal"


def floor_connection() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    return psycopg.connect(dbname=db["NAME"], autocommit=True, **params)


def clients(scale: Scale) -> dict[str, Client]:
    logged_in = {}
    for who, user in (("owner", scale.owner), ("sub", scale.sub), ("admin", scale.admin)):
        logged_in[who] = Client(SERVER_NAME="localhost")
        logged_in[who].force_login(user)
    return logged_in


def getter(client: Client, url: str) -> Callable[[], int]:
    """GET url, refuse anything but a 200, return the SQL query count."""

    def fn() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code} on {url}")
        return len(queries)

    return fn


def floor(conn: psycopg.Connection, page: Page) -> Callable[[], int]:
    def fn() -> int:
        rows = conn.execute(page.sql, page.params).fetchall()
        FLOOR.render(Context({"rows": rows}))
        return 1

    return fn


def runners(scales: dict[str, Scale], pages: dict[str, list[Page]], conn) -> dict[tuple, Callable[[], int]]:
    """(page name, size, variant) -> a function that loads it once and returns its query count."""
    found = {}
    for label, scale in scales.items():
        logged_in = clients(scale)
        for page in pages[label]:
            found[(page.name, label, "ours")] = getter(logged_in[page.who], page.url)
            for variant, url in zip(("admin", "stock"), page.admin or (), strict=False):
                if url:
                    found[(page.name, label, variant)] = getter(logged_in["admin"], url)
            found[(page.name, label, "floor")] = floor(conn, page)
    names, labels = [page.name for page in next(iter(pages.values()))], list(scales)
    order = {key: (names.index(key[0]), labels.index(key[1]), VARIANTS.index(key[2])) for key in found}
    return {key: found[key] for key in sorted(found, key=order.__getitem__)}  # page by page, sizes in turn


class Results:
    def __init__(self):
        self.ms: dict[tuple, list[float]] = defaultdict(list)
        self.queries: dict[tuple, int] = {}
        self.errors: dict[tuple, str] = {}

    def median(self, key: tuple) -> float | None:
        return statistics.median(self.ms[key]) if self.ms.get(key) else None


def measure(found: dict[tuple, Callable[[], int]], repeat: int) -> Results:
    """One warm-up round, then `repeat` rounds; in each, every page at every size in turn."""
    results = Results()
    for round_ in range(repeat + 1):
        for key, fn in found.items():
            if key in results.errors:
                continue
            try:
                started = time.perf_counter()
                count = fn()
                elapsed = (time.perf_counter() - started) * 1000
            except Exception as error:  # a page someone is rewriting: one row says so, the rest run
                results.errors[key] = f"{type(error).__name__}: {str(error)[:70]}"
                continue
            if round_:
                results.ms[key].append(elapsed)
                results.queries[key] = max(count, results.queries.get(key, 0))
        print(f"\r  round {round_}/{repeat} done", end="", flush=True)
    print()
    return results


def cell(values: list[float]) -> str:
    """median [min-max] in ms"""
    if not values:
        return "-"
    return f"{statistics.median(values):.0f} [{min(values):.0f}-{max(values):.0f}]"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}x" if a and b else "-"


def goals(results: Results, name: str, labels: list[str]) -> str:
    """Which of issue 10's goals this page meets at the sizes measured: flat (largest / smallest),
    queries, ahead of the admin (at every size) and close to the floor (at every size)."""
    ours = [results.median((name, label, "ours")) for label in labels]
    if None in ours:
        return "not measured"
    met = []
    if len(labels) > 1:
        met.append(("flat", ours[-1] / ours[0] <= GOALS["flat"]))
    met.append(("≤12 q", max(results.queries[(name, label, "ours")] for label in labels) <= GOALS["queries"]))
    stock = [results.median((name, label, "stock")) for label in labels]
    if None not in stock:
        met.append(("5x admin", all(a / o >= GOALS["admin"] for a, o in zip(stock, ours, strict=True))))
    tuned = [results.median((name, label, "admin")) for label in labels]
    if None not in tuned:
        met.append(("admin <1s", max(tuned) < GOALS["usable"]))
    bare = [results.median((name, label, "floor")) for label in labels]
    if None not in bare:
        met.append(("3x floor", all(o / f <= GOALS["floor"] for o, f in zip(ours, bare, strict=True))))
    return " ".join(f"{goal} {'✓' if ok else '✗'}" for goal, ok in met)


def table(results: Results, names: list[str], labels: list[str]) -> None:
    big, small = labels[-1], labels[0]
    head = [
        "page",
        *labels,
        "queries",
        f"{big}/{small}",
        f"stock admin/ours {small}/{big}",
        f"ours/floor {small}/{big}",
        "goals",
    ]
    print("\nours, ms: median [min-max]; queries: the most at any size\n")
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for name in names:
        row = [name, *(cell(results.ms.get((name, label, "ours"), [])) for label in labels)]
        counts = [results.queries.get((name, label, "ours")) for label in labels]
        row.append(str(max(c for c in counts if c is not None)) if any(counts) else "-")
        row.append(ratio(results.median((name, big, "ours")), results.median((name, small, "ours"))))
        stock = [
            ratio(results.median((name, size, "stock")), results.median((name, size, "ours"))) for size in (small, big)
        ]
        floors = [
            ratio(results.median((name, size, "ours")), results.median((name, size, "floor"))) for size in (small, big)
        ]
        row += [" / ".join(stock), " / ".join(floors), goals(results, name, labels)]
        print("| " + " | ".join(row) + " |")
    print("\nbeside them, ms: median [min-max]\n")
    shown = {"stock": "stock admin", "admin": "tuned admin", "floor": "floor"}
    print("| page | " + " | ".join(f"{title} {label}" for title in shown.values() for label in labels) + " |")
    print("|" + " --- |" * (1 + len(shown) * len(labels)))
    for name in names:
        cells = [cell(results.ms.get((name, label, variant), [])) for variant in shown for label in labels]
        print("| " + " | ".join([name, *cells]) + " |")
    for key, error in results.errors.items():
        print(f"not measured: {' / '.join(key)}: {error}")
