"""Every URL that names an object answers 404 to another tenant, whatever the method.

The URLconf is walked, so a URL added later is covered without anyone remembering: if it takes a
parameter this file does not know how to make an object for, the test fails and says so.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from channels.models import Channel, Connection
from tests.factories import (
    CancelRequestFactory,
    ComboItemFactory,
    CustomerTierFactory,
    OrderItemFactory,
    RoleFactory,
    StoreFactory,
    TenantFactory,
    TierPriceFactory,
    UserFactory,
    WarehouseFactory,
    make_attachment,
    make_case,
    make_refund,
    shipped_order,
)


@dataclass(frozen=True)
class Given:
    make: Callable  # tenant -> an object of that tenant
    value: Callable = lambda obj: obj.pk  # object -> the URL parameter


def _distribution_push(tenant):
    from tests.distribution.helpers import distribution_order, make_bridge

    bridge = make_bridge(distributor_tenant=tenant)
    return make_case(order=distribution_order(bridge).order, actor=bridge.distributor).distribution_push


def _distribution_order(tenant):
    from tests.distribution.helpers import distribution_order, make_bridge

    return distribution_order(make_bridge(distributor_tenant=tenant))


def _partnership(tenant):
    from tests.distribution.helpers import make_bridge

    return make_bridge(distributor_tenant=tenant).partnership


def _supplier_return(tenant):
    from tests.distribution.helpers import make_bridge, pushed_return

    return pushed_return(make_bridge(supplier_tenant=tenant))[1]


# URL parameter name -> how to make the object it names in a given tenant.
OBJECTS: dict[str, Given] = {
    "user_id": Given(lambda tenant: UserFactory(tenant=tenant)),
    "role_id": Given(lambda tenant: RoleFactory(tenant=tenant)),
    # a cancellable Shopee order with a line, so a leak would show as a cancel or an approval
    "order_id": Given(lambda tenant: OrderItemFactory(order__tenant=tenant).order),
    "request_id": Given(lambda tenant: CancelRequestFactory(order__tenant=tenant)),
    # a combo with a tier price, so a leak would show as a changed line or price
    "sku_id": Given(lambda tenant: TierPriceFactory(sku=ComboItemFactory(combo__tenant=tenant).combo).sku),
    "tier_id": Given(lambda tenant: CustomerTierFactory(tenant=tenant)),
    "warehouse_id": Given(lambda tenant: WarehouseFactory(tenant=tenant, is_default_return=True)),
    # a case To Confirm, and a refund order in Refund Processing (each with its own order)
    "case_id": Given(lambda tenant: make_case(order=shipped_order(tenant=tenant))),
    "refund_id": Given(lambda tenant: make_refund(case=make_case(order=shipped_order(tenant=tenant)))),
    "attachment_id": Given(lambda tenant: make_attachment(case=make_case(order=shipped_order(tenant=tenant)))),
    # distribution: the distributor's record To Push; the supplier's return Pending Stock-in
    "push_id": Given(lambda tenant: _distribution_push(tenant)),
    "return_id": Given(lambda tenant: _supplier_return(tenant)),
    # the distributor's end of an order shipped by a supplier, not paid yet (Pay with balance)
    "distribution_order_id": Given(lambda tenant: _distribution_order(tenant)),
    # an active partnership in which tenant A is the distributor (another tenant is neither side)
    "partnership_id": Given(lambda tenant: _partnership(tenant)),
    # a password reset link names a user of A; the token, made for another user of A, is not its own
    # a connected store mid-sync, so a leak would show as a disconnect or a sync asked
    "store_id": Given(lambda tenant: connected_store(tenant)),
    "uidb64": Given(lambda tenant: UserFactory(tenant=tenant), lambda u: urlsafe_base64_encode(force_bytes(u.pk))),
    "token": Given(lambda tenant: UserFactory(tenant=tenant), default_token_generator.make_token),
}


def connected_store(tenant):
    store = StoreFactory(tenant=tenant, channel=Channel.TIKTOK, external_id="7001")
    Connection.objects.create(tenant=tenant, store=store, access_token="T", refresh_token="R")
    return store


SKIPPED_NAMESPACES = {"admin"}  # the platform operator's Django admin is not tenant-scoped


def _walk(patterns, namespace="", converters=None):
    for entry in patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace not in SKIPPED_NAMESPACES:
                yield from _walk(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern) and found and entry.name:
            yield f"{namespace}{entry.name}", sorted(found)


OBJECT_URLS = sorted(set((name, tuple(params)) for name, params in _walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_object_urls():
    assert ("settings:subaccount-edit", ("user_id",)) in OBJECT_URLS
    assert len(OBJECT_URLS) >= 4


@pytest.mark.parametrize(("url_name", "params"), OBJECT_URLS, ids=[name for name, _ in OBJECT_URLS])
def test_another_tenants_object_is_404_on_every_url(url_name, params, db, login):
    unknown = [p for p in params if p not in OBJECTS]
    assert not unknown, f"{url_name}: add to OBJECTS how to make a {unknown} of a tenant"
    # given objects of tenant A, and tenant B's main account (it holds every permission and, as a supplier,
    # every area, so no 403 hides a leak)
    tenant_a, tenant_b = TenantFactory(), TenantFactory(is_supplier=True)
    objects = {param: OBJECTS[param].make(tenant_a) for param in params}
    url = reverse(url_name, kwargs={p: OBJECTS[p].value(obj) for p, obj in objects.items()})
    before = {p: _state(obj) for p, obj in objects.items()}
    client = login(UserFactory(tenant=tenant_b, owner=True))
    # when B asks for them by every method
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    # then it is 404 where the method is allowed at all, and nothing changed
    assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (url, statuses)
    for param, obj in objects.items():
        obj.refresh_from_db()
        assert _state(obj) == before[param]


def _state(obj) -> dict:
    """The object's fields, and a store's connection (its status, tokens and sync) with it."""
    state = model_to_dict(obj)
    if connection := getattr(obj, "connection", None):
        connection.refresh_from_db()
        state["connection"] = model_to_dict(connection)
    return state
