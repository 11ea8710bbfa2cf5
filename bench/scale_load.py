"""bench/scale.py's scan load test: gunicorn (4 sync workers, production settings without TLS) on the
largest tenant, 20 warehouse users each scanning a parcel every 5 s: the lookup, the receive form,
the receive (POST) and the page it redirects to. Server time from gunicorn's access log (%(D)s).

Each run receives parcels for good: it takes Confirm Return cases not yet received (the newest
first), so a later run takes the next ones (the 1M tenant has ~40,000).
"""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from scale_tenants import Scale

from aftersales.models import Case, CaseLine, LineKind

ROOT = Path(__file__).resolve().parent.parent
WORKERS, EVERY, SECONDS = 4, 5.0, 60
LOG_FORMAT = "%(m)s %(U)s %(s)s %(D)s q=%(q)s"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict:
    """Production settings; no TLS here, so no HTTPS redirect (cookies are sent by hand below)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": settings.SECRET_KEY,  # the one the scanners' sessions were signed with
        "SECURE_SSL_REDIRECT": "False",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": "/tmp/scale-static",
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/3"),  # as docker-compose: sessions from it
    }


def start_gunicorn(log: Path) -> tuple[subprocess.Popen, int]:
    env, port = server_env(), free_port()
    python = Path(sys.executable)
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )  # the manifest storage refuses to render {% static %} without it
    server = subprocess.Popen(
        [python.parent / "gunicorn", "config.wsgi:application", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--access-logfile", str(log), "--access-logformat", LOG_FORMAT, "--error-logfile", str(log) + ".err"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def parcels(scale: Scale, count: int) -> list[tuple[int, str, list[int]]]:
    """(case id, tracking number, returned line ids) of parcels still waiting: Confirm Return."""
    cases = list(
        Case.objects.filter(tenant=scale.tenant, status="confirm_return")
        .exclude(return_tracking_number="")
        .order_by("-created_at", "-pk")
        .values_list("pk", "return_tracking_number")[:count]
    )
    lines: dict[int, list[int]] = {}
    for case_id, line_id in CaseLine.objects.filter(
        case_id__in=[c for c, _ in cases], kind=LineKind.RETURNED
    ).values_list("case_id", "pk"):
        lines.setdefault(case_id, []).append(line_id)
    return [(case_id, tracking, lines[case_id]) for case_id, tracking in cases]


class Scanner:
    """One warehouse user's browser: its cookies, sent by hand (they are Secure in production)."""

    def __init__(self, port: int, session: str):
        self.port, self.cookies, self.errors = port, {"sessionid": session}, []

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";")[0].partition("=")
            self.cookies[name.strip()] = value
        conn.close()
        if response.status >= 400:
            self.errors.append(f"{method} {path}: {response.status}")
        return response.status, response.headers.get("Location", ""), text

    def scan(self, case_id: int, tracking: str, lines: list[int], warehouse: int) -> None:
        self.request("GET", f"/stock/?{urlencode({'q': tracking})}")
        form = f"/stock/returns/{case_id}/"
        _, _, html = self.request("GET", form)
        token = TOKEN.search(html)
        body = {"csrfmiddlewaretoken": token[1] if token else "", "warehouse": warehouse}
        body.update({f"sellable_{line}": 1 for line in lines} | {f"damaged_{line}": 0 for line in lines})
        status, location, _ = self.request("POST", form, body)
        if status != 302:
            self.errors.append(f"POST {form}: {status} (not received)")
            return
        self.request("GET", location)


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def peak_rss_mb(pids: list[int]) -> list[float]:
    peaks = []
    for pid in pids:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM"))
        peaks.append(int(line.split()[1]) / 1024)
    return peaks


def kind(method: str, path: str, query: str) -> str:
    if method == "POST":
        return "receive (POST)"
    if path.startswith("/stock/returns/"):
        return "receive form"
    return "scan lookup" if query.startswith("q=") else "page after the receive"


def server_times(log: Path, start: int) -> dict[str, list[float]]:
    """ms per request kind, from the access log lines written after byte `start`."""
    times: dict[str, list[float]] = {}
    with log.open() as f:
        f.seek(start)
        for line in f:
            method, path, _, micros, query = line.split(" ", 4)
            times.setdefault(kind(method, path, query.strip()[2:]), []).append(int(micros) / 1000)
    return times


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def scanning(scale: Scale, port: int, warehouse: int) -> tuple[int, list[str]]:
    """Every scanner scans a parcel every EVERY s for SECONDS s (staggered): parcels received, errors."""
    per_scanner = int(SECONDS / EVERY)
    stock = parcels(scale, per_scanner * len(scale.scanners))
    scanners = []
    for user in scale.scanners:
        client = Client()
        client.force_login(user)
        scanners.append(Scanner(port, client.cookies["sessionid"].value))
    start = time.monotonic() + 1

    def work(i: int, scanner: Scanner) -> None:
        for k, parcel in enumerate(stock[i :: len(scanners)][:per_scanner]):
            time.sleep(max(0.0, start + i * EVERY / len(scanners) + k * EVERY - time.monotonic()))
            try:
                scanner.scan(*parcel, warehouse)
            except Exception as error:  # a refused or broken request is counted, the test goes on
                scanner.errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=work, args=(i, s)) for i, s in enumerate(scanners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return min(len(stock), per_scanner * len(scanners)), [e for s in scanners for e in s.errors]


def load_test(scale: Scale, warehouse: int, log: Path = Path("/tmp/scale-access.log")) -> None:
    log.unlink(missing_ok=True)
    server, port = start_gunicorn(log)
    try:
        warm = Scanner(port, "")
        for _ in range(WORKERS * 2):  # every worker imports the app before the clock starts
            warm.request("GET", "/accounts/login/")
        time.sleep(0.5)
        start, pids = log.stat().st_size, workers(server.pid)
        cpu = cpu_seconds(pids)
        received, errors = scanning(scale, port, warehouse)
        cpu = cpu_seconds(pids) - cpu
        peaks = peak_rss_mb(pids)
    finally:
        server.terminate()
        server.wait()
    times = server_times(log, start)
    print(f"\nscan load test: {len(scale.scanners)} scanners, one parcel each every {EVERY:.0f} s for {SECONDS} s, "
          f"gunicorn {WORKERS} sync workers, {scale.label} tenant; {received} parcels")  # fmt: skip
    print("\n| request | n | p50 ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |")
    for name, values in sorted(times.items()):
        print(f"| {name} | {len(values)} | {percentile(values, 50):.0f} | {percentile(values, 95):.0f} | "
              f"{max(values):.0f} |")  # fmt: skip
    print(f"\nworker CPU per parcel: {cpu / max(received, 1) * 1000:.0f} ms; "
          f"workers' peak RSS: {', '.join(f'{p:.0f}' for p in peaks)} MB")  # fmt: skip
    for error in errors[:10]:
        print(f"  error: {error}")
    if len(errors) > 10:
        print(f"  ... {len(errors) - 10} more errors")
