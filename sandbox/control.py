"""The control API's platform-free part: reset, the clock, injected faults, call counts."""

from sandbox.web import Request, Response

FAULT_STATUSES = (429, 500, 502, 503, 504)


def reset(state, request: Request) -> Response:
    state.reset()
    return Response.json({"ok": True})


def clock(state, request: Request) -> Response:
    """GET: the sandbox's time; POST {"advance": seconds}: make time pass (tokens expire, orders age)."""
    if request.method == "POST":
        advance = request.json().get("advance")
        if type(advance) not in (int, float) or not 0 <= advance <= 10 * 365 * 86400:
            return Response.json({"error": "advance is a number of seconds, 0..10 years"}, 400)
        state.offset += advance
        state.settle()
    return Response.json({"now": state.now()})


def add_fault(state, request: Request) -> Response:
    """{"status": 429|5xx, "delay": s, "drop": true, "count": N, "path": "/order/"}: the next N matching
    calls are answered so (a delay first, then the status; a drop closes the connection unanswered)."""
    data = request.json()
    status, delay, number = data.get("status"), data.get("delay", 0), data.get("count", 1)
    if status is not None and status not in FAULT_STATUSES:
        return Response.json({"error": f"status is one of {FAULT_STATUSES}"}, 400)
    if type(delay) not in (int, float) or not 0 <= delay <= 60:
        return Response.json({"error": "delay is 0..60 seconds"}, 400)
    if type(number) is not int or not 1 <= number <= 10_000:
        return Response.json({"error": "count is 1..10000"}, 400)
    if status is None and not delay and not data.get("drop"):
        return Response.json({"error": "give a status, a delay or drop"}, 400)
    fault = {"status": status, "delay": delay, "drop": bool(data.get("drop")), "count": number}
    state.add_fault({**fault, "path": str(data.get("path") or "/")})
    return Response.json({"faults": state.faults}, 201)


def list_faults(state, request: Request) -> Response:
    return Response.json({"faults": state.faults})


def clear_faults(state, request: Request) -> Response:
    state.faults.clear()
    return Response.json({"faults": []})


def rate_limit(state, request: Request) -> Response:
    """{"qps": N}: past N calls a second per (app_key, shop_cipher, path) the platform's 429; 0 = off."""
    qps = request.json().get("qps")
    if type(qps) is not int or not 0 <= qps <= 100_000:
        return Response.json({"error": "qps is a whole number, 0 (off) to 100000"}, 400)
    state.qps = qps
    state.windows.clear()
    return Response.json({"qps": qps})


def calls(state, request: Request) -> Response:
    """Calls received per path and per idempotency_key (faulted calls count: they reached the sandbox)."""
    return Response.json({"paths": dict(state.calls_by_path), "idempotency_keys": dict(state.calls_by_key)})


def webhooks(state, request: Request) -> Response:
    """Every webhook pushed: body, headers, attempts ({at, status}; 0 = no answer), done, next due."""
    return Response.json({"webhooks": state.outbox.shown()})


ROUTES = [
    ("GET", r"/_control/webhooks", webhooks),
    ("POST", r"/_control/reset", reset),
    ("GET", r"/_control/clock", clock),
    ("POST", r"/_control/clock", clock),
    ("POST", r"/_control/faults", add_fault),
    ("GET", r"/_control/faults", list_faults),
    ("DELETE", r"/_control/faults", clear_faults),
    ("POST", r"/_control/rate_limit", rate_limit),
    ("GET", r"/_control/calls", calls),
]
