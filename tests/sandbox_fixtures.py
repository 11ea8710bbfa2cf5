"""The sandbox marketplace for tests: a real process on a free port (one per test session, started by
the first test that asks; tests/conftest.py offers the fixtures everywhere); each test starts from
a reset state. Calls go over HTTP with urllib, signed by the recipe in tiktok_sign below."""

import hashlib
import hmac
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tiktok_sign(secret: str, path: str, query: dict, body: bytes = b"") -> str:
    """TikTok's official recipe (marketplaces.md §1.2), written here apart from the sandbox's."""
    pairs = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in ("sign", "access_token"))
    message = secret + path + pairs + body.decode() + secret
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Sandbox:
    def __init__(self, url: str):
        self.url = url

    def http(self, method: str, path: str, query=None, body=None, headers=None, timeout=10):
        """(HTTP status, JSON answer or None, response headers); HTTP errors are answers too."""
        url = self.url + path + ("?" + urlencode(query) if query else "")
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=timeout) as response:
                status, raw, got = response.status, response.read(), response.headers
        except urllib.error.HTTPError as refused:
            status, raw, got = refused.code, refused.read(), refused.headers
        try:
            return status, json.loads(raw), got
        except ValueError:
            return status, None, got

    def control(self, method: str, path: str, body=None):
        status, answer, _ = self.http(
            method, "/_control/" + path, body=body, headers={"Content-Type": "application/json"}
        )
        assert status < 300, (status, answer)
        return answer

    def tiktok(self, method, path, app, token="", query=None, body=None, timestamp=None, sign=None):
        """A signed TikTok call; `sign` replaces the right signature when given."""
        query = {"app_key": app["app_key"], "timestamp": str(timestamp or int(time.time())), **(query or {})}
        raw = json.dumps(body).encode() if body is not None else b""
        query["sign"] = sign if sign is not None else tiktok_sign(app["app_secret"], path, query, raw)
        headers = {"Content-Type": "application/json", "x-tts-access-token": token}
        status, answer, _ = self.http(method, path, query, raw if body is not None else None, headers)
        return status, answer


@pytest.fixture(scope="session")
def sandbox_url():
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        found = re.search(r"http://[\d.]+:(\d+)", line)
        assert found, f"the sandbox printed {line!r}"
        yield f"http://127.0.0.1:{found.group(1)}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sandbox(sandbox_url):
    client = Sandbox(sandbox_url)
    client.control("POST", "reset")
    return client


@pytest.fixture
def app(sandbox):
    return sandbox.control(
        "POST",
        "tiktok/apps",
        {"app_key": "29a39d", "app_secret": "e59af819cc", "service_id": "7001", "redirect_uri": "http://app.test/cb"},
    )


@pytest.fixture
def shop(sandbox):
    return sandbox.control("POST", "tiktok/shops", {"name": "Maomao beauty shop", "region": "GB"})


def authorize(sandbox, app, shop, state="xyz") -> str:
    """The seller approves on the authorize page; the auth_code the redirect carries."""
    form = urlencode(
        {"service_id": app["service_id"], "state": state, "open_id": shop["open_id"], "decision": "approve"}
    )
    status, _, headers = sandbox.http("POST", "/open/authorize", body=form.encode())
    assert status == 302
    location = headers["Location"]
    assert location.startswith(app["redirect_uri"] + "?") and f"state={state}" in location
    return re.search(r"code=([^&]+)", location).group(1)


def get_token(sandbox, app, code: str) -> dict:
    query = {"app_key": app["app_key"], "app_secret": app["app_secret"], "auth_code": code}
    return sandbox.http("GET", "/api/v2/token/get", {**query, "grant_type": "authorized_code"})[1]


@pytest.fixture
def token(sandbox, app, shop):
    answer = get_token(sandbox, app, authorize(sandbox, app, shop))
    assert answer["code"] == 0, answer
    return answer["data"]["access_token"]


def linked(tenant, channel, shop, tokens):
    """The store of `shop`, connected with `tokens`, as Connect store's callback writes it."""
    from django.db import transaction

    from channels.services import connection_link

    with transaction.atomic():
        return connection_link(tenant=tenant, channel=channel, shop=shop, tokens=tokens)


def connect_tiktok(sandbox, settings, tenant, *, name="TikTok Shop - Sandbox", access_ttl=None, webhook_url=""):
    """A TikTok store of `tenant` connected to the sandbox as the app in settings.CHANNEL_APIS: the app and
    a shop made there, the seller's approval, the code exchanged by our adapter. (store, sandbox shop)."""
    from channels.adapters import adapter_for
    from channels.models import Channel

    config = settings.CHANNEL_APIS["tiktok"] = {
        **settings.CHANNEL_APIS["tiktok"],
        "api_base": sandbox.url,
        "auth_base": sandbox.url,
        "authorize_url": sandbox.url + "/open/authorize",
    }
    app = {
        "app_key": config["app_key"],
        "app_secret": config["app_secret"],
        "service_id": config["service_id"],
        "redirect_uri": "http://app.test/cb",
        "webhook_url": webhook_url,
    }
    if access_ttl:
        app["access_ttl"] = access_ttl
    app = sandbox.control("POST", "tiktok/apps", app)
    shop = sandbox.control("POST", "tiktok/shops", {"name": name, "region": "MY"})
    with adapter_for(Channel.TIKTOK) as adapter:
        tokens = adapter.exchange_code(authorize(sandbox, app, shop))
        (ours,) = [s for s in adapter.shops(tokens.access_token) if s.id == str(shop["id"])]
    store = linked(tenant, Channel.TIKTOK, ours, tokens)
    return store, shop


def shopee_authorize(sandbox, authorize_url: str, shop_id: int) -> dict:
    """The seller opens our signed auth_partner link and confirms for the shop; the redirect's query
    ({state, code, shop_id}: Shopee keeps the redirect's own query and adds code and shop_id)."""
    link = urlsplit(authorize_url)
    query = dict(parse_qsl(link.query))
    status, _, _ = sandbox.http("GET", link.path, query)
    assert status == 200, status
    form = urlencode({"shop_id": shop_id, "decision": "approve"}).encode()
    status, _, headers = sandbox.http("POST", link.path, query, form)
    assert status == 302, status
    back = urlsplit(headers["Location"])
    assert back._replace(query="").geturl() == urlsplit(query["redirect"])._replace(query="").geturl()
    return dict(parse_qsl(back.query))


def connect_shopee(sandbox, settings, tenant, *, name="Shopee - Sandbox", access_ttl=None, push_url=""):
    """A Shopee store of `tenant` connected to the sandbox as the partner in settings.CHANNEL_APIS: the
    partner and a shop made there, the seller's confirmation on our auth link, the code exchanged by
    our adapter. (store, sandbox shop)."""
    from channels.adapters import adapter_for
    from channels.models import Channel

    config = settings.CHANNEL_APIS["shopee"] = {**settings.CHANNEL_APIS["shopee"], "api_base": sandbox.url}
    partner = {"partner_id": config["partner_id"], "partner_key": config["partner_key"], "push_url": push_url}
    if access_ttl:
        partner["access_ttl"] = access_ttl
    sandbox.control("POST", "shopee/partners", partner)
    shop = sandbox.control("POST", "shopee/shops", {"shop_name": name, "region": "SG", "currency": "SGD"})
    with adapter_for(Channel.SHOPEE) as adapter:
        back = shopee_authorize(sandbox, adapter.authorize_url("http://app.test/shopee/cb", "st"), shop["shop_id"])
        assert back["state"] == "st"
        tokens = adapter.exchange_code(back["code"], shop_id=back["shop_id"])
        (ours,) = adapter.shops(tokens.access_token)
    store = linked(tenant, Channel.SHOPEE, ours, tokens)
    return store, shop


# --- Lazada ---------------------------------------------------------------------------------------


def lazada_sign(secret: str, path: str, params: dict) -> str:
    """Lazada's documented recipe (marketplaces.md §3.2), written here apart from the sandbox's."""
    pairs = "".join(f"{key}{params[key]}" for key in sorted(params) if key != "sign" and params[key] != "")
    return hmac.new(secret.encode(), (path + pairs).encode(), hashlib.sha256).hexdigest().upper()


def lazada_call(sandbox, path, app, token="", params=None, timestamp=None, sign=None):
    """A signed Lazada GET; `sign` replaces the right signature when given. (HTTP status, answer)."""
    query = {"app_key": app["app_key"], "timestamp": str(timestamp or int(time.time() * 1000))}
    query |= {"sign_method": "sha256", **({"access_token": token} if token else {}), **(params or {})}
    query["sign"] = sign if sign is not None else lazada_sign(app["app_secret"], path, query)
    status, answer, _ = sandbox.http("GET", path, query)
    return status, answer


def lazada_authorize(sandbox, app, seller, state="xyz") -> str:
    """The seller approves on the authorize page; the code the redirect carries."""
    link = {"response_type": "code", "force_auth": "true", "redirect_uri": app["redirect_uri"]}
    link |= {"client_id": app["app_key"], "state": state}
    form = urlencode({"seller_id": seller["seller_id"], "decision": "approve"})
    status, _, headers = sandbox.http("POST", "/oauth/authorize", link, body=form.encode())
    assert status == 302, status
    location = headers["Location"]
    assert location.startswith(app["redirect_uri"] + "?") and f"state={state}" in location
    return re.search(r"code=([^&]+)", location).group(1)


def connect_lazada(
    sandbox, settings, tenant, *, name="Lazada - Sandbox", country="MY", access_ttl=None, webhook_url=""
):
    """A Lazada store of `tenant` connected to the sandbox as the app in settings.CHANNEL_APIS: the app and
    a seller made there, the seller's approval, the code exchanged by our adapter. (store, sandbox seller)."""
    from channels.adapters import adapter_for
    from channels.models import Channel

    config = settings.CHANNEL_APIS["lazada"] = {
        **settings.CHANNEL_APIS["lazada"],
        "api_base": sandbox.url,
        "auth_base": sandbox.url,
        "authorize_url": sandbox.url + "/oauth/authorize",
    }
    app = {"app_key": config["app_key"], "app_secret": config["app_secret"], "redirect_uri": "http://app.test/cb"}
    app = sandbox.control("POST", "lazada/apps", {**app, "webhook_url": webhook_url, "access_ttl": access_ttl})
    seller = sandbox.control("POST", "lazada/sellers", {"name": name, "country": country})
    with adapter_for(Channel.LAZADA) as adapter:
        tokens = adapter.exchange_code(lazada_authorize(sandbox, app, seller))
        (ours,) = adapter.shops(tokens.access_token)
    store = linked(tenant, Channel.LAZADA, ours, tokens)
    return store, seller
