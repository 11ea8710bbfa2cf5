"""Settings > Stores: Connect store through the sandbox's authorize page and back, the store page with
its sync, Sync now, Re-authorize and Disconnect, as a seller's browser would ask them (test client)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Perm
from channels.models import Channel, Connection, ConnectionStatus, Store
from channels.signals import sync_requested
from tests.channels.connecting import approve, register_tiktok_app, state_of
from tests.factories import StoreFactory, UserFactory
from tests.sandbox_fixtures import connect_tiktok

pytestmark = pytest.mark.django_db

CALLBACK = reverse("settings:store-connect-callback")


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def seller(login, owner):
    return login(owner)


def test_the_store_list_offers_connect_store_and_shows_each_connection(seller, owner, sandbox, settings):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant, name="TikTok MY")
    StoreFactory(tenant=owner.tenant, name="Offline")
    page = seller.get(reverse("settings:store-list")).content.decode()
    assert reverse("settings:store-connect") in page and "Connect store" in page
    assert reverse("settings:store-detail", args=[store.pk]) in page and "Connected" in page
    connect = seller.get(reverse("settings:store-connect")).content.decode()
    assert f"{reverse('settings:store-connect-start')}?channel=tiktok" in connect and "TikTok Shop" in connect


def test_a_seller_connects_a_store_through_the_platforms_authorize_page(seller, owner, sandbox, settings):
    # given our app on the platform, coming back to our callback, and a shop of the seller there
    app = register_tiktok_app(sandbox, settings)
    shop = sandbox.control("POST", "tiktok/shops", {"name": "Maomao beauty shop", "region": "MY"})
    # when the seller picks TikTok Shop, approves on the platform's page, and the platform sends them back
    sent = seller.get(reverse("settings:store-connect-start"), {"channel": Channel.TIKTOK})
    assert sent.status_code == 302 and sent["Location"].startswith(sandbox.url + "/open/authorize?")
    answer = approve(sandbox, app, shop, state_of(sent["Location"]))
    back = seller.get(CALLBACK, answer, follow=True)
    # then they land on the new store's page, connected
    store = Store.objects.get(tenant=owner.tenant, external_id=shop["id"])
    assert back.redirect_chain[-1][0] == reverse("settings:store-detail", args=[store.pk])
    page = back.content.decode()
    assert "Connected: Maomao beauty shop." in page and ">Connected</span>" in page and "Sync now" in page


def test_a_seller_who_cancels_on_the_platform_is_told_and_nothing_is_connected(seller, owner, sandbox, settings):
    app = register_tiktok_app(sandbox, settings)
    shop = sandbox.control("POST", "tiktok/shops", {"name": "Maomao beauty shop", "region": "MY"})
    sent = seller.get(reverse("settings:store-connect-start"), {"channel": Channel.TIKTOK})
    answer = approve(sandbox, app, shop, state_of(sent["Location"]), decision="deny")
    back = seller.get(CALLBACK, answer)
    assert back.status_code == 302 and back["Location"] == reverse("settings:store-list")
    assert said(back) == ["TikTok Shop did not authorize the connection: nothing was connected."]
    assert not Store.objects.exists()


@pytest.mark.parametrize(
    "query",
    [{}, {"code": "abc", "state": "forged"}, {"code": "abc", "state": "x" * 9000}, {"state": "a:b:c", "error": "1"}],
)
def test_a_hostile_callback_is_refused_in_words_never_a_500(seller, query):
    back = seller.get(CALLBACK, query)
    assert back.status_code == 302 and "Connect store" in said(back)[0]
    assert not Store.objects.exists()


def test_a_channel_not_connectable_is_refused_back_on_connect_store(seller):
    back = seller.get(reverse("settings:store-connect-start"), {"channel": "woocommerce"})
    assert back["Location"] == reverse("settings:store-connect")
    assert "cannot be connected here yet" in said(back)[0]


def test_the_store_page_shows_the_sync_in_words(seller, owner, sandbox, settings):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant)
    now = timezone.now()
    Connection.objects.filter(store=store).update(
        last_synced_at=now,
        synced_until=now - timezone.timedelta(minutes=3),
        orders_synced=1234,
        last_error="TikTok Shop could not be reached (timed out): tried again in a minute.",
        last_error_at=now,
    )
    page = seller.get(reverse("settings:store-detail", args=[store.pk])).content.decode()
    for text in ("Last successful sync", "3\xa0minutes behind", "1234", "could not be reached (timed out)"):
        assert text in page, text
    assert 'hx-trigger="every 2s"' not in page  # no sync running, nothing polled


def test_sync_now_shows_its_progress_polling_until_done_and_a_double_click_asks_once(
    seller, owner, sandbox, settings, django_capture_on_commit_callbacks
):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant)
    asked = []
    sync_requested.connect(receiver := lambda sender, **kwargs: asked.append(sender.pk))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = seller.post(reverse("settings:store-sync", args=[store.pk]), headers={"HX-Request": "true"})
            second = seller.post(reverse("settings:store-sync", args=[store.pk]), headers={"HX-Request": "true"})
    finally:
        sync_requested.disconnect(receiver)
    assert asked == [store.pk]
    panel = first.content.decode()
    assert panel.lstrip().startswith('<section id="store-sync"')
    assert 'hx-trigger="every 2s"' in panel and "Syncing… 0 orders so far." in panel
    assert f"{store.name} is already syncing." in second.content.decode() and not said(second)
    # the sync moves on, then ends: the polled panel follows, then stops polling
    Connection.objects.filter(store=store).update(sync_progress=40)
    polled = seller.get(reverse("settings:store-detail", args=[store.pk]), headers={"HX-Request": "true"})
    assert "Syncing… 40 orders so far." in polled.content.decode() and "<h1" not in polled.content.decode()
    Connection.objects.filter(store=store).update(sync_started_at=None, orders_synced=40)
    done = seller.get(reverse("settings:store-detail", args=[store.pk]), headers={"HX-Request": "true"})
    assert "every 2s" not in done.content.decode() and "Syncing" not in done.content.decode()


def test_a_store_to_re_authorize_offers_re_authorize_which_goes_to_the_platform(seller, owner, sandbox, settings):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant)
    Connection.objects.filter(store=store).update(
        status=ConnectionStatus.REAUTHORIZE, last_error="The platform refused to renew access: authorize again."
    )
    page = seller.get(reverse("settings:store-detail", args=[store.pk])).content.decode()
    assert reverse("settings:store-reauthorize", args=[store.pk]) in page and "Sync now" not in page
    sent = seller.get(reverse("settings:store-reauthorize", args=[store.pk]))
    assert sent.status_code == 302 and sent["Location"].startswith(sandbox.url + "/open/authorize?")


def test_disconnect_asks_first_then_keeps_the_store(seller, owner, sandbox, settings):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant)
    url = reverse("settings:store-disconnect", args=[store.pk])
    confirm = seller.get(url).content.decode()
    assert f"Disconnect {store.name}?" in confirm and "orders already synced stay" in confirm
    assert Connection.objects.get(store=store).status == ConnectionStatus.CONNECTED  # asking changed nothing
    done = seller.post(url, follow=True)
    assert f"{store.name} is disconnected." in done.content.decode() and "Connect again" in done.content.decode()
    assert Connection.objects.get(store=store).status == ConnectionStatus.DISCONNECTED
    assert Store.objects.filter(pk=store.pk).exists()


def test_a_role_without_settings_gets_403_on_every_store_page_and_nothing_changes(login, owner, sandbox, settings):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant)
    clerk = login(UserFactory(tenant=owner.tenant, perms=[Perm.CANCEL_ORDERS]))
    gets = ["store-list", "store-connect", "store-connect-start", "store-connect-callback"]
    for name in gets:
        assert clerk.get(reverse(f"settings:{name}")).status_code == 403, name
    for name in ("store-detail", "store-sync", "store-reauthorize", "store-disconnect"):
        url = reverse(f"settings:{name}", args=[store.pk])
        assert {clerk.get(url).status_code, clerk.post(url).status_code} <= {403, 405}, name
    connection = Connection.objects.get(store=store)
    assert connection.status == ConnectionStatus.CONNECTED and connection.sync_started_at is None
