"""TikTok Shop authorization against the sandbox process: authorize page, tokens, refresh, expiry,
revocation, authorized shops."""

import time
from urllib.parse import urlencode

from tests.sandbox.conftest import authorize, get_token


def refresh(sandbox, app, refresh_token: str) -> dict:
    query = {"app_key": app["app_key"], "app_secret": app["app_secret"], "refresh_token": refresh_token}
    return sandbox.http("GET", "/api/v2/token/refresh", {**query, "grant_type": "refresh_token"})[1]


def test_the_authorize_page_lists_the_sellers(sandbox, app, shop):
    status, _, headers = sandbox.http("GET", "/open/authorize", {"service_id": app["service_id"], "state": "s1"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")


def test_approving_gives_a_code_once_and_the_code_gives_tokens(sandbox, app, shop):
    code = authorize(sandbox, app, shop, state="csrf-1")
    answer = get_token(sandbox, app, code)
    assert answer["code"] == 0
    data = answer["data"]
    assert data["access_token"] and data["refresh_token"] and data["open_id"] == shop["open_id"]
    now = time.time()
    assert now + 6 * 86400 < data["access_token_expire_in"] < now + 8 * 86400  # absolute seconds, 7 days ahead
    assert data["refresh_token_expire_in"] > data["access_token_expire_in"]
    assert get_token(sandbox, app, code)["code"] == 36004005  # single use


def test_the_token_call_checks_the_app_secret(sandbox, app, shop):
    code = authorize(sandbox, app, shop)
    answer = get_token(sandbox, {**app, "app_secret": "wrong"}, code)
    assert answer["code"] == 36009004 and answer["data"] == {}


def test_a_seller_who_cancels_comes_back_with_auth_denied(sandbox, app, shop):
    form = urlencode({"service_id": app["service_id"], "state": "s2", "open_id": shop["open_id"], "decision": "deny"})
    status, _, headers = sandbox.http("POST", "/open/authorize", body=form.encode())
    assert status == 302
    assert headers["Location"] == "http://app.test/cb?code=null&error=auth_denied&state=s2"


def test_a_refresh_gives_new_tokens_and_keeps_the_authorization_end(sandbox, app, shop):
    first = get_token(sandbox, app, authorize(sandbox, app, shop))["data"]
    answer = refresh(sandbox, app, first["refresh_token"])
    assert answer["code"] == 0
    second = answer["data"]
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["refresh_token_expire_in"] == first["refresh_token_expire_in"]
    assert refresh(sandbox, app, first["refresh_token"])["code"] == 36004005  # spent


def test_an_expired_token_is_refused_until_refreshed(sandbox, shop):
    app = sandbox.control("POST", "tiktok/apps", {"service_id": "9", "access_ttl": 60, "refresh_ttl": 3600})
    tokens = get_token(sandbox, app, authorize(sandbox, app, shop))["data"]
    assert sandbox.tiktok("GET", "/authorization/202309/shops", app, tokens["access_token"])[1]["code"] == 0
    sandbox.control("POST", "clock", {"advance": 61})
    _, answer = sandbox.tiktok("GET", "/authorization/202309/shops", app, tokens["access_token"])
    assert answer["code"] == 105002
    fresh = refresh(sandbox, app, tokens["refresh_token"])["data"]
    assert sandbox.tiktok("GET", "/authorization/202309/shops", app, fresh["access_token"])[1]["code"] == 0
    sandbox.control("POST", "clock", {"advance": 3600})
    assert refresh(sandbox, app, fresh["refresh_token"])["code"] == 36004001  # the authorization ended


def test_a_revoked_token_is_refused(sandbox, app, shop, token):
    assert sandbox.control("POST", "tiktok/revoke", {"open_id": shop["open_id"]}) == {"revoked": 1}
    _, answer = sandbox.tiktok("GET", "/authorization/202309/shops", app, token)
    assert answer["code"] == 36009004


def test_authorized_shops_names_the_cipher(sandbox, app, shop, token):
    sandbox.control("POST", "tiktok/shops", {"name": "Another seller's shop"})
    status, answer = sandbox.tiktok("GET", "/authorization/202309/shops", app, token)
    assert status == 200 and answer["code"] == 0
    assert answer["data"]["shops"] == [
        {key: shop[key] for key in ("id", "name", "region", "seller_type", "cipher", "code")}
    ]
