"""TikTok Shop authorization (marketplaces-orders-auth.md §1.1): the authorize page a seller approves
or rejects, the token calls (not signed; app_secret in the query), and Get Authorized Shops."""

from html import escape
from urllib.parse import urlencode

from sandbox.tiktok.common import INVALID_CREDENTIALS, answer, error, signed
from sandbox.tiktok.store import App, Token
from sandbox.web import Request, Response

# Token-endpoint codes are not in the official docs; these two are third-party (EcomPHP PR #15).
NO_AUTH_RECORD = 36004005
REFRESH_EXPIRED = 36004001

PAGE = """<!doctype html><html><head><title>Authorize {app} - TikTok Shop sandbox</title></head><body>
<h1>Authorize app {app}</h1><form method="post" action="/open/authorize">
<input type="hidden" name="service_id" value="{service_id}"><input type="hidden" name="state" value="{state}">
<p><label>Seller <select name="open_id">{sellers}</select></label></p>
<button name="decision" value="approve">Authorize</button> <button name="decision" value="deny">Cancel</button>
</form></body></html>"""


def authorize_page(state, request: Request) -> Response:
    app = state.tiktok.app_for_service(request.query.get("service_id", ""))
    if app is None:
        return Response.html("<p>Unknown service_id</p>", 404)
    sellers = "".join(
        f'<option value="{escape(s.open_id)}">{escape(s.name)} ({len(s.shops)} shops)</option>'
        for s in state.tiktok.sellers.values()
    )
    page = PAGE.format(
        app=escape(app.app_key),
        service_id=escape(app.service_id),
        state=escape(request.query.get("state", "").strip()),
        sellers=sellers,
    )
    return Response.html(page)


def authorize_decide(state, request: Request) -> Response:
    """The seller's answer: back to the app's redirect URL with ?code=&state=, or code=null&error=auth_denied."""
    form = {**request.query, **request.form()}
    store = state.tiktok
    app = store.app_for_service(form.get("service_id", ""))
    if app is None:
        return Response.html("<p>Unknown service_id</p>", 404)
    params = {"state": form["state"].strip()} if form.get("state", "").strip() else {}
    if form.get("decision") != "approve" or form.get("open_id") not in store.sellers:
        return Response.redirect(callback(app, {"code": "null", "error": "auth_denied", **params}))
    return Response.redirect(callback(app, {"code": store.issue_code(app, form["open_id"]), **params}))


def callback(app: App, params: dict) -> str:
    joiner = "&" if "?" in app.redirect_uri else "?"
    return app.redirect_uri + joiner + urlencode(params)


def app_of(state, request: Request) -> App | None:
    app = state.tiktok.apps.get(request.query.get("app_key", ""))
    if app is None or app.app_secret != request.query.get("app_secret"):
        return None
    return app


def token_data(state, token: Token) -> dict:
    seller = state.tiktok.sellers[token.open_id]
    return {
        "access_token": token.access_token,
        "access_token_expire_in": token.access_expire,  # absolute Unix seconds, not a duration
        "refresh_token": token.refresh_token,
        "refresh_token_expire_in": token.refresh_expire,
        "open_id": seller.open_id,
        "seller_name": seller.name,
        "seller_base_region": seller.region,
        "user_type": 0,
        "granted_scopes": ["seller.order.info", "seller.return_refund.basic", "seller.authorization.info"],
    }


def token_get(state, request: Request) -> Response:
    app = app_of(state, request)
    if app is None:
        return error(INVALID_CREDENTIALS, "Invalid app_key or app_secret")
    if request.query.get("grant_type") != "authorized_code":
        return error(INVALID_CREDENTIALS, "grant_type must be authorized_code")
    grant = state.tiktok.take_code(app, request.query.get("auth_code", ""))
    if grant is None:
        return error(NO_AUTH_RECORD, "can not find related auth record")
    return answer(token_data(state, state.tiktok.issue_token(app, grant["open_id"])), message="success")


def token_refresh(state, request: Request) -> Response:
    """A new access and refresh token; the authorization keeps its end. The old refresh token is spent
    (single use is not stated by TikTok; the sandbox is strict so an adapter must keep the new one)."""
    app = app_of(state, request)
    if app is None:
        return error(INVALID_CREDENTIALS, "Invalid app_key or app_secret")
    if request.query.get("grant_type") != "refresh_token":
        return error(INVALID_CREDENTIALS, "grant_type must be refresh_token")
    store = state.tiktok
    old = store.refresh_tokens.get(request.query.get("refresh_token", ""))
    if old is None or old.revoked or old.app_key != app.app_key:
        return error(NO_AUTH_RECORD, "can not find related auth record")
    if old.refresh_expire <= store.now():
        return error(REFRESH_EXPIRED, "rt has expired")
    del store.refresh_tokens[old.refresh_token]  # the old access token lives on until it expires
    token = store.issue_token(app, old.open_id, refresh_expire=old.refresh_expire)
    return answer(token_data(state, token), message="success")


@signed(shop_scoped=False)
def authorized_shops(state, request: Request, token: Token, shop) -> Response:
    shops = state.tiktok.sellers[token.open_id].shops
    return answer({"shops": [dict(s) for s in shops]})


ROUTES = [
    ("GET", r"/open/authorize", authorize_page),
    ("POST", r"/open/authorize", authorize_decide),
    ("GET", r"/api/v2/token/get", token_get),
    ("GET", r"/api/v2/token/refresh", token_refresh),
    ("GET", r"/authorization/202309/shops", authorized_shops),
]
