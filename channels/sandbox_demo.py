"""`manage.py connect_sandbox`: the demo's TikTok Shop, Shopee and Lazada stores connected to the sandbox
marketplace (`python -m sandbox`), each with a few orders there to sync, so `make run` shows stores
syncing with nothing to set up. It plays the platform's operator (registering our app keys) and the
seller (approving on the authorize page) over the sandbox's HTTP API; the tokens then come from our
own adapters, as for a seller's Connect store. Never for production: the sandbox only."""

import time
from contextlib import closing
from urllib.parse import parse_qs, urlparse

import httpx
from django.conf import settings
from django.db import transaction

from channels.adapters import adapter_for
from channels.adapters.base import PlatformError
from channels.demo import STORES
from channels.models import Channel, Connection, ConnectionStatus, Store
from channels.services import connection_link

SERVER = "http://127.0.0.1:8000"  # make run's address
CALLBACK = f"{SERVER}/settings/stores/connect/callback/"
ORDERS_PER_STORE = 5
DEMO_ITEMS = [  # the demo catalogue's SKU codes (inventory.demo), so the synced lines match
    ("CASE-IP15-CLR", "iPhone 15 Clear Case (MagSafe)", "29.90"),
    ("SCRN-IP15", "iPhone 15 Tempered Glass Screen Protector", "12.00"),
]


class Unreachable(Exception):
    pass


class Sandbox:
    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.http = httpx.Client(timeout=httpx.Timeout(10.0, connect=2.0), follow_redirects=False)

    def control(self, path: str, body: dict) -> dict:
        response = self.http.post(f"{self.url}/_control/{path}", json=body)
        response.raise_for_status()
        return response.json()

    def reachable(self) -> bool:
        try:
            return self.http.get(f"{self.url}/_control/clock").status_code == 200
        except httpx.HTTPError:
            return False

    def approve(self, url: str, form: dict) -> dict:
        """The seller's approval on an authorize page: the query the platform sends back."""
        response = self.http.post(url, data=form)
        if response.status_code != 302:
            raise PlatformError(f"the authorize page answered {response.status_code}")
        return {key: values[0] for key, values in parse_qs(urlparse(response.headers["Location"]).query).items()}


def demo_stores() -> list[Store]:
    wanted = [(name, channel, shop_id) for _, name, channel, _, _, shop_id in STORES]
    stores = [Store.objects.filter(name=n, channel=c, external_id=s).first() for n, c, s in wanted]
    return [store for store in stores if store and store.channel in CONNECT]


def still_connected(store: Store) -> bool:
    """Connected, and the sandbox still knows its token (the sandbox forgets everything when restarted)."""
    connection = Connection.objects.filter(store=store, status=ConnectionStatus.CONNECTED).first()
    if connection is None:
        return False
    try:
        with closing(adapter_for(store.channel)) as adapter:
            return any(shop.id == store.external_id for shop in adapter.shops(connection.access_token))
    except PlatformError:
        return False


def connect_tiktok(sandbox: Sandbox, store: Store) -> None:
    config = settings.CHANNEL_APIS["tiktok"]
    app = {key: config[key] for key in ("app_key", "app_secret", "service_id")}
    sandbox.control("tiktok/apps", {**app, "redirect_uri": CALLBACK, "webhook_url": webhook_url(Channel.TIKTOK)})
    shop = sandbox.control("tiktok/shops", {"id": store.external_id, "name": store.name, "region": store.site or "MY"})
    items = [{"seller_sku": sku, "product_name": name, "sale_price": price} for sku, name, price in DEMO_ITEMS]
    sandbox.control(
        "tiktok/orders",
        {"shop_id": shop["id"], "count": ORDERS_PER_STORE, "currency": store.currency, "line_items": items},
    )
    with closing(adapter_for(Channel.TIKTOK)) as adapter:
        form = {"service_id": app["service_id"], "state": "demo", "open_id": shop["open_id"], "decision": "approve"}
        answer = sandbox.approve(config["authorize_url"], form)
        link(store, adapter, answer["code"])


def connect_shopee(sandbox: Sandbox, store: Store) -> None:
    config = settings.CHANNEL_APIS["shopee"]
    partner = {"partner_id": config["partner_id"], "partner_key": config["partner_key"], "redirect": CALLBACK}
    sandbox.control("shopee/partners", {**partner, "push_url": webhook_url(Channel.SHOPEE)})
    region = store.site or "MY"
    sandbox.control(
        "shopee/shops",
        {"shop_id": int(store.external_id), "shop_name": store.name, "region": region, "currency": store.currency},
    )
    items = [
        {"model_sku": sku, "item_name": name, "model_original_price": float(price)} for sku, name, price in DEMO_ITEMS
    ]
    sandbox.control("shopee/orders", {"shop_id": int(store.external_id), "count": ORDERS_PER_STORE, "item_list": items})
    with closing(adapter_for(Channel.SHOPEE)) as adapter:
        answer = sandbox.approve(adapter.authorize_url(CALLBACK, "demo"), {"shop_id": store.external_id})
        link(store, adapter, answer["code"], shop_id=answer.get("shop_id", store.external_id))


def connect_lazada(sandbox: Sandbox, store: Store) -> None:
    config = settings.CHANNEL_APIS["lazada"]
    app = {"app_key": config["app_key"], "app_secret": config["app_secret"], "redirect_uri": CALLBACK}
    sandbox.control("lazada/apps", {**app, "webhook_url": webhook_url(Channel.LAZADA)})
    country = store.site or "MY"
    sandbox.control("lazada/sellers", {"seller_id": store.external_id, "name": store.name, "country": country})
    items = [{"sku": sku, "name": name, "item_price": price} for sku, name, price in DEMO_ITEMS]
    sandbox.control("lazada/orders", {"seller_id": store.external_id, "count": ORDERS_PER_STORE, "items": items})
    with closing(adapter_for(Channel.LAZADA)) as adapter:
        form = {"seller_id": store.external_id, "decision": "approve"}
        answer = sandbox.approve(adapter.authorize_url(CALLBACK, "demo"), form)
        link(store, adapter, answer["code"])


def webhook_url(channel: str) -> str:
    return f"{SERVER}/channels/webhooks/{channel}/"


def link(store: Store, adapter, code: str, shop_id: str = "") -> None:
    tokens = adapter.exchange_code(code, shop_id=shop_id)
    (shop,) = [shop for shop in adapter.shops(tokens.access_token) if shop.id == store.external_id]
    with transaction.atomic():
        connection_link(tenant=store.tenant, channel=store.channel, shop=shop, tokens=tokens)


CONNECT = {Channel.TIKTOK: connect_tiktok, Channel.SHOPEE: connect_shopee, Channel.LAZADA: connect_lazada}


def connect_demo_stores(url: str, say, wait: float = 0) -> int:
    """Connect each demo store of a sandbox platform not connected yet; `say` tells what happened.
    Returns how many were connected. Unreachable: the sandbox is not running (after `wait` seconds,
    for a sandbox started just before)."""
    sandbox = Sandbox(url)
    with closing(sandbox.http):
        deadline = time.monotonic() + wait
        while not sandbox.reachable():
            if time.monotonic() >= deadline:
                raise Unreachable(url)
            time.sleep(0.2)
        connected = 0
        for store in demo_stores():
            try:
                adapter_for(store.channel).close()
            except KeyError:
                say(f"  {store.name}: no {store.get_channel_display()} adapter yet, skipped")
                continue
            if still_connected(store):
                say(f"  {store.name}: already connected")
                continue
            try:
                CONNECT[store.channel](sandbox, store)
            except (PlatformError, httpx.HTTPError, KeyError, ValueError) as failed:
                say(f"  {store.name}: not connected ({failed})")
                continue
            connected += 1
            say(f"  {store.name}: connected, {ORDERS_PER_STORE} orders waiting to sync")
        return connected
