"""A connected store's way to its platform: the adapter, a fresh access token and the shop it acts for."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from channels.adapters import adapter_for
from channels.adapters.base import ChannelAdapter, PlatformRefused, Shop
from channels.models import Connection, ConnectionStatus, Store
from core.errors import Refused

REFRESH_AHEAD = timedelta(minutes=5)  # refresh a token this close to its expiry rather than fail a call


@dataclass(frozen=True)
class Session:
    adapter: ChannelAdapter
    access_token: str
    shop: Shop


def shop_of(store: Store, connection: Connection) -> Shop:
    return Shop(id=store.external_id, name=store.name, region=store.site, cipher=connection.shop_cipher)


@contextmanager
def session(store: Store) -> Iterator[Session]:
    """The store's session; Refused when it is not connected or must be re-authorized."""
    connection = Connection.objects.filter(store=store).first()
    if connection is None or connection.status != ConnectionStatus.CONNECTED:
        raise Refused(f"{store.name} is not connected to {store.get_channel_display()}.", code="not_connected")
    adapter = adapter_for(store.channel)
    try:
        if connection.access_expires_at and connection.access_expires_at - REFRESH_AHEAD <= timezone.now():
            connection = refresh(connection, adapter)
            if connection.status != ConnectionStatus.CONNECTED:
                raise Refused(connection.last_error, code="reauthorize")
        yield Session(adapter, connection.access_token, shop_of(store, connection))
    finally:
        adapter.close()


def refresh(connection: Connection, adapter: ChannelAdapter) -> Connection:
    """New tokens from the refresh token. The row stays locked through the call: a refresh token may be
    single use (Shopee), so two workers refreshing at once would log the store out. A refusal marks the
    store Re-authorize with the platform's words; an unreachable platform raises and changes nothing.

    The stores of one authorization (a TikTok seller's shops, connected together) share its token pair:
    they are locked, renewed or marked Re-authorize together, or the first renewal would spend the
    refresh token the others still hold."""
    with transaction.atomic():
        group = _authorization(connection)
        connection = group[0]
        if connection.access_expires_at and connection.access_expires_at - REFRESH_AHEAD > timezone.now():
            return connection  # another worker refreshed it while this one waited for the lock
        try:
            tokens = adapter.refresh(connection.refresh_token, shop_id=connection.store.external_id)
        except PlatformRefused as refused:
            for each in group:
                each.status = ConnectionStatus.REAUTHORIZE
                each.last_error = f"The platform refused to renew access ({refused.message}): authorize again."
                each.last_error_at = timezone.now()
                each.save(update_fields=["status", "last_error", "last_error_at", "updated_at"])
            return connection
        for each in group:
            each.access_token, each.access_expires_at = tokens.access_token, tokens.access_expires_at
            each.refresh_token, each.refresh_expires_at = tokens.refresh_token, tokens.refresh_expires_at
            each.save(
                update_fields=["access_token", "access_expires_at", "refresh_token", "refresh_expires_at", "updated_at"]
            )
        return connection


def _authorization(connection: Connection) -> list[Connection]:
    """This connection and the connected ones holding the same refresh token, locked in id order (two
    workers renewing two of them queue up instead of deadlocking); this one first."""
    rows = Q(pk=connection.pk)
    if connection.seller_id:  # narrows the search: the sealed token itself cannot be queried
        store = connection.store
        rows |= Q(tenant_id=store.tenant_id, seller_id=connection.seller_id, store__channel=store.channel)
    locked = Connection.objects.select_for_update(of=("self",)).select_related("store").filter(rows).order_by("pk")
    (this,) = [row for row in locked if row.pk == connection.pk]
    kin = [row for row in locked if row.pk != this.pk and row.status == ConnectionStatus.CONNECTED]
    return [this, *(row for row in kin if row.refresh_token == this.refresh_token)]
