"""A connected store's session: a token near its expiry is refreshed once, a refused refresh asks the
seller to re-authorize (against the sandbox marketplace, a real process)."""

import pytest

from channels.connections import session
from channels.models import Connection, ConnectionStatus
from core.errors import Refused
from tests.factories import TenantFactory
from tests.sandbox_fixtures import connect_tiktok

pytestmark = pytest.mark.django_db


def test_a_token_about_to_expire_is_refreshed_and_kept_sealed(sandbox, settings):
    store, _ = connect_tiktok(sandbox, settings, TenantFactory(), access_ttl=60)  # inside REFRESH_AHEAD
    before = Connection.objects.get(store=store)
    with session(store) as live:
        assert live.access_token != before.access_token
        assert live.shop.cipher == before.shop_cipher
        assert live.adapter.orders(live.access_token, live.shop, []) == []
    after = Connection.objects.get(store=store)
    assert after.access_token == live.access_token and after.refresh_token != before.refresh_token


def test_a_refused_refresh_marks_the_store_re_authorize(sandbox, settings):
    store, _ = connect_tiktok(sandbox, settings, TenantFactory(), access_ttl=60)
    sandbox.control("POST", "tiktok/revoke", {"open_id": Connection.objects.get().seller_id})
    with pytest.raises(Refused, match="authorize again"), session(store):
        pass
    connection = Connection.objects.get(store=store)
    assert connection.status == ConnectionStatus.REAUTHORIZE and "authorize again" in connection.last_error
    with pytest.raises(Refused, match="not connected"), session(store):
        pass
