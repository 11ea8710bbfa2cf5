"""Shopee's envelope, its error words and the checks of every signed call (marketplaces.md §2.1-2.2,
marketplaces-orders-auth.md §2.1), written from the reference, not from our adapter."""

import hashlib
import hmac
import time

from sandbox.web import Request, Response, request_id

TIMESTAMP_WINDOW = 5 * 60  # "timestamp (Unix s, valid 5 min)"


def answer(response: dict | None = None, flat: dict | None = None) -> Response:
    """Success: {"request_id", "error": "", "message": "", "response"}; the token calls are flat."""
    body = {"request_id": request_id(), "error": "", "message": ""}
    body.update(flat if flat is not None else {"response": response or {}})
    return Response.json(body)


def error(code: str, message: str, status: int = 200) -> Response:
    return Response.json({"request_id": request_id(), "error": code, "message": message}, status)


def fault_answer(request: Request, fault: dict) -> Response:
    """An injected fault. Shopee's rate-limit answer is not in the stored docs (marketplaces.md §2.7):
    the sandbox says HTTP 429 with error "error_too_many_request", its own choice, named as such."""
    status = int(fault["status"])
    if status == 429:
        return error("error_too_many_request", "Too many requests, please retry later.", 429)
    return error("error_server", "Internal error, please retry.", status)


def sign(partner_key: str, base: str) -> str:
    return hmac.new(partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()


class Refused(Exception):
    def __init__(self, response: Response):
        super().__init__(response.body)
        self.response = response


def check_public(state, request: Request):
    """partner_id, timestamp (5 min) and sign over partner_id + path + timestamp; the partner."""
    partner = state.shopee.partners.get(request.query.get("partner_id", ""))
    if partner is None:
        raise Refused(error("invalid_partner_id", "Invalid partner_id."))
    timestamp = request.query.get("timestamp", "")
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise Refused(error("error_param", "There is no timestamp in query."))
    if abs(time.time() - int(timestamp)) > TIMESTAMP_WINDOW:  # the real clock: callers sign with theirs
        raise Refused(error("error_param", "Invalid timestamp."))
    return partner, timestamp


def check_sign(partner, request: Request, base: str) -> None:
    if not hmac.compare_digest(sign(partner["partner_key"], base), request.query.get("sign", "")):
        raise Refused(error("error_sign", "Wrong sign."))


def public_call(state, request: Request) -> dict:
    partner, timestamp = check_public(state, request)
    check_sign(partner, request, f"{partner['partner_id']}{request.path}{timestamp}")
    return partner


def shop_call(state, request: Request) -> tuple[dict, dict]:
    """A shop API: the base adds access_token + shop_id; the token must be live and the shop's."""
    partner, timestamp = check_public(state, request)
    access_token = request.query.get("access_token", "")
    if not access_token:
        raise Refused(error("error_param", "There is no access_token in query."))
    shop_id = request.query.get("shop_id", "")
    check_sign(partner, request, f"{partner['partner_id']}{request.path}{timestamp}{access_token}{shop_id}")
    store = state.shopee
    shop = store.shops.get(shop_id)
    if shop is None:
        raise Refused(error("error_shop", "shopid is invalid"))
    token = store.tokens.get(access_token)
    if token is None or token["shop_id"] != shop["shop_id"] or token["partner_id"] != partner["partner_id"]:
        raise Refused(error("error_auth", "Invalid access_token."))
    if token["expire"] <= store.now():
        raise Refused(error("error_auth", "Invalid access_token."))
    return partner, shop


def signed(kind: str):
    """Decorate handler(state, request, partner, shop) with the public or shop checks."""

    def wrap(handler):
        def run(state, request: Request) -> Response:
            try:
                if kind == "shop":
                    partner, shop = shop_call(state, request)
                else:
                    partner, shop = public_call(state, request), None
                return handler(state, request, partner, shop)
            except Refused as refused:
                return refused.response

        run.__name__ = handler.__name__
        return run

    return wrap
