"""Settings > Stores: connect a store by the platform's authorization, sync it now, disconnect it.

The seller's role is checked with `core.navigation.require_area(actor, "settings")`: channels sits
below accounts and cannot name its permissions, but the Settings area (registered by accounts) says
which permission opens it, so the service, the page and the navigation ask the same question.

The authorization round trip carries a signed `state` (django.core.signing: tenant, user, channel
and, to re-authorize, the store), valid for STATE_MAX_AGE: a forged, altered or stale callback is
refused before the platform is called. The code is exchanged outside any transaction (nothing
external runs inside one); the stores and their connections are then written in one.
"""

import secrets
from contextlib import closing
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone

from channels.adapters import CONNECTABLE, adapter_for
from channels.adapters.base import PlatformError, PlatformRefused, Shop, Tokens
from channels.models import Channel, Connection, ConnectionStatus, Store
from channels.selectors import sync_running
from channels.signals import sync_requested
from core.errors import Refused
from core.navigation import require_area
from core.tenancy import require_same_tenant

STATE_SALT = "channels.connect"
STATE_MAX_AGE = 10 * 60  # seconds the seller has to approve on the platform
MAX_PARAM = 2048  # a callback parameter longer than this is not the platform's

# the currency of a shop's region, for a store made from it (the platforms' shop calls name no currency)
CURRENCIES = {
    "MY": "MYR", "SG": "SGD", "ID": "IDR", "TH": "THB", "PH": "PHP", "VN": "VND", "TW": "TWD",
    "BR": "BRL", "MX": "MXN", "CO": "COP", "CL": "CLP", "GB": "GBP", "UK": "GBP", "US": "USD",
    "JP": "JPY", "SA": "SAR", "ES": "EUR", "FR": "EUR", "DE": "EUR", "IT": "EUR", "IE": "EUR",
}  # fmt: skip
FALLBACK_CURRENCY = "USD"


@dataclass(frozen=True)
class Authorization:
    """What the state says: who started the connection, for which platform (and store, to re-authorize)."""

    tenant_id: int
    user_id: int
    channel: str
    store_id: int | None = None


def channel_label(channel: str) -> str:
    return Channel(channel).label if channel in Channel.values else channel


def connection_start(*, tenant, actor, channel: str, redirect_uri: str, store: Store | None = None) -> str:
    """Connect store / Re-authorize: the platform's authorize page, with a state naming this request."""
    require_area(actor, "settings")
    require_same_tenant(tenant.pk, actor, store)
    if channel not in CONNECTABLE:
        names = ", ".join(channel_label(c) for c in CONNECTABLE)
        raise Refused(f"{channel_label(channel)} cannot be connected here yet; connectable: {names}.", code="channel")
    if store is not None and store.channel != channel:
        raise Refused(f"{store.name} is a {store.get_channel_display()} store.", code="channel")
    claim = {"t": tenant.pk, "u": actor.pk, "c": channel, "s": store.pk if store else None}
    claim["n"] = secrets.token_urlsafe(8)  # two starts never carry the same state
    state = signing.dumps(claim, salt=STATE_SALT, compress=True)
    with closing(adapter_for(channel)) as adapter:
        return adapter.authorize_url(redirect_uri, state)


def read_state(state: str) -> Authorization:
    """The state of a callback; Refused when it is not ours, was altered, or is too old."""
    minutes = STATE_MAX_AGE // 60
    if not isinstance(state, str) or not state or len(state) > MAX_PARAM:
        raise Refused("The platform came back without our request: start again from Connect store.", code="state")
    try:
        claim = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused(
            f"The authorization took longer than {minutes} minutes: start again from Connect store.", code="expired"
        ) from None
    except signing.BadSignature:
        raise Refused(
            "This authorization was not started here (or was altered): start again from Connect store.",
            code="state",
        ) from None
    # signed by us, so well formed: Authorization takes it as it was made
    return Authorization(int(claim["t"]), int(claim["u"]), str(claim["c"]), claim["s"] and int(claim["s"]))


def connection_complete(*, tenant, actor, state: str, code: str, shop_id: str = "", error: str = "") -> list[Store]:
    """The platform's callback: the code exchanged for tokens, then each shop it covers connected: a
    new Store for a new shop, the same Store again for a shop the tenant already has (Re-authorize).
    `shop_id`: Shopee's callback names the one shop authorized."""
    require_area(actor, "settings")
    claim = read_state(state)
    if claim.tenant_id != tenant.pk or claim.user_id != actor.pk:
        raise Refused("This authorization was started by another user: start again from Connect store.", code="state")
    label = channel_label(claim.channel)
    if error or not code or code == "null" or len(code) > MAX_PARAM or len(shop_id) > MAX_PARAM:
        raise Refused(f"{label} did not authorize the connection: nothing was connected.", code="denied")
    tokens, shops = _authorize(claim.channel, code, shop_id)
    if shop_id:
        shops = [shop for shop in shops if shop.id == shop_id] or [Shop(id=shop_id, name="", region="")]
    if claim.store_id is not None:
        shops = _for_store(tenant, claim, shops, label)
    if not shops:
        raise Refused(f"The {label} authorization covers no shop: nothing was connected.", code="no_shop")
    with transaction.atomic():
        type(tenant).objects.select_for_update().get(pk=tenant.pk)  # one connect at a time per tenant
        return [connection_link(tenant=tenant, channel=claim.channel, shop=shop, tokens=tokens) for shop in shops]


def _authorize(channel: str, code: str, shop_id: str) -> tuple[Tokens, list[Shop]]:
    label = channel_label(channel)
    try:
        with closing(adapter_for(channel)) as adapter:
            tokens = adapter.exchange_code(code, shop_id=shop_id)
            return tokens, adapter.shops(tokens.access_token)
    except PlatformRefused as refused:
        raise Refused(
            f"{label} refused the authorization ({refused.message}): start again from Connect store.",
            code="refused",
        ) from None
    except PlatformError:
        raise Refused(f"{label} could not be reached: try again in a few minutes.", code="unavailable") from None


def _for_store(tenant, claim: Authorization, shops: list[Shop], label: str) -> list[Shop]:
    """Re-authorize a store: only its own shop, which the seller must have approved again."""
    store = Store.objects.for_tenant(tenant).filter(pk=claim.store_id).first()
    if store is None:
        raise Refused("The store to re-authorize is gone: nothing was connected.", code="no_shop")
    own = [shop for shop in shops if shop.id == store.external_id]
    if not own:
        raise Refused(
            f"The {label} account you approved does not hold {store.name}: log in to its seller account and "
            "re-authorize again.",
            code="other_shop",
        )
    return own


def connection_link(*, tenant, channel: str, shop: Shop, tokens: Tokens) -> Store:
    """The store of this shop (made when new) connected with these tokens. A building block of
    connection_complete and of the sandbox demo (connect_sandbox): it checks no actor; run it in a
    transaction."""
    store = Store.objects.for_tenant(tenant).select_for_update().filter(channel=channel, external_id=shop.id).first()
    if store is None:
        region = (shop.region or "").upper()[:8]
        store = Store.objects.create(
            tenant=tenant,
            channel=channel,
            name=_free_name(tenant, shop.name or f"{channel_label(channel)} {shop.id}", channel, shop.id),
            site=region,
            currency=CURRENCIES.get(region, FALLBACK_CURRENCY),
            external_id=shop.id,
        )
    elif not store.is_active:
        store.is_active = True
        store.save(update_fields=["is_active", "updated_at"])
    Connection.objects.update_or_create(
        store=store,
        defaults={
            "tenant": tenant,
            "status": ConnectionStatus.CONNECTED,
            "seller_id": tokens.seller_id,
            "shop_cipher": shop.cipher,
            "access_token": tokens.access_token,
            "access_expires_at": tokens.access_expires_at,
            "refresh_token": tokens.refresh_token,
            "refresh_expires_at": tokens.refresh_expires_at,
            "last_error": "",
            "last_error_at": None,
        },
    )
    return store


def _free_name(tenant, name: str, channel: str, shop_id: str) -> str:
    """The shop's name, or with its platform and id when the tenant already has a store by that name."""
    name = name[:120]
    if not Store.objects.for_tenant(tenant).filter(name=name).exists():
        return name
    return f"{name[:80]} ({channel_label(channel)} {shop_id})"[:120]


def _connection(store: Store) -> Connection:
    connection = Connection.objects.select_for_update().filter(store=store).first()
    if connection is None:
        raise Refused(f"{store.name} is not connected.", code="not_connected")
    return connection


@transaction.atomic
def connection_disconnect(*, store: Store, actor) -> Connection:
    """Stop syncing a store: its tokens are wiped; the store and everything synced stay."""
    require_area(actor, "settings")
    require_same_tenant(store.tenant_id, actor)
    connection = _connection(store)
    if connection.status == ConnectionStatus.DISCONNECTED:
        raise Refused(f"{store.name} is already disconnected.", code="wrong_state")
    connection.status = ConnectionStatus.DISCONNECTED
    connection.access_token = connection.refresh_token = ""
    connection.access_expires_at = connection.refresh_expires_at = None
    connection.sync_started_at = None
    connection.save(
        update_fields=[
            "status",
            "access_token",
            "refresh_token",
            "access_expires_at",
            "refresh_expires_at",
            "sync_started_at",
            "updated_at",
        ]
    )
    return connection


@transaction.atomic
def sync_request(*, store: Store, actor) -> bool:
    """Sync now: marks the sync started and, once committed, asks the orders app for it
    (channels.signals.sync_requested). False when one is already running: a double click asks once.
    The sync clears `sync_started_at` when it ends; one left over selectors.SYNC_STALE is taken as lost."""
    require_area(actor, "settings")
    require_same_tenant(store.tenant_id, actor)
    connection = _connection(store)
    if connection.status != ConnectionStatus.CONNECTED:
        raise Refused(
            f"{store.name} is {connection.get_status_display()}: connect it again before syncing.", code="wrong_state"
        )
    if sync_running(connection):
        return False
    connection.sync_started_at, connection.sync_progress = timezone.now(), 0
    connection.save(update_fields=["sync_started_at", "sync_progress", "updated_at"])
    transaction.on_commit(lambda: sync_requested.send(sender=store))
    return True
