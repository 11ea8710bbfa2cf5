"""TikTok Shop's envelope, its error codes, and the checks every signed call goes through:
app_key, timestamp window, sign, access token, and (on shop APIs) shop_cipher."""

import time

from sandbox.tiktok import signing
from sandbox.tiktok.store import Seller, Token
from sandbox.web import Request, Response, request_id

# Codes from common-errors.md (marketplaces-orders-auth.md §1.1, marketplaces.md §1.1). The messages
# are ours: the reference gives the codes, not TikTok's exact wording.
INVALID_CREDENTIALS = 36009004  # invalid token / app_key / timestamp, missing sign
BAD_SIGN = 106001
EXPIRED_TOKEN = 105002
SHOP_NOT_AUTHORIZED = 101000  # the token is not linked to this shop_cipher
NO_SHOP_CIPHER = 106013
THROTTLED = 36009002
INTERNAL_ERROR = 36009003
BAD_PARAM = 25001001
NOT_SELLERS_ORDER = 21008111
BAD_CANCEL_REASON = 25001021  # reason not valid for the order's status
TIMESTAMP_PAST = 5 * 60  # accepted: now - 5 min .. now + 30 s
TIMESTAMP_FUTURE = 30


def answer(data: dict | None = None, code: int = 0, message: str = "Success", status: int = 200) -> Response:
    return Response.json({"code": code, "message": message, "request_id": request_id(), "data": data or {}}, status)


def error(code: int, message: str, status: int = 200) -> Response:
    return answer(None, code, message, status)


def fault_answer(request: Request, fault: dict) -> Response:
    """An injected fault in TikTok's words: 429 is its rate limit (36009002), 5xx an internal error."""
    status = int(fault["status"])
    if status == 429:
        return error(THROTTLED, "Too many requests, please retry later", 429)
    return error(INTERNAL_ERROR, "Internal error, please retry", status)


class Refused(Exception):
    def __init__(self, response: Response):
        super().__init__(response.body)
        self.response = response


def authenticate(state, request: Request) -> Token:
    """The checks of every signed call, in TikTok's order; raises Refused with its answer."""
    store = state.tiktok
    app = store.apps.get(request.query.get("app_key", ""))
    if app is None:
        raise Refused(error(INVALID_CREDENTIALS, "Invalid app_key"))
    try:
        timestamp = int(request.query.get("timestamp", ""))
    except ValueError:
        raise Refused(error(INVALID_CREDENTIALS, "Invalid timestamp")) from None
    now = time.time()  # the window uses the real clock: callers sign with theirs, whatever time the sandbox shows
    if not now - TIMESTAMP_PAST <= timestamp <= now + TIMESTAMP_FUTURE:
        raise Refused(error(INVALID_CREDENTIALS, "Invalid timestamp: outside the accepted window"))
    if not request.query.get("sign"):
        raise Refused(error(INVALID_CREDENTIALS, "Missing sign"))
    content_type = request.headers.get("content-type", "")
    if not signing.valid(app.app_secret, request.path, request.query, request.body, content_type):
        raise Refused(error(BAD_SIGN, "Invalid signature"))
    token = store.tokens.get(request.headers.get("x-tts-access-token", ""))
    if token is None or token.revoked or token.app_key != app.app_key:
        raise Refused(error(INVALID_CREDENTIALS, "Invalid access token"))
    if token.access_expire <= store.now():
        raise Refused(error(EXPIRED_TOKEN, "Access token is expired, please refresh it"))
    return token


def shop_of(state, request: Request, token: Token) -> tuple[Seller, dict]:
    """The shop named by shop_cipher, if this token's seller owns it."""
    cipher = request.query.get("shop_cipher", "")
    if not cipher:
        raise Refused(error(NO_SHOP_CIPHER, "shop_cipher is required"))
    seller, shop = state.tiktok.shop_by_cipher(cipher)
    if shop is None or seller.open_id != token.open_id:
        raise Refused(error(SHOP_NOT_AUTHORIZED, "The access token is not authorized for this shop_cipher"))
    return seller, shop


def signed(shop_scoped: bool):
    """Decorate a handler(state, request, token, shop) with the common checks."""

    def wrap(handler):
        def run(state, request: Request) -> Response:
            try:
                token = authenticate(state, request)
                shop = shop_of(state, request, token)[1] if shop_scoped else None
                return handler(state, request, token, shop)
            except Refused as refused:
                return refused.response

        run.__name__ = handler.__name__
        return run

    return wrap
