"""Lists filter through their selectors' FilterSets: a valid filter filters, an invalid one is ignored
(the list as if it had not been sent), and no filter reaches past the tenant or a user's stores."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.permissions import Perm
from accounts.selectors import account_event_qs, role_list, subaccount_list
from aftersales.selectors import case_list
from channels.models import Channel
from channels.permissions import ACCESS_STORE
from channels.selectors import store_list
from inventory.selectors import sku_ledger, stock_levels, warehouse_list
from orders.models import OrderStatus
from orders.selectors import cancel_request_list, canceled_orders, order_list
from refunds.selectors import refund_list
from tests.factories import (
    CancelRequestFactory,
    OrderFactory,
    RoleFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    make_refund,
    shipped_order,
)

pytestmark = pytest.mark.django_db

HOSTILE = ["\x00", "²", "٣", "-1", "99999999999999999999", "x" * 5000, "2026-02-30", "yesterday", "shopee\x00"]


def _pks(rows) -> set[int]:
    return {row.pk for row in rows}


@pytest.fixture
def two_stores(owner):
    """A case in each of two stores of the owner's tenant, one Shopee and one Lazada."""
    shopee = StoreFactory(tenant=owner.tenant, channel=Channel.SHOPEE)
    lazada = StoreFactory(tenant=owner.tenant, channel=Channel.LAZADA)
    cases = [
        make_case(order=shipped_order(tenant=owner.tenant, store=store), actor=owner) for store in (shopee, lazada)
    ]
    return shopee, lazada, cases


def _cases(user, **params) -> set[int]:
    query = QueryDict(mutable=True)
    query.update(params)
    return _pks(case_list(tenant=user.tenant, user=user, params=query))


def test_valid_case_filters_filter(owner, two_stores):
    shopee, _, (in_shopee, in_lazada) = two_stores
    today = timezone.localdate(in_shopee.created_at)
    assert _cases(owner) == {in_shopee.pk, in_lazada.pk}
    assert _cases(owner, store=str(shopee.pk)) == {in_shopee.pk}
    assert _cases(owner, channel=Channel.LAZADA) == {in_lazada.pk}
    assert _cases(owner, q=in_lazada.number) == {in_lazada.pk}
    assert _cases(owner, q=f" {in_lazada.order.number}\x00 ") == {in_lazada.pk}  # cleaned, then searched
    assert _cases(owner, type="exchange") == set()
    assert _cases(owner, **{"from": (today + timedelta(days=1)).isoformat()}) == set()
    assert _cases(owner, **{"from": today.isoformat(), "to": today.isoformat()}) == {in_shopee.pk, in_lazada.pk}


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["store", "channel", "type", "from", "to"])
def test_an_invalid_case_filter_is_ignored(owner, two_stores, name, value):
    _, _, cases = two_stores
    assert _cases(owner, **{name: value}) == _pks(cases)


def test_a_search_of_control_characters_only_is_no_search(owner, two_stores):
    _, _, cases = two_stores
    assert _cases(owner, q="\x00\x1b ") == _pks(cases)
    assert _cases(owner, q="x" * 5000) == set()  # cut to a length, then searched: nothing matches


def test_another_tenants_store_is_ignored_not_leaked(owner, two_stores):
    _, _, cases = two_stores
    foreign = make_case()  # another tenant's case, in its own store
    assert _cases(owner, store=str(foreign.store_id)) == _pks(cases)
    assert foreign.pk not in _cases(owner, q=foreign.number)


def test_a_store_outside_the_users_stores_is_neither_offered_nor_taken(owner, two_stores, login):
    # given a sub-account working with the Shopee store only
    shopee, lazada, (in_shopee, _) = two_stores
    clerk = UserFactory(tenant=owner.tenant, perms=[Perm.MANUAL_AFTERSALES], all_stores=False)
    assign_perm(ACCESS_STORE, clerk, shopee)
    # when it asks for the Lazada store's cases, the filter is ignored: its own store's cases only
    assert _cases(clerk, store=str(lazada.pk)) == {in_shopee.pk}
    assert _cases(clerk, store=str(shopee.pk)) == {in_shopee.pk}
    # and the page's store filter offers its store only
    page = login(clerk).get(reverse("aftersales:index"), {"store": lazada.pk}).content.decode()
    assert f'<option value="{shopee.pk}">' in page
    assert f'value="{lazada.pk}"' not in page


def test_order_lists_filter_by_store_and_ignore_a_foreign_one(owner):
    store = StoreFactory(tenant=owner.tenant)
    mine = OrderFactory(tenant=owner.tenant, store=store, status=OrderStatus.CANCELLED)
    other = OrderFactory(tenant=owner.tenant, status=OrderStatus.CANCELLED)
    foreign = StoreFactory()
    for rows in (order_list, canceled_orders):
        assert _pks(rows(tenant=owner.tenant, user=owner, params={"store": str(store.pk)})) == {mine.pk}
        assert _pks(rows(tenant=owner.tenant, user=owner, params={"store": str(foreign.pk)})) == {mine.pk, other.pk}
    assert _pks(order_list(tenant=owner.tenant, user=owner, params={"q": mine.number})) == {mine.pk}


def test_cancel_requests_filter_by_their_orders_store(owner):
    mine = CancelRequestFactory(order__tenant=owner.tenant)
    other = CancelRequestFactory(order__tenant=owner.tenant)
    found = cancel_request_list(tenant=owner.tenant, user=owner, params={"store": str(mine.order.store_id)})
    assert _pks(found) == {mine.pk}
    everything = cancel_request_list(tenant=owner.tenant, user=owner, params={"store": "²"})
    assert _pks(everything) == {mine.pk, other.pk}


def test_refund_search_filters_and_nul_is_dropped(owner):
    refund = make_refund(case=make_case(order=shipped_order(tenant=owner.tenant), actor=owner))
    other = make_refund(case=make_case(order=shipped_order(tenant=owner.tenant), actor=owner))
    assert _pks(refund_list(tenant=owner.tenant, user=owner, params={"q": f"{refund.number}\x00"})) == {refund.pk}
    assert _pks(refund_list(tenant=owner.tenant, user=owner, params={})) == {refund.pk, other.pk}


def test_stock_filters_by_a_warehouse_of_the_tenant_only(owner):
    from aftersales.services import case_confirm_and_stock_in

    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    here, there = WarehouseFactory(tenant=owner.tenant), WarehouseFactory(tenant=owner.tenant)
    case_confirm_and_stock_in(case=case, actor=owner, warehouse=here)
    levels = _pks(stock_levels(tenant=owner.tenant))
    assert levels
    assert _pks(stock_levels(tenant=owner.tenant, params={"warehouse": str(here.pk)})) == levels
    assert _pks(stock_levels(tenant=owner.tenant, params={"warehouse": str(there.pk)})) == set()
    foreign = WarehouseFactory()
    assert _pks(stock_levels(tenant=owner.tenant, params={"warehouse": str(foreign.pk)})) == levels
    sku = case.lines.get().sku
    ledger = sku_ledger(tenant=owner.tenant, user=owner, sku=sku, params={"warehouse": str(there.pk)})
    assert not ledger.exists()
    assert sku_ledger(tenant=owner.tenant, user=owner, sku=sku, params={"from": "2026-02-30"}).exists()


def test_settings_lists_search(owner):
    StoreFactory(tenant=owner.tenant, name="Kuala Lumpur flagship")
    StoreFactory(tenant=owner.tenant, name="Jakarta outlet", channel=Channel.LAZADA)
    WarehouseFactory(tenant=owner.tenant, name="Main", code="MAIN")
    RoleFactory(tenant=owner.tenant, name="Finance")
    RoleFactory(tenant=owner.tenant, name="Warehouse")
    sub = UserFactory(tenant=owner.tenant, username="ani")
    UserFactory(tenant=owner.tenant, username="budi")
    assert [s.name for s in store_list(tenant=owner.tenant, params={"q": "flag"})] == ["Kuala Lumpur flagship"]
    assert [s.name for s in store_list(tenant=owner.tenant, params={"channel": "lazada"})] == ["Jakarta outlet"]
    assert [w.code for w in warehouse_list(tenant=owner.tenant, params={"q": "mai"})] == ["MAIN"]
    assert [r.name for r in role_list(tenant=owner.tenant, params={"q": "fin\x00"})] == ["Finance"]
    assert list(subaccount_list(tenant=owner.tenant, active=True, params={"q": "ani"})) == [sub]
    assert len(subaccount_list(tenant=owner.tenant, active=True, params={"role": "²"})) == 2


def test_history_filters_by_change_and_ignores_another_tenants_role(owner, login):
    from accounts.services import role_create

    role_create(tenant=owner.tenant, actor=owner, name="Packers", perms=[])
    assert account_event_qs(tenant=owner.tenant, params={"type": "role_created"}).count() == 1
    assert account_event_qs(tenant=owner.tenant, params={"type": "role_deleted"}).count() == 0
    assert account_event_qs(tenant=owner.tenant, params={"type": "nope"}).count() == 1
    foreign = RoleFactory()
    page = login(owner).get(reverse("settings:subaccount-list"), {"role": foreign.pk})
    assert page.status_code == 200 and f'value="{foreign.pk}"' not in page.content.decode()


def test_date_filters_are_date_inputs_in_iso(owner, login):
    page = login(owner).get(reverse("aftersales:index"), {"from": "2026-02-08"}).content.decode()
    assert 'type="date" name="from" value="2026-02-08"' in page
    assert 'type="date" name="to"' in page
