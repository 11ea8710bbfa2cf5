"""Lazada authorization (marketplaces-orders-auth.md §3.1): the authorize page (auth.lazada.com/oauth/
authorize), the signed token calls /auth/token/create and /auth/token/refresh (auth.lazada.com/rest),
and GET /seller/get."""

from html import escape
from urllib.parse import urlencode

from sandbox.lazada.common import answer, error, signed
from sandbox.lazada.store import App, Token
from sandbox.web import Request, Response

PAGE = """<!doctype html><html><head><title>Authorize {app} - Lazada sandbox</title></head><body>
<h1>Authorize app {app}</h1><form method="post" action="/oauth/authorize?{query}">
<p><label>Seller account <select name="seller_id">{sellers}</select></label></p>
<button name="decision" value="approve">Submit</button> <button name="decision" value="deny">Cancel</button>
</form></body></html>"""


def app_for_page(state, query: dict) -> App | str:
    """The app the link names, or why the link is refused (client_id, redirect_uri as registered)."""
    app = state.lazada.apps.get(query.get("client_id", ""))
    if app is None:
        return "Invalid client_id"
    if query.get("response_type") != "code":
        return "response_type must be code"
    if query.get("redirect_uri") != app.redirect_uri:
        return "redirect_uri does not match the callback URL registered for the app"
    if "uuid" in query:
        return "uuid must not be sent"
    return app


def authorize_page(state, request: Request) -> Response:
    app = app_for_page(state, request.query)
    if isinstance(app, str):
        return Response.html(f"<p>{escape(app)}</p>", 400)
    sellers = "".join(
        f'<option value="{s["seller_id"]}">{escape(s["name"])} ({s["country"]})</option>'
        for s in state.lazada.sellers.values()
    )
    query = escape(urlencode(request.query))
    return Response.html(PAGE.format(app=escape(app.app_key), query=query, sellers=sellers))


def authorize_decide(state, request: Request) -> Response:
    """Back to redirect_uri with ?code=&state= (the layout is shown only as an image: the standard
    OAuth2 form, [U]); a refusal carries error=access_denied, the OAuth2 word, also [U]."""
    form = {**request.query, **request.form()}
    app = app_for_page(state, form)
    if isinstance(app, str):
        return Response.html(f"<p>{escape(app)}</p>", 400)
    params = {"state": form["state"]} if form.get("state") else {}
    seller = state.lazada.seller(form.get("seller_id", ""))
    if form.get("decision") != "approve" or seller is None:
        params = {"error": "access_denied", **params}
    else:
        params = {"code": state.lazada.issue_code(app, seller), **params}
    joiner = "&" if "?" in app.redirect_uri else "?"
    return Response.redirect(app.redirect_uri + joiner + urlencode(params))


def token_fields(state, token: Token, info_name: str) -> dict:
    seller = state.lazada.sellers[token.seller_id]
    now = state.lazada.now()
    info = {
        "country": seller["country"],
        "user_id": str(seller["user_id"]),
        "seller_id": str(seller["seller_id"]),
        "short_code": seller["short_code"],
    }
    return {
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
        "expires_in": token.access_expire - now,  # seconds from now
        "refresh_expires_in": token.refresh_expire - now,
        "country": seller["country"].lower(),
        "account_platform": "seller_center",
        "account": seller["email"],
        "account_id": None,  # "null for seller_center"
        info_name: [info],
    }


@signed(seller_api=False)
def token_create(state, request: Request, params: dict, app: App) -> Response:
    grant = state.lazada.take_code(app, params.get("code", ""))
    if grant is None:
        return error("InvalidCode", "Invalid authorization code")
    token = state.lazada.issue_token(app, grant["seller_id"])
    return answer(**token_fields(state, token, "country_user_info"))


@signed(seller_api=False)
def token_refresh(state, request: Request, params: dict, app: App) -> Response:
    """New access and refresh tokens: the access lifetime restarts, the refresh lifetime does not. The
    old refresh token is spent ("always store the latest"; the sandbox is strict about it)."""
    store = state.lazada
    old = store.refresh_tokens.get(params.get("refresh_token", ""))
    if old is None or old.revoked or old.app_key != app.app_key or old.refresh_expire <= store.now():
        return error("IllegalRefreshToken", "The specified refresh token is invalid or expired")
    del store.refresh_tokens[old.refresh_token]
    token = store.issue_token(app, old.seller_id, refresh_expire=old.refresh_expire)
    return answer(**token_fields(state, token, "country_user_info_list"))  # the refresh sample's name


@signed()
def seller_get(state, request: Request, params: dict, token: Token) -> Response:
    seller = state.lazada.sellers[token.seller_id]
    data = {
        "seller_id": seller["seller_id"],
        "name": seller["name"],
        "short_code": seller["short_code"],
        "name_company": seller["name"] + " Sdn Bhd",
        "email": seller["email"],
        "cb": False,
        "status": seller["status"],
        "verified": True,
        "location": seller["country"],
    }
    return answer(data)


ROUTES = [
    ("GET", r"/oauth/authorize", authorize_page),
    ("POST", r"/oauth/authorize", authorize_decide),
    ("GET", r"(?:/rest)?/auth/token/create", token_create),
    ("POST", r"(?:/rest)?/auth/token/create", token_create),
    ("GET", r"(?:/rest)?/auth/token/refresh", token_refresh),
    ("POST", r"(?:/rest)?/auth/token/refresh", token_refresh),
    ("GET", r"(?:/rest)?/seller/get", seller_get),
]
