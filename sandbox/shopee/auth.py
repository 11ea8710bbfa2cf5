"""Shopee authorization (marketplaces-orders-auth.md §2.1): the signed auth_partner link shows a page
where the seller picks a shop; the redirect carries ?code=&shop_id=; token/get and access_token/get."""

from html import escape
from urllib.parse import urlencode

from sandbox.shopee.common import answer, error, signed
from sandbox.web import Request, Response

PAGE = """<!doctype html><html><head><title>Authorize partner {partner} - Shopee sandbox</title></head><body>
<h1>Authorize partner {partner}</h1><form method="post" action="/api/v2/shop/auth_partner?{query}">
<p><label>Shop <select name="shop_id">{shops}</select></label></p>
<button name="decision" value="approve">Confirm Authorization</button>
</form></body></html>"""


@signed("public")
def auth_page(state, request: Request, partner: dict, shop: None) -> Response:
    """GET: the signed link (a public-API sign over this path; dead 5 min after its timestamp)."""
    shops = "".join(
        f'<option value="{s["shop_id"]}">{escape(s["shop_name"])} ({escape(s["region"])})</option>'
        for s in state.shopee.shops.values()
    )
    query = escape(urlencode(request.query))
    return Response.html(PAGE.format(partner=partner["partner_id"], query=query, shops=shops))


@signed("public")
def auth_decide(state, request: Request, partner: dict, shop: None) -> Response:
    """POST (the page's form, same signed query): back to `redirect` (else the partner's) with code, shop_id."""
    picked = state.shopee.shops.get(request.form().get("shop_id", ""))
    if picked is None:
        return Response.html("<p>Pick a shop</p>", 400)
    redirect = request.query.get("redirect") or partner["redirect"]
    code = state.shopee.issue_code(partner, picked)
    joiner = "&" if "?" in redirect else "?"
    return Response.redirect(redirect + joiner + urlencode({"code": code, "shop_id": picked["shop_id"]}))


def body_of(state, request: Request, partner: dict) -> dict | Response:
    body = request.json()
    if body.get("partner_id") != partner["partner_id"]:
        return error("error_param", "partner_id in the body must match the query.")
    if type(body.get("shop_id")) is not int or str(body["shop_id"]) not in state.shopee.shops:
        return error("invalid_shop_id", "Invalid shop_id.")
    return body


def token_fields(state, token: dict) -> dict:
    return {
        "access_token": token["access_token"],
        "refresh_token": token["refresh_token"],
        "expire_in": token["expire"] - state.shopee.now(),  # a duration in seconds, not a moment
    }


@signed("public")
def token_get(state, request: Request, partner: dict, shop: None) -> Response:
    body = body_of(state, request, partner)
    if isinstance(body, Response):
        return body
    grant = state.shopee.take_code(str(body.get("code", "")), partner, body["shop_id"])
    if grant is None:
        return error("invalid_code", "Invalid code, the code is expired or used or invalid.")
    token = state.shopee.issue_token(partner, grant["shop_id"])
    return answer(flat={**token_fields(state, token), "shop_id_list": [grant["shop_id"]], "merchant_id_list": []})


@signed("public")
def token_refresh(state, request: Request, partner: dict, shop: None) -> Response:
    """A new access and refresh token; the old refresh token is spent ("usable once")."""
    body = body_of(state, request, partner)
    if isinstance(body, Response):
        return body
    store = state.shopee
    old = store.refresh_tokens.get(str(body.get("refresh_token", "")))
    if old is None or old["shop_id"] != body["shop_id"] or old["partner_id"] != partner["partner_id"]:
        return error("error_auth", "Invalid refresh_token.")
    if old["refresh_expire"] <= store.now():
        return error("refresh_token_expired", "Refresh token is expired.")
    del store.refresh_tokens[old["refresh_token"]]
    token = store.issue_token(partner, old["shop_id"])
    fields = token_fields(state, token)
    return answer(flat={"partner_id": partner["partner_id"], "shop_id": old["shop_id"], **fields})


ROUTES = [
    ("GET", r"/api/v2/shop/auth_partner", auth_page),
    ("POST", r"/api/v2/shop/auth_partner", auth_decide),
    ("POST", r"/api/v2/auth/token/get", token_get),
    ("POST", r"/api/v2/auth/access_token/get", token_refresh),
]
