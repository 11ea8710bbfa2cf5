"""The HTTP side: a request/response pair, a router of (method, path pattern) to handlers, and the
threaded server that runs every handler under the state's lock (faults sleep outside it)."""

import json
import re
import time
import traceback
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def json(self) -> dict:
        """The JSON body as a dict; an empty, broken or non-object body reads as {}."""
        try:
            data = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.body.decode("utf-8", "replace")).items()}


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data, status: int = 200) -> "Response":
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json"})

    @classmethod
    def html(cls, text: str, status: int = 200) -> "Response":
        return cls(status, text.encode(), {"Content-Type": "text/html; charset=utf-8"})

    @classmethod
    def redirect(cls, location: str) -> "Response":
        return cls(302, b"", {"Location": location})


class Router:
    """Routes are (method, regex with named groups, handler(state, request) -> Response), each tagged
    with its platform ("control" for the control API) so a fault is answered in that platform's words."""

    def __init__(self):
        self.routes: list[tuple[str, re.Pattern, object, str]] = []
        self.fault_answers: dict[str, object] = {}

    def mount(self, platform: str, routes, fault_answer=None) -> None:
        for method, pattern, handler in routes:
            self.routes.append((method, re.compile(pattern + r"\Z"), handler, platform))
        if fault_answer:
            self.fault_answers[platform] = fault_answer

    def match(self, method: str, path: str):
        for route_method, pattern, handler, platform in self.routes:
            found = pattern.match(path)
            if found and route_method == method:
                return handler, found.groupdict(), platform
        return None, {}, None


MAX_BODY = 10 * 1024 * 1024


def request_id() -> str:
    return uuid.uuid4().hex.upper()


class Handler(BaseHTTPRequestHandler):
    server_version = "sandbox/1"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, a small answer's body waits for the
    # client's delayed ACK (~40 ms a call on a kept-alive connection).
    disable_nagle_algorithm = True

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def log_message(self, format, *args):  # quiet: tests read stdout for the port only
        pass

    def read_request(self) -> Request | None:
        """The request, or None when its Content-Length is not a size the sandbox reads."""
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
        length = self.headers.get("Content-Length") or "0"
        if not (length.isascii() and length.isdigit()) or int(length) > MAX_BODY:
            return None
        body = self.rfile.read(int(length))
        headers = {key.lower(): value for key, value in self.headers.items()}
        return Request(self.command, url.path, query, headers, body)

    def dispatch(self) -> None:
        state = self.server.state
        request = self.read_request()
        if request is None:
            self.close_connection = True
            return self.send(Response.json({"code": 413, "message": "Bad or too large Content-Length"}, 413))
        router: Router = self.server.router
        handler, request.params, platform = router.match(request.method, request.path)
        if handler is None:
            return self.send(Response.json({"code": 404, "message": "Not found: " + request.path}, 404))
        if platform != "control":
            with state.lock:
                state.record_call(request.path, request.query.get("idempotency_key"))
                app = request.query.get("app_key") or request.query.get("partner_id", "")
                shop = request.query.get("shop_cipher") or request.query.get("shop_id", "")
                limited = state.over_limit(app, shop, request.path)
                fault = {"status": 429} if limited else state.take_fault(request.path)
            if fault and fault.get("delay"):
                time.sleep(float(fault["delay"]))
            if fault and fault.get("drop"):
                self.close_connection = True
                self.connection.close()
                return
            if fault and fault.get("status"):
                return self.send(router.fault_answers[platform](request, fault))
        with state.lock:
            try:
                state.settle()
                response = handler(state, request)
            except Exception:  # a sandbox bug answers as the platform's internal error, never a dead socket
                traceback.print_exc()
                answer = router.fault_answers.get(platform)
                response = answer(request, {"status": 500}) if answer else Response.json({"error": "internal"}, 500)
        self.send(response)

    def send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, router: Router, state):
        super().__init__(address, Handler)
        self.router = router
        self.state = state

    def server_close(self) -> None:
        self.state.stopping.set()
        super().server_close()
