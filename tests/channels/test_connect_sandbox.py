"""`manage.py connect_sandbox`: the demo's TikTok Shop, Shopee and Lazada stores connected to the running sandbox, with
orders there to sync; nothing done (and said) when the sandbox is not running."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from channels.connections import session
from channels.demo import STORES
from channels.models import Channel, Connection, ConnectionStatus
from tests.factories import StoreFactory, TenantFactory

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("connect_sandbox", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_stores(sandbox, settings):
    settings.SANDBOX_URL = sandbox.url
    settings.CHANNEL_APIS["tiktok"] = {
        **settings.CHANNEL_APIS["tiktok"],
        "api_base": sandbox.url,
        "auth_base": sandbox.url,
        "authorize_url": sandbox.url + "/open/authorize",
    }
    settings.CHANNEL_APIS["shopee"] = {**settings.CHANNEL_APIS["shopee"], "api_base": sandbox.url}
    settings.CHANNEL_APIS["lazada"] = {
        **settings.CHANNEL_APIS["lazada"],
        "api_base": sandbox.url,
        "auth_base": sandbox.url,
        "authorize_url": sandbox.url + "/oauth/authorize",
    }
    tenant = TenantFactory()
    return {
        channel: StoreFactory(tenant=tenant, name=name, channel=channel, site=site, currency=currency, external_id=shop)
        for _, name, channel, site, currency, shop in STORES
        if channel in (Channel.TIKTOK, Channel.SHOPEE, Channel.LAZADA) and _ == "seller"
    }


@pytest.mark.parametrize("channel", [Channel.TIKTOK, Channel.SHOPEE, Channel.LAZADA])
def test_each_demo_store_is_connected_with_orders_waiting(demo_stores, channel):
    said = run()

    store = demo_stores[channel]
    assert f"{store.name}: connected, 5 orders waiting to sync" in said
    assert Connection.objects.get(store=store).status == ConnectionStatus.CONNECTED
    now = timezone.now()
    since, until = now - timedelta(hours=1), now + timedelta(minutes=1)
    with session(store) as live:
        pages = live.adapter.changed_orders(live.access_token, live.shop, since, until)
        orders = [order for page in pages for order in page]
    assert len(orders) == 5 and {item.seller_sku for item in orders[0].items} == {"CASE-IP15-CLR", "SCRN-IP15"}


def test_run_again_it_keeps_the_connection(demo_stores):
    run()
    before = Connection.objects.get(store=demo_stores[Channel.TIKTOK]).access_token
    assert f"{demo_stores[Channel.TIKTOK].name}: already connected" in run()
    assert Connection.objects.get(store=demo_stores[Channel.TIKTOK]).access_token == before


def test_without_the_sandbox_it_says_so_and_connects_nothing(demo_stores, settings):
    settings.SANDBOX_URL = "http://127.0.0.1:9"  # the discard port: nothing listens
    assert "not running at http://127.0.0.1:9" in run()
    assert not Connection.objects.exists()
