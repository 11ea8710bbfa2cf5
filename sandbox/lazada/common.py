"""Lazada's envelope, its error words and the checks of every signed call (marketplaces.md §3.1-3.2,
marketplaces-orders-auth.md §3.1), written from the reference, not from our adapter.

Success: {"code": "0", "request_id", "data"}; a refusal: {"type", "code", "message", "request_id"} with
HTTP 200 (the shape of the Lazop SDK's samples; the reference marks it [U]). Codes the reference names
are used as named (IncompleteSignature, MissingParameter, IllegalAccessToken, ...); the few it does not
name are the sandbox's own words, said so where they are defined.
"""

import hashlib
import hmac
import time
from datetime import datetime

from sandbox.web import Request, Response, request_id

TIMESTAMP_WINDOW = 7200  # "within 7200 s of UTC" (docId=108067)
UNSIGNED = ("sign",)
BAD_SIGN = "The request signature does not conform to platform standards"
BAD_TOKEN = "The specified access token is invalid or expired"
# Not in the stored docs: the sandbox's own words for these (marked so in the package docstring).
INVALID_APP_KEY = "InvalidAppKey"
INVALID_TIMESTAMP = "InvalidTimestamp"
THROTTLED = "ApiCallLimit"


def answer(data=None, **flat) -> Response:
    """Success: data under "data", or flat fields beside "code" (the token calls answer flat)."""
    body = {"code": "0", "request_id": request_id()}
    body.update(flat if flat else {"data": data if data is not None else {}})
    return Response.json(body)


def error(code: str, message: str, status: int = 200, kind: str = "ISV") -> Response:
    return Response.json({"type": kind, "code": code, "message": message, "request_id": request_id()}, status)


def fault_answer(request: Request, fault: dict) -> Response:
    """An injected fault. Lazada's throttling answer is not in the stored docs (marketplaces.md §3.6):
    the sandbox says HTTP 429 with code "ApiCallLimit", its own choice, named as such."""
    status = int(fault["status"])
    if status == 429:
        return error(THROTTLED, "The request has exceeded the limit for this API, please retry later", 429, "ISP")
    return error("InternalError", "The request processing has failed due to some unknown error", status, "ISP")


def sign(app_secret: str, path: str, params: dict[str, str], body: bytes = b"") -> str:
    """The documented recipe: path + {name}{value} sorted by name (without sign and empty values)
    + the raw body when one is sent; HMAC-SHA256 keyed with the app secret, UPPERCASE hex."""
    pairs = "".join(key + params[key] for key in sorted(params) if key not in UNSIGNED and params[key] != "")
    message = path.encode() + pairs.encode() + body
    return hmac.new(app_secret.encode(), message, hashlib.sha256).hexdigest().upper()


class Refused(Exception):
    def __init__(self, response: Response):
        super().__init__(response.body)
        self.response = response


def params_of(request: Request) -> tuple[dict[str, str], bytes]:
    """Every parameter (query, and a form body's fields) and the raw body that is signed (none for a form)."""
    if request.method == "POST" and request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        return {**request.query, **request.form()}, b""
    return dict(request.query), request.body


def api_path(path: str) -> str:
    """The API path that is signed: production URLs carry /rest before it, the sandbox takes both."""
    return path.removeprefix("/rest")


def timestamp_ok(text: str) -> bool:
    """Milliseconds since the epoch, or an ISO time (the reference gives both); within 7200 s of now
    on the real clock (callers sign with theirs, whatever time the sandbox shows)."""
    if text.isascii() and text.isdigit() and len(text) <= 16:
        seconds = int(text) / 1000
    else:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return False
        if moment.tzinfo is None:
            return False
        seconds = moment.timestamp()
    return abs(time.time() - seconds) <= TIMESTAMP_WINDOW


def check(state, request: Request, seller_api: bool):
    """The checks of every call, in this order: app_key, timestamp, sign_method, sign, then on seller
    APIs the access token. Returns (app, params, token or None); raises Refused with the answer."""
    params, body = params_of(request)
    for name in ("app_key", "timestamp", "sign"):
        if not params.get(name):
            raise Refused(error("MissingParameter", f"Missing required parameter: {name}"))
    app = state.lazada.apps.get(params["app_key"])
    if app is None:
        raise Refused(error(INVALID_APP_KEY, "The specified app_key is invalid"))
    if not timestamp_ok(params["timestamp"]):
        raise Refused(error(INVALID_TIMESTAMP, "The timestamp is invalid or more than 7200 seconds from now"))
    if params.get("sign_method", "sha256").lower() != "sha256":
        raise Refused(error("InvalidParameter", "sign_method must be sha256"))
    expected = sign(app.app_secret, api_path(request.path), params, body)
    if not hmac.compare_digest(expected, params["sign"].upper()):
        raise Refused(error("IncompleteSignature", BAD_SIGN))
    if not seller_api:
        return app, params, None
    if not params.get("access_token"):
        raise Refused(error("MissingParameter", "Missing required parameter: access_token"))
    token = state.lazada.live_token(params["access_token"], app.app_key)
    if token is None:
        raise Refused(error("IllegalAccessToken", BAD_TOKEN))
    return app, params, token


def signed(seller_api: bool = True):
    """Decorate a handler with the checks: handler(state, request, params, token) on seller APIs,
    handler(state, request, params, app) on system APIs (the token calls)."""

    def wrap(handler):
        def run(state, request: Request) -> Response:
            try:
                app, params, token = check(state, request, seller_api)
                state.lazada.settle()
                return handler(state, request, params, token if seller_api else app)
            except Refused as refused:
                return refused.response

        run.__name__ = handler.__name__
        return run

    return wrap


def sign_push(app, body: bytes) -> str:
    """A push's Authorization header: hex HMAC-SHA256(app_secret, app_key + raw body), lower case as
    the Java sample prints it (marketplaces.md §3.5)."""
    return hmac.new(app.app_secret.encode(), app.app_key.encode() + body, hashlib.sha256).hexdigest()
