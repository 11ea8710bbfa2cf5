"""Kept tab counts (core/counts.py): exact after every write of the services, repaired when they
drift, read in one query, and never wider than the user's stores."""

import logging
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts.permissions import Perm
from aftersales import services as case_services
from aftersales.models import Case, CaseStatus
from aftersales.selectors import case_list, case_tab_counts
from channels.permissions import ACCESS_STORE
from core.counts import reconcile
from core.models import CountDelta
from core.tabs import ALL, count_by_status, status_tab_counts
from orders.models import CancelRequestStatus, Order, OrderStatus
from orders.selectors import CANCEL_REQUEST_TABS, cancel_request_list, order_list, order_tab_counts
from orders.services import cancel_request_answer, order_cancel
from refunds.models import RefundStatus
from refunds.selectors import refund_qs, refund_tab_counts
from refunds.services import refund_confirm, refund_reject
from tests.counts import fresh, kept
from tests.factories import (
    CancelRequestFactory,
    OrderFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    make_refund,
    shipped_order,
)


def _case(owner, store) -> Case:
    return make_case(order=shipped_order(tenant=owner.tenant, store=store), actor=owner)


def test_counts_equal_a_fresh_group_by_after_every_write_of_the_services(owner):
    # given two stores of one tenant
    shopee, lazada = StoreFactory(tenant=owner.tenant), StoreFactory(tenant=owner.tenant)
    # when orders are created and cancelled, buyers' requests answered, cases walked and refunds decided
    order = OrderFactory(tenant=owner.tenant, store=shopee, platform_status="To Process")
    order_cancel(order=order, actor=owner, reason="Out of Stock")
    agreed = CancelRequestFactory(order__tenant=owner.tenant, order__store=lazada, order__platform_status="To Process")
    rejected = CancelRequestFactory(order__tenant=owner.tenant, order__store=shopee)
    cancel_request_answer(request=agreed, actor=owner, agree=True)
    cancel_request_answer(request=rejected, actor=owner, agree=False)
    assert kept() == fresh()
    confirmed = _case(owner, shopee)
    case_services.case_confirm(case=confirmed, actor=owner)
    case_services.case_cancel(case=_case(owner, lazada), actor=owner, reason="Buyer withdrew")
    paid = make_refund(case=_case(owner, lazada))
    refund_confirm(refund=paid, actor=owner)
    refused = make_refund(case=_case(owner, shopee))
    refund_reject(refund=refused, actor=owner, reason="Wrong account")
    # then the kept counts are the rows' own, key by key
    assert kept() == fresh()
    statuses = {key[3] for key in kept()}
    assert {OrderStatus.CANCELLED, CancelRequestStatus.AGREED, CancelRequestStatus.REJECTED} <= statuses
    assert {CaseStatus.CONFIRM_RETURN, CaseStatus.CANCELLED, CaseStatus.COMPLETED} <= statuses
    assert {RefundStatus.CONFIRMED, RefundStatus.REJECTED} <= statuses
    # and a refund order is in its case's store
    assert (paid.store_id, refused.store_id) == (paid.case.store_id, refused.case.store_id)


def test_the_tab_strip_is_one_query_of_the_kept_counts(owner, django_assert_num_queries):
    # given cases in two tabs
    store = StoreFactory(tenant=owner.tenant)
    waiting = [_case(owner, store) for _ in range(3)]
    case_services.case_confirm(case=waiting[0], actor=owner)
    cases = case_list(tenant=owner.tenant, user=owner, params={})
    # when the strip is counted, then it is one query, and right
    with django_assert_num_queries(1):
        counts = case_tab_counts(cases)
    assert (counts[CaseStatus.TO_CONFIRM], counts[CaseStatus.CONFIRM_RETURN], counts[ALL]) == (2, 1, 3)


def test_a_search_counts_the_rows_it_leaves(owner):
    store = StoreFactory(tenant=owner.tenant)
    found, _ = _case(owner, store), _case(owner, store)
    searched = case_list(tenant=owner.tenant, user=owner, params={"q": found.number})
    assert not hasattr(searched, "kept_counts")
    assert case_tab_counts(searched)[ALL] == 1
    # and a queryset made from a kept one is counted live
    narrowed = case_list(tenant=owner.tenant, user=owner, params={}).filter(pk=found.pk)
    assert count_by_status(narrowed) == {CaseStatus.TO_CONFIRM: 1}


def test_a_store_restricted_sub_account_counts_only_its_stores(owner, django_assert_num_queries):
    # given rows in two stores and a sub-account working with the Shopee one
    shopee, lazada = StoreFactory(tenant=owner.tenant), StoreFactory(tenant=owner.tenant)
    make_refund(case=_case(owner, shopee))
    for _ in range(2):
        make_refund(case=_case(owner, lazada))
    CancelRequestFactory(order__tenant=owner.tenant, order__store=lazada)
    clerk = UserFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND, Perm.CANCEL_ORDERS], all_stores=False)
    assign_perm(ACCESS_STORE, clerk, shopee)
    # when it counts its tabs, then it sees its store's rows only, from the kept counts
    cases = case_list(tenant=owner.tenant, user=clerk, params={})
    with django_assert_num_queries(1):  # the user's stores are a subquery of it
        assert case_tab_counts(cases)[ALL] == 1
    assert order_tab_counts(order_list(tenant=owner.tenant, user=clerk))[ALL] == 1
    assert refund_tab_counts(tenant=owner.tenant, user=clerk)[RefundStatus.PROCESSING] == 1
    requests = cancel_request_list(tenant=owner.tenant, user=clerk, params={})
    assert status_tab_counts(requests, CANCEL_REQUEST_TABS)[ALL] == 0
    # and asking for the other store changes nothing (the filter takes the user's stores only)
    assert case_tab_counts(case_list(tenant=owner.tenant, user=clerk, params={"store": str(lazada.pk)}))[ALL] == 1
    # the owner sees both, and one store when filtering by it
    assert refund_tab_counts(tenant=owner.tenant, user=owner)[RefundStatus.PROCESSING] == 3
    assert refund_tab_counts(tenant=owner.tenant, user=owner, params={"q": "nothing"})[ALL] == 0
    assert case_tab_counts(case_list(tenant=owner.tenant, user=owner, params={"store": str(lazada.pk)}))[ALL] == 2
    # and the refund list itself is scoped by the refund's own store
    assert set(refund_qs(tenant=owner.tenant, user=clerk).values_list("store", flat=True)) == {shopee.pk}


def test_another_tenants_counts_are_not_read(owner):
    _case(owner, StoreFactory(tenant=owner.tenant))
    other = make_case()
    assert case_tab_counts(case_list(tenant=other.tenant, user=other.created_by, params={}))[ALL] == 1


def test_reconcile_repairs_a_drift_and_logs_it(owner, caplog):
    # given a case moved behind the counts' back (update() records nothing)
    case = _case(owner, StoreFactory(tenant=owner.tenant))
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CANCELLED)
    assert kept() != fresh()
    # when reconciled
    with caplog.at_level(logging.WARNING, logger="core.counts"):
        drifts = reconcile()
    # then the counts are exact again, and each key that drifted was logged with both figures
    assert kept() == fresh()
    assert {(d.status, d.kept, d.actual) for d in drifts} == {
        (CaseStatus.TO_CONFIRM, 1, 0),
        (CaseStatus.CANCELLED, 0, 1),
    }
    key = f"tenant={owner.tenant_id} list=aftersales.case store={case.store_id}"
    assert f"{key} status=cancelled kept=0 actual=1" in caplog.text
    # and a second run finds nothing to repair
    assert reconcile() == []


def test_compaction_leaves_one_row_per_key_and_the_same_sums(owner):
    store = StoreFactory(tenant=owner.tenant)
    cases = [_case(owner, store) for _ in range(3)]
    for case in cases:
        case_services.case_confirm(case=case, actor=owner)
    before = kept()
    assert CountDelta.objects.count() > len(before)
    call_command("reconcile_counts", "--compact-only", stdout=None)
    assert kept() == before == fresh()
    assert CountDelta.objects.count() == len(before)


def test_a_deleted_row_leaves_its_count(owner):
    request = CancelRequestFactory(order__tenant=owner.tenant)
    request.order.delete()  # cascades to the request (no page deletes either; the counts follow anyway)
    assert kept() == fresh()


def test_an_update_that_finds_the_row_moved_is_refused(owner):
    from django_fsm import ConcurrentTransition

    case = _case(owner, StoreFactory(tenant=owner.tenant))
    stale = Case.objects.get(pk=case.pk)
    case_services.case_confirm(case=case, actor=owner)
    stale.notes = "typed on a page loaded before the confirm"
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert kept() == fresh()


def test_stock_in_and_exchange_keep_the_counts(owner):
    store = StoreFactory(tenant=owner.tenant)
    case = _case(owner, store)
    case_services.case_confirm_and_stock_in(case=case, actor=owner, warehouse=WarehouseFactory(tenant=owner.tenant))
    assert kept() == fresh()
    assert Decimal(case.refundable) > 0


TAB = re.compile(r'data-tab="(\w+)".*?(?:tab-count">(\d+)<|</a>)', re.S)


def _strip(client, url_name: str, **query) -> dict[str, int]:
    page = client.get(reverse(url_name), query).content.decode()
    return {tab: int(count) for tab, count in TAB.findall(page) if count}


def test_the_pages_show_a_sub_accounts_stores_only(owner, login):
    # given a refund order in each of two stores, and a sub-account working with one of them
    shopee, lazada = StoreFactory(tenant=owner.tenant), StoreFactory(tenant=owner.tenant)
    make_refund(case=_case(owner, shopee))
    make_refund(case=_case(owner, lazada))
    clerk = UserFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND, Perm.MANUAL_AFTERSALES], all_stores=False)
    assign_perm(ACCESS_STORE, clerk, shopee)
    # when each opens the lists, then the tab badges count what each may see
    assert _strip(login(clerk), "refunds:index")[ALL] == 1
    assert _strip(login(owner), "refunds:index")[ALL] == 2
    assert _strip(login(clerk), "aftersales:index")[CaseStatus.REFUND_PROCESSING] == 1
    assert _strip(login(owner), "aftersales:index", store=str(lazada.pk))[CaseStatus.REFUND_PROCESSING] == 1


def test_orders_inserted_in_bulk_are_counted_and_an_upsert_is_refused(owner):
    # given a store with one order saved the usual way
    store = StoreFactory(tenant=owner.tenant)
    OrderFactory(tenant=owner.tenant, store=store)
    # when a sync inserts a batch in one statement
    statuses = [OrderStatus.COMPLETED, OrderStatus.NEW, OrderStatus.NEW]
    batch = [
        OrderFactory.build(tenant=owner.tenant, store=store, buyer=None, warehouse=None, status=s) for s in statuses
    ]
    Order.objects.bulk_create(batch)
    # then the tabs count them as if each had been saved
    assert kept() == fresh()
    assert order_tab_counts(order_list(tenant=owner.tenant, user=owner))[ALL] == 4
    # and an upsert, which cannot say which rows it inserted, is refused before writing anything
    with pytest.raises(ValueError, match="counted"):
        Order.objects.bulk_create(
            [OrderFactory.build(tenant=owner.tenant, store=store, buyer=None, warehouse=None)], ignore_conflicts=True
        )
    assert Order.objects.filter(tenant=owner.tenant).count() == 4
