"""Connect store, Re-authorize, Disconnect and Sync now, as services, against the sandbox marketplace
(a real process): the seller's approval there, the code exchanged by our adapter."""

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied

from accounts.permissions import Perm
from channels import services
from channels.connections import session
from channels.models import Channel, Connection, ConnectionStatus, Store
from channels.signals import sync_requested
from channels.tasks import connections_refresh_task
from core.errors import Refused
from orders.models import Order
from tests.channels import connecting
from tests.channels.connecting import CALLBACK, register_tiktok_app, state_of
from tests.factories import OrderFactory, StoreFactory, UserFactory
from tests.sandbox_fixtures import connect_tiktok

pytestmark = pytest.mark.django_db


def start(owner, **kwargs) -> str:
    """The state of a Connect store started by `owner` (TikTok Shop unless told)."""
    kwargs.setdefault("channel", Channel.TIKTOK)
    url = services.connection_start(tenant=owner.tenant, actor=owner, redirect_uri=CALLBACK, **kwargs)
    return state_of(url)


def approve(sandbox, app, shop, state: str) -> str:
    return connecting.approve(sandbox, app, shop, state)["code"]


@pytest.fixture
def tiktok(sandbox, settings):
    app = register_tiktok_app(sandbox, settings)
    shop = sandbox.control("POST", "tiktok/shops", {"name": "Maomao beauty shop", "region": "MY"})
    return app, shop


def test_connect_store_makes_a_connected_store_whose_session_works(sandbox, tiktok, owner):
    app, shop = tiktok
    state = start(owner)
    code = approve(sandbox, app, shop, state)

    (store,) = services.connection_complete(tenant=owner.tenant, actor=owner, state=state, code=code)

    assert (store.name, store.channel, store.external_id) == ("Maomao beauty shop", Channel.TIKTOK, shop["id"])
    assert (store.site, store.currency, store.tenant) == ("MY", "MYR", owner.tenant)
    connection = Connection.objects.get(store=store)
    assert connection.status == ConnectionStatus.CONNECTED and connection.shop_cipher == shop["cipher"]
    with session(store) as live:  # the tokens kept are the platform's
        assert live.adapter.orders(live.access_token, live.shop, []) == []


def test_the_authorize_link_names_our_app_and_a_state(sandbox, tiktok, owner):
    app, _ = tiktok
    url = services.connection_start(tenant=owner.tenant, actor=owner, channel=Channel.TIKTOK, redirect_uri=CALLBACK)
    assert url.startswith(sandbox.url + "/open/authorize?") and f"service_id={app['service_id']}" in url
    assert state_of(url) != start(owner)  # each start has its own state


def test_a_forged_or_altered_state_is_refused_before_the_platform_is_asked(sandbox, tiktok, owner):
    app, shop = tiktok
    state = start(owner)
    code = approve(sandbox, app, shop, state)
    forged = signing.dumps({"t": owner.tenant_id, "u": owner.pk, "c": "tiktok", "s": None}, salt="other")
    for bad in (forged, state[:-2] + "xx", "", "x" * 5000):
        with pytest.raises(Refused) as refused:
            services.connection_complete(tenant=owner.tenant, actor=owner, state=bad, code=code)
        assert refused.value.code == "state" and "Connect store" in refused.value.message
    # the code was not spent on the forgeries: the true state still connects
    assert services.connection_complete(tenant=owner.tenant, actor=owner, state=state, code=code)


def test_a_state_older_than_ten_minutes_is_refused(sandbox, tiktok, owner, monkeypatch):
    app, shop = tiktok
    eleven_minutes_ago = signing.b62_encode(int(signing.time.time()) - 11 * 60)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: eleven_minutes_ago)
    state = start(owner)
    monkeypatch.undo()
    code = approve(sandbox, app, shop, state)  # the seller approved, but too late
    with pytest.raises(Refused, match="longer than 10 minutes") as refused:
        services.connection_complete(tenant=owner.tenant, actor=owner, state=state, code=code)
    assert refused.value.code == "expired" and not Store.objects.exists()


def test_a_state_started_by_another_user_is_refused(sandbox, tiktok, owner):
    app, shop = tiktok
    other = UserFactory(tenant=owner.tenant, perms=[Perm.SETTINGS])
    state = start(owner)
    code = approve(sandbox, app, shop, state)
    with pytest.raises(Refused, match="another user"):
        services.connection_complete(tenant=owner.tenant, actor=other, state=state, code=code)
    assert not Store.objects.exists()


def test_a_denied_authorization_connects_nothing(sandbox, tiktok, owner):
    with pytest.raises(Refused, match="did not authorize") as refused:
        services.connection_complete(
            tenant=owner.tenant, actor=owner, state=start(owner), code="null", error="auth_denied"
        )
    assert refused.value.code == "denied" and not Store.objects.exists()


def test_a_code_the_platform_does_not_know_is_refused_in_its_words(sandbox, tiktok, owner):
    with pytest.raises(Refused, match="refused the authorization") as refused:
        services.connection_complete(tenant=owner.tenant, actor=owner, state=start(owner), code="made-up")
    assert "auth record" in refused.value.message and not Store.objects.exists()


def test_a_channel_not_connectable_is_refused_with_the_connectable_ones(owner):
    with pytest.raises(Refused, match="TikTok Shop") as refused:
        start(owner, channel=Channel.WOOCOMMERCE)
    assert refused.value.code == "channel"


def test_a_shop_named_like_an_existing_store_gets_its_platform_and_id(sandbox, tiktok, owner):
    app, shop = tiktok
    StoreFactory(tenant=owner.tenant, name="Maomao beauty shop")  # a Shopee store of that name
    state = start(owner)
    (store,) = services.connection_complete(
        tenant=owner.tenant, actor=owner, state=state, code=approve(sandbox, app, shop, state)
    )
    assert store.name == f"Maomao beauty shop (TikTok Shop {shop['id']})"


def test_re_authorize_relinks_the_same_store_and_keeps_its_sync_cursor(sandbox, settings, owner):
    # given a store whose refresh the platform refused (the seller revoked us)
    store, shop = connect_tiktok(sandbox, settings, owner.tenant, access_ttl=60)
    connection = Connection.objects.get(store=store)
    connection.orders_synced = 12
    connection.save(update_fields=["orders_synced"])
    sandbox.control("POST", "tiktok/revoke", {"open_id": connection.seller_id})
    connections_refresh_task()
    assert Connection.objects.get(store=store).status == ConnectionStatus.REAUTHORIZE
    # when the seller re-authorizes it
    app = register_tiktok_app(sandbox, settings)
    state = start(owner, store=store)
    stores = services.connection_complete(
        tenant=owner.tenant, actor=owner, state=state, code=approve(sandbox, app, shop, state)
    )
    # then it is the same store, connected again with new tokens, its synced count kept
    assert [s.pk for s in stores] == [store.pk] and Store.objects.count() == 1
    after = Connection.objects.get(store=store)
    assert after.status == ConnectionStatus.CONNECTED and after.last_error == ""
    assert after.access_token != connection.access_token and after.orders_synced == 12
    with session(store) as live:
        assert live.adapter.orders(live.access_token, live.shop, []) == []


def test_re_authorize_with_an_account_not_holding_the_store_is_refused(sandbox, settings, owner):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant)
    app = register_tiktok_app(sandbox, settings)
    other_shop = sandbox.control("POST", "tiktok/shops", {"name": "Someone else", "region": "MY"})
    state = start(owner, store=store)
    with pytest.raises(Refused, match="does not hold"):
        services.connection_complete(
            tenant=owner.tenant, actor=owner, state=state, code=approve(sandbox, app, other_shop, state)
        )
    assert Store.objects.count() == 1


def test_disconnect_wipes_the_tokens_and_keeps_the_store_and_its_orders(sandbox, settings, owner):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant)
    order = OrderFactory(tenant=owner.tenant, store=store)

    services.connection_disconnect(store=store, actor=owner)

    connection = Connection.objects.get(store=store)
    assert connection.status == ConnectionStatus.DISCONNECTED
    assert connection.access_token == "" and connection.refresh_token == "" and connection.access_expires_at is None
    assert Order.objects.filter(pk=order.pk, store=store).exists() and Store.objects.filter(pk=store.pk).exists()
    with pytest.raises(Refused, match="not connected"), session(store):
        pass
    with pytest.raises(Refused, match="already disconnected"):
        services.connection_disconnect(store=store, actor=owner)


def test_the_refresh_task_renews_tokens_about_to_expire_and_leaves_the_others(sandbox, settings, owner):
    soon, _ = connect_tiktok(sandbox, settings, owner.tenant, name="Soon", access_ttl=60)
    later, _ = connect_tiktok(sandbox, settings, owner.tenant, name="Later")
    before = {c.store_id: c.access_token for c in Connection.objects.all()}

    assert connections_refresh_task() == 1

    after = {c.store_id: c.access_token for c in Connection.objects.all()}
    assert after[soon.pk] != before[soon.pk] and after[later.pk] == before[later.pk]
    assert Connection.objects.get(store=soon).status == ConnectionStatus.CONNECTED


def test_the_refresh_task_marks_a_refused_store_re_authorize(sandbox, settings, owner):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant, access_ttl=60)
    sandbox.control("POST", "tiktok/revoke", {"open_id": Connection.objects.get().seller_id})

    assert connections_refresh_task() == 0

    connection = Connection.objects.get(store=store)
    assert connection.status == ConnectionStatus.REAUTHORIZE and "authorize again" in connection.last_error


def test_sync_now_asks_once_after_commit_and_a_double_click_asks_nothing(
    sandbox, settings, owner, django_capture_on_commit_callbacks
):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant)
    asked = []

    def receiver(sender, **kwargs):
        asked.append(sender.pk)

    sync_requested.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = services.sync_request(store=store, actor=owner)
            assert asked == []  # not before the commit
        with django_capture_on_commit_callbacks(execute=True):
            second = services.sync_request(store=store, actor=owner)
    finally:
        sync_requested.disconnect(receiver)
    assert (first, second) == (True, False) and asked == [store.pk]
    assert Connection.objects.get(store=store).sync_started_at is not None


def test_sync_now_of_a_store_to_re_authorize_is_refused(sandbox, settings, owner):
    store, _ = connect_tiktok(sandbox, settings, owner.tenant)
    Connection.objects.filter(store=store).update(status=ConnectionStatus.REAUTHORIZE)
    with pytest.raises(Refused, match="Re-authorize"):
        services.sync_request(store=store, actor=owner)


def test_a_role_without_settings_is_refused_every_service_before_anything_changes(sandbox, settings, tenant):
    store, _ = connect_tiktok(sandbox, settings, tenant)
    clerk = UserFactory(tenant=tenant, perms=[Perm.CANCEL_ORDERS])
    calls = [
        lambda: services.connection_start(tenant=tenant, actor=clerk, channel="tiktok", redirect_uri=CALLBACK),
        lambda: services.connection_complete(tenant=tenant, actor=clerk, state="x", code="y"),
        lambda: services.connection_disconnect(store=store, actor=clerk),
        lambda: services.sync_request(store=store, actor=clerk),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="Settings"):
            call()
    connection = Connection.objects.get(store=store)
    assert connection.status == ConnectionStatus.CONNECTED and connection.sync_started_at is None


def test_a_seller_with_two_shops_connects_both_and_one_renewal_keeps_both_connected(sandbox, settings, owner):
    # given a TikTok seller with two shops, connected together (one authorization, one token pair)
    app = register_tiktok_app(sandbox, settings, access_ttl=60)
    first = sandbox.control("POST", "tiktok/shops", {"name": "Mao MY", "region": "MY"})
    second = sandbox.control("POST", "tiktok/shops", {"name": "Mao SG", "region": "SG", "open_id": first["open_id"]})
    state = start(owner)
    stores = services.connection_complete(
        tenant=owner.tenant, actor=owner, state=state, code=approve(sandbox, app, first, state)
    )
    assert sorted((s.name, s.currency) for s in stores) == [("Mao MY", "MYR"), ("Mao SG", "SGD")]
    # when their tokens are renewed (the platform spends a refresh token once)
    assert connections_refresh_task() == 2
    # then both hold the new pair and both still work
    tokens = {c.access_token for c in Connection.objects.all()}
    assert len(tokens) == 1 and Connection.objects.filter(status=ConnectionStatus.CONNECTED).count() == 2
    for store in stores:
        with session(store) as live:
            assert live.shop.cipher == {first["id"]: first["cipher"], second["id"]: second["cipher"]}[store.external_id]
            assert live.adapter.orders(live.access_token, live.shop, []) == []
