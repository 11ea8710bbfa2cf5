"""Injected faults: a rate limit answered as TikTok answers it, 5xx, slow answers, dropped
connections; and the sandbox stays a standalone, stdlib-only package."""

import ast
import http.client
import socket
import sys
import urllib.error
from pathlib import Path

import pytest

SHOPS = "/authorization/202309/shops"
PACKAGE = Path(__file__).resolve().parents[2] / "sandbox"


def test_a_429_is_tiktoks_rate_limit_then_calls_pass_again(sandbox, app, token):
    sandbox.control("POST", "faults", {"status": 429, "count": 2, "path": "/authorization/"})
    for _ in range(2):
        status, answer = sandbox.tiktok("GET", SHOPS, app, token)
        assert status == 429 and answer["code"] == 36009002
    status, answer = sandbox.tiktok("GET", SHOPS, app, token)
    assert status == 200 and answer["code"] == 0 and answer["data"]["shops"]
    assert sandbox.control("GET", "calls")["paths"][SHOPS] == 3


def test_a_5xx_answers_the_calls_under_its_path_only(sandbox, app, shop, token):
    sandbox.control("POST", "faults", {"status": 503, "path": "/order/"})
    assert sandbox.tiktok("GET", SHOPS, app, token)[0] == 200
    status, answer = sandbox.tiktok(
        "GET", "/order/202309/orders", app, token, {"shop_cipher": shop["cipher"], "ids": "1"}
    )
    assert status == 503 and answer["code"] == 36009003
    assert sandbox.control("GET", "faults")["faults"][0]["left"] == 0


def test_a_slow_answer_outlasts_a_short_timeout(sandbox):
    sandbox.control("POST", "faults", {"delay": 1, "path": "/api/v2/"})
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        sandbox.http("GET", "/api/v2/token/get", {"app_key": "x"}, timeout=0.3)


def test_a_dropped_connection_gets_no_answer(sandbox):
    sandbox.control("POST", "faults", {"drop": True, "path": "/api/v2/"})
    with pytest.raises((http.client.RemoteDisconnected, urllib.error.URLError, ConnectionError)):
        sandbox.http("GET", "/api/v2/token/get", {"app_key": "x"})
    assert sandbox.http("GET", "/api/v2/token/get", {"app_key": "x"})[1]["code"] == 36009004


def test_a_bad_fault_is_refused(sandbox):
    for fault in ({"status": 404}, {"delay": -1}, {"count": 0, "status": 500}, {}):
        assert sandbox.http("POST", "/_control/faults", body=fault)[0] == 400, fault


def test_the_sandbox_imports_only_the_standard_library_and_stays_small():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        assert len(path.read_text().splitlines()) < 400, path
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
                names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                for name in names:
                    top = name.split(".")[0]
                    assert top == "sandbox" or top in sys.stdlib_module_names, (path, name)
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno - node.lineno < 60, (path, node.name)


def test_hostile_input_is_refused_not_crashed_on(sandbox, app, shop, token):
    search = "/order/202309/orders/search"
    query = {"shop_cipher": shop["cipher"], "page_size": "10"}
    for body in ({"update_time_ge": 10**30}, {"update_time_ge": "yesterday"}, {"create_time_lt": True}):
        assert sandbox.tiktok("POST", search, app, token, query, body)[1]["code"] == 25001001, body
    for bad in ("\x00", "9" * 50, "-1"):
        assert sandbox.tiktok("POST", search, app, token, {**query, "page_size": bad}, {})[1]["code"] == 25001001
    assert sandbox.tiktok("POST", search, app, token, {**query, "page_token": "W10="}, {})[1]["code"] == 25001001
    ids = ",".join(str(n) for n in range(51))
    query = {"shop_cipher": shop["cipher"], "ids": ids}
    assert sandbox.tiktok("GET", "/order/202309/orders", app, token, query)[1]["code"] == 25001001
    headers = {"Content-Type": "application/json", "x-tts-access-token": token}
    status, answer, _ = sandbox.http("POST", search, {"app_key": app["app_key"]}, b"\xff\x00{not json", headers)
    assert status == 200 and answer["code"] == 36009004
    assert sandbox.http("POST", "/_control/tiktok/orders", body=b"[1,2]")[0] == 400
    assert sandbox.http("POST", "/_control/tiktok/orders", body={"shop_id": shop["id"], "count": 10**9})[0] == 400


def test_a_bad_content_length_is_answered(sandbox_url, sandbox):
    port = int(sandbox_url.rsplit(":", 1)[1])
    for length in ("abc", "-5", "\xb2", str(10**12)):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            head = f"POST /api/v2/token/get HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n"
            connection.sendall(head.encode("latin-1"))
            assert connection.recv(100).startswith(b"HTTP/1.1 413"), length


def test_a_rate_limit_answers_429_past_its_calls_a_second(sandbox, app, token):
    sandbox.control("POST", "rate_limit", {"qps": 3})
    statuses = [sandbox.tiktok("GET", SHOPS, app, token)[0] for _ in range(8)]
    # eight calls span at most two seconds of the clock: at most 6 pass, the rest get TikTok's 429
    assert statuses.count(200) <= 6 and statuses.count(429) >= 2 and set(statuses) == {200, 429}
    sandbox.control("POST", "rate_limit", {"qps": 0})
    assert sandbox.tiktok("GET", SHOPS, app, token)[0] == 200
