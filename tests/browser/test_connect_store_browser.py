"""Connect store in a real browser: our page, the platform's authorize page (the sandbox marketplace, a
real process), and back to the new store's page."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from channels.models import Connection, ConnectionStatus, Store
from tests.browser.waits import loads, swaps
from tests.channels.connecting import register_tiktok_app
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_seller_connects_a_tiktok_shop_and_lands_on_its_page_connected(
    page, log_in, owner, live_server, sandbox, settings
):
    # given our app on the platform, sending sellers back to this server, and the seller's shop there
    register_tiktok_app(sandbox, settings, redirect_uri=live_server.url + reverse("settings:store-connect-callback"))
    shop = sandbox.control("POST", "tiktok/shops", {"name": "Maomao beauty shop", "region": "MY", "seller_name": "Mao"})
    log_in(owner.username, PASSWORD)
    page.goto("/settings/stores/")

    # when the seller clicks Connect store, picks TikTok Shop, and authorizes on the platform's page
    with loads(page):
        page.get_by_role("link", name="Connect store").click()
    with loads(page):
        page.get_by_role("link", name="TikTok Shop").click()
    expect(page).to_have_url(re.compile(re.escape(sandbox.url + "/open/authorize?")))
    page.get_by_label("Seller").select_option(shop["open_id"])
    with loads(page):
        page.get_by_role("button", name="Authorize").click()

    # then they are back on the new store's page, connected
    store = Store.objects.get(tenant=owner.tenant, external_id=shop["id"])
    expect(page).to_have_url(live_server.url + reverse("settings:store-detail", args=[store.pk]))
    expect(page.get_by_role("heading", name="Maomao beauty shop")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Connected: Maomao beauty shop.")
    expect(page.get_by_test_id("connection-status")).to_have_text("Connected")

    # and Sync now starts a sync whose progress the panel shows, its button disabled meanwhile
    with swaps(page):
        page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_role("status")).to_contain_text("Syncing… 0 orders so far.")
    expect(page.get_by_role("button", name="Sync now")).to_be_disabled()
    assert Connection.objects.get(store=store).status == ConnectionStatus.CONNECTED

    # and the panel follows the sync by itself (polled every 2 s) until it ends
    Connection.objects.filter(store=store).update(sync_progress=7)
    expect(page.get_by_role("status")).to_contain_text("Syncing… 7 orders so far.")
    Connection.objects.filter(store=store).update(sync_started_at=None, orders_synced=7, last_synced_at=timezone.now())
    expect(page.get_by_role("button", name="Sync now")).to_be_enabled()
    expect(page.get_by_role("region", name="Sync")).to_contain_text(re.compile(r"Orders synced\s*7"))
