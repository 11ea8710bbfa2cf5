"""Every list page is a few queries, however many rows it lists and whoever asks (issue 10).

A request's fixed part is the session and the user (with its tenant and role, one query); the
rest is the page's own: its tab counts, its rows and what the rows show. Each page is measured
with 3 rows and again with 60 (more than a page), for the main account and for a sub-account
restricted to one store, plainly and with a search.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts.permissions import Perm
from aftersales.services import case_confirm
from channels.permissions import ACCESS_STORE
from tests.factories import (
    CancelRequestFactory,
    StoreFactory,
    UserFactory,
    make_case,
    make_refund,
    shipped_order,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

MAX_QUERIES = 12


@pytest.fixture
def store(owner):
    return StoreFactory(tenant=owner.tenant)


@pytest.fixture
def restricted(owner, store):
    """A sub-account with every permission, restricted to `store` (guardian grants it)."""
    user = UserFactory(tenant=owner.tenant, perms=list(Perm.values), all_stores=False)
    assign_perm(ACCESS_STORE, user, store)
    return user


def _order(owner, store):
    return shipped_order(tenant=owner.tenant, store=store)


def _case(owner, store):
    return make_case(order=_order(owner, store), actor=owner)


def _waiting_case(owner, store):
    case = _case(owner, store)
    case_confirm(case=case, actor=owner)  # Confirm Return: waiting for its parcel at Stock-In
    return case


def _refund(owner, store):
    return make_refund(case=_case(owner, store))


def _cancel_request(owner, store):
    return CancelRequestFactory(order=_order(owner, store))


# url name, params, entity of the rows' ids (<tr id="case-1">), a row maker, what a search types
# (a scan at Stock-In: its one match is shown with the receive form, <section id="case-1">)
PAGES = {
    "cases": ("aftersales:index", {"tab": "all"}, "case", _case, lambda case: case.order.number),
    "orders": ("orders:index", {"tab": "all"}, "order", _order, lambda order: order.number),
    "refunds": ("refunds:index", {"tab": "all"}, "refund", _refund, lambda refund: refund.case.order.number),
    "stock-in": ("inventory:index", {}, "case", _waiting_case, lambda case: case.number),
    "cancel requests": (
        "orders:cancel-requests",
        {"tab": "all"},
        "cancel-request",
        _cancel_request,
        lambda request: request.order.number,
    ),
}


def _visit(client, url: str, params: dict, entity: str) -> tuple[int, int]:
    """(queries, rows shown) of one visit, the session and permission caches warm."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), len(re.findall(rf' id="{entity}-\d+"', response.content.decode()))


@pytest.mark.parametrize("page", PAGES)
def test_a_list_page_is_a_few_queries_whatever_the_number_of_rows(page, owner, store, restricted, login):
    name, params, entity, make, typed = PAGES[page]
    url = reverse(name)
    clients = {"main account": login(owner), "restricted sub-account": login(restricted)}
    # given 3 rows of the sub-account's store, and one of a store it may not see
    first = make(owner, store)
    for _ in range(2):
        make(owner, store)
    make(owner, StoreFactory(tenant=owner.tenant))
    search = {**params, "q": typed(first)}
    few = {
        who: (_visit(client, url, params, entity), _visit(client, url, search, entity))
        for who, client in clients.items()
    }
    assert few["main account"][0][1] == 4 and few["restricted sub-account"][0][1] == 3
    # when there are 60
    for _ in range(57):
        make(owner, store)
    many = {
        who: (_visit(client, url, params, entity), _visit(client, url, search, entity))
        for who, client in clients.items()
    }
    # then each page shows a page of them, and a search its one match
    for who in clients:
        (listed, rows), (searched, matches) = many[who]
        assert 50 <= rows <= 61 and matches == 1, who
        # in as many queries as with 3 rows, and no more than 12
        assert (listed, searched) == (few[who][0][0], few[who][1][0]), who
        assert listed <= MAX_QUERIES and searched <= MAX_QUERIES, who


def test_the_fixed_part_of_a_request_is_the_session_and_the_user(owner, store, restricted, login):
    """Nothing but the session and the user, with its tenant and role, before the page's own queries:
    no Django user or group permission tables (a tenant's users get theirs from their role)."""
    for user in (owner, restricted):
        client = login(user)
        client.get(reverse("core:home"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("aftersales:index")).status_code == 200
        sqls = [query["sql"] for query in captured.captured_queries]
        assert sum('FROM "django_session"' in sql for sql in sqls) <= 1  # none from a shared cache (CACHE_URL)
        [user_query] = [sql for sql in sqls if f'WHERE "accounts_user"."id" = {user.pk}' in sql]
        assert 'JOIN "accounts_tenant"' in user_query and 'JOIN "accounts_role"' in user_query
        # the user's tenant and role come with the user, never loaded again on their own (a page may still
        # list tenants: the Supplier filter offers the tenant's suppliers)
        again = (f'"accounts_tenant"."id" = {user.tenant_id}', 'FROM "accounts_role"')
        for table in (*again, '"auth_group', "user_permissions"):
            assert not any(table in sql for sql in sqls if sql != user_query), (user, table)
