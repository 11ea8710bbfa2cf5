"""Keyset pages on the big lists (cases, orders, refund orders): Next then Previous comes back to the
same rows, Last shows the oldest, the pager reads "of N" from the tab count, a deep page costs the
queries the first page costs, and a cursor never shows another tenant's or another store's rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.permissions import Perm
from aftersales.models import Case, CaseStatus
from channels.permissions import ACCESS_STORE
from core.paging import LAST, PAGE_SIZE
from orders.models import Order, OrderStatus
from refunds.models import RefundOrder, RefundStatus
from tests.factories import OrderFactory, StoreFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

ROWS = PAGE_SIZE * 2 + 20  # three pages: full, full, 20
NOW = timezone.now()
DASH = "\N{EN DASH}"  # the pager's "Rows a to b"


def _orders(tenant, n: int, *, store=None, status=OrderStatus.NEW) -> list[Order]:
    """n orders, the first the newest, one minute apart."""
    store = store or StoreFactory(tenant=tenant)
    orders = [OrderFactory(tenant=tenant, store=store, status=status) for _ in range(n)]
    for i, order in enumerate(orders):
        order.ordered_at = NOW - timedelta(minutes=i)
    Order.objects.bulk_update(orders, ["ordered_at"])
    return orders


def _cases(tenant, n: int, *, store=None) -> list[Case]:
    """n cases To Confirm, the first the newest, one minute apart (created in bulk: only the list
    reads them)."""
    orders = _orders(tenant, n, store=store, status=OrderStatus.SHIPPED)
    cases = Case.objects.bulk_create(
        Case(tenant=tenant, number=f"AS{order.pk}", store=order.store, order=order, type="refund_only", currency="MYR")
        for i, order in enumerate(orders)
    )
    for i, case in enumerate(cases):
        case.created_at = NOW - timedelta(minutes=i)
    Case.objects.bulk_update(cases, ["created_at"])
    return cases


def _refunds(tenant, n: int, *, store=None) -> list[RefundOrder]:
    """n confirmed refund orders, the first the newest, one minute apart."""
    cases = _cases(tenant, n, store=store)
    refunds = RefundOrder.objects.bulk_create(
        RefundOrder(
            tenant=tenant,
            number=f"RF{case.pk}",
            case=case,
            store=case.store,
            amount=Decimal("1.00"),
            currency="MYR",
            method="cash",
            status=RefundStatus.CONFIRMED,
        )
        for i, case in enumerate(cases)
    )
    for i, refund in enumerate(refunds):
        refund.created_at = NOW - timedelta(minutes=i)
    RefundOrder.objects.bulk_update(refunds, ["created_at"])
    return refunds


LISTS = {  # list -> (url name, the tab its rows are in, the rows' maker, the permission its sub-accounts need)
    "cases": ("aftersales:index", CaseStatus.TO_CONFIRM, _cases, Perm.MANUAL_AFTERSALES),
    "orders": ("orders:index", "new", _orders, Perm.CANCEL_ORDERS),
    "refunds": ("refunds:index", RefundStatus.CONFIRMED, _refunds, Perm.AFTERSALES_REFUND),
}


def _get(client, name: str, tab: str, query: str = ""):
    """The list page and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{reverse(name)}?tab={tab}" + (f"&{query}" if query else ""))
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def _pks(response) -> list[int]:
    return [row.pk for row in response.context["page"]]


@pytest.mark.parametrize("kind", LISTS)
def test_next_previous_last_and_first_show_the_rows_users_expect(kind, owner, login):
    name, tab, make, _ = LISTS[kind]
    rows = [row.pk for row in make(owner.tenant, ROWS)]
    client = login(owner)
    # when
    first, _ = _get(client, name, tab)
    second, _ = _get(client, name, tab, first.context["page"].next_query)
    back, _ = _get(client, name, tab, second.context["page"].previous_query)
    last, _ = _get(client, name, tab, f"page={LAST}")
    again, _ = _get(client, name, tab, last.context["page"].first_query)
    # then: newest first, Next then Previous returns, Last ends on the oldest
    assert _pks(first) == rows[:PAGE_SIZE] == _pks(back) == _pks(again)
    assert _pks(second) == rows[PAGE_SIZE : 2 * PAGE_SIZE]
    assert _pks(last) == rows[-PAGE_SIZE:]
    assert f"Rows 1{DASH}{PAGE_SIZE} of {ROWS}" in first.content.decode()
    assert f"Rows {PAGE_SIZE + 1}{DASH}{2 * PAGE_SIZE} of {ROWS}" in second.content.decode()
    assert f"Rows {ROWS - PAGE_SIZE + 1}{DASH}{ROWS} of {ROWS}" in last.content.decode()


@pytest.mark.parametrize("kind", LISTS)
def test_a_deep_page_runs_the_queries_of_the_first_and_counts_nothing_for_the_pager(kind, owner, login):
    name, tab, make, _ = LISTS[kind]
    make(owner.tenant, ROWS)
    client = login(owner)
    first, first_sql = _get(client, name, tab)
    middle, middle_sql = _get(client, name, tab, first.context["page"].next_query)
    _, last_sql = _get(client, name, tab, f"page={LAST}")
    _, before_last_sql = _get(client, name, tab, middle.context["page"].previous_query)
    assert len(first_sql) == len(middle_sql) == len(last_sql) == len(before_last_sql)
    for sql in (first_sql, middle_sql, last_sql):  # the one COUNT is the tab strip's GROUP BY status
        assert [q for q in sql if "COUNT(" in q.upper() and "GROUP BY" not in q.upper()] == []
        assert not [q for q in sql if " OFFSET " in q.upper()]


@pytest.mark.parametrize("kind", LISTS)
def test_htmx_pager_links_swap_the_panel_and_keep_the_tab_and_search(kind, owner, login):
    name, tab, make, _ = LISTS[kind]
    make(owner.tenant, ROWS)
    response = login(owner).get(reverse(name), {"tab": tab, "q": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    page = response.context["page"]
    assert f'href="?{page.next_query.replace("&", "&amp;")}"' in html
    assert f'hx-get="?{page.last_query.replace("&", "&amp;")}"' in html and "hx-push-url" in html
    assert page.next_query.startswith(f"tab={tab}&q=&after=")
    assert '<span class="page-link">Previous</span>' in html  # the first page: no way back


@pytest.mark.parametrize("kind", LISTS)
def test_a_cursor_from_another_tenants_list_shows_only_this_tenants_rows(kind, owner, login):
    name, tab, make, _ = LISTS[kind]
    # given tenant A's rows, older than tenant B's few rows
    other = TenantFactory()
    theirs = [row.pk for row in make(other, ROWS)]
    their_owner = UserFactory(tenant=other, owner=True)
    mine = [row.pk for row in make(owner.tenant, 3)]
    their_page, _ = _get(login(their_owner), name, tab)
    # when tenant B follows A's Next, Previous and Last links
    client = login(owner)
    for query in (their_page.context["page"].next_query, their_page.context["page"].previous_query):
        response, _ = _get(client, name, tab, query)
        # then only B's rows, never A's
        assert set(_pks(response)) <= set(mine) and not set(_pks(response)) & set(theirs), query


@pytest.mark.parametrize("kind", ["cases", "refunds"])
def test_a_cursor_does_not_reach_past_a_store_restriction(kind, owner, login):
    name, tab, make, perm = LISTS[kind]
    # given rows in two stores, and a sub-account restricted to the first
    mine_store, their_store = StoreFactory(tenant=owner.tenant), StoreFactory(tenant=owner.tenant)
    mine = {row.pk for row in make(owner.tenant, 5, store=mine_store)}
    make(owner.tenant, ROWS, store=their_store)
    clerk = UserFactory(tenant=owner.tenant, perms=[perm], all_stores=False)
    assign_perm(ACCESS_STORE, clerk, mine_store)
    owners_page, _ = _get(login(owner), name, tab)
    # when the clerk opens the owner's Next link, and the last page
    client = login(clerk)
    for query in (owners_page.context["page"].next_query, f"page={LAST}"):
        response, _ = _get(client, name, tab, query)
        assert set(_pks(response)) <= mine, query


def test_a_switch_of_tab_drops_the_cursor(owner, login):
    _cases(owner.tenant, ROWS)
    client = login(owner)
    first, _ = _get(client, "aftersales:index", CaseStatus.TO_CONFIRM)
    second, _ = _get(client, "aftersales:index", CaseStatus.TO_CONFIRM, first.context["page"].next_query)
    assert all("after=" not in tab.url and "before=" not in tab.url for tab in second.context["tabs"])
