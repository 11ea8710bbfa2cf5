"""The platform operator's admin stays usable at millions of rows (issue 10).

Each big table's changelist counts at most a bounded number of rows (COUNT over a LIMIT; past it,
PostgreSQL's estimate), costs the same queries for 1 row as for 3, and finds a row by its whole
number; its change page opens; the forms that edit rows pick a related row by autocomplete
instead of a <select> of the whole table.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts.models import AccountEvent
from channels.models import OutboundAction, OutboundKind, StoreUserObjectPermission
from channels.permissions import ACCESS_STORE
from core import admin as core_admin
from inventory.models import CatalogueChange, StockLevel, StockMovement
from orders.models import Order
from tests.factories import (
    PASSWORD,
    RoleFactory,
    StoreFactory,
    TenantFactory,
    TierPriceFactory,
    UserFactory,
    make_case,
    make_refund,
    shipped_order,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def operator(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD))
    return client


def _rows(tenant) -> dict:
    """One row of each big table, all of one refunded case of `tenant`, by admin URL name."""
    owner = tenant.users.filter(is_owner=True).first() or UserFactory(tenant=tenant, owner=True)
    refund = make_refund(case=make_case(order=shipped_order(tenant=tenant), actor=owner))
    case, order = refund.case, refund.case.order
    movement = StockMovement.objects.filter(case=case).select_related("sku").first()
    return {
        "aftersales_case": case,
        "refunds_refundorder": refund,
        "orders_order": order,
        "orders_buyer": order.buyer,
        "inventory_stockmovement": movement,
        "inventory_stocklevel": StockLevel.objects.filter(sku=movement.sku).first(),
        "inventory_cataloguechange": CatalogueChange.objects.create(tenant=tenant, sku=movement.sku, actor=owner),
        "inventory_tierprice": TierPriceFactory(tenant=tenant, sku=movement.sku),
        "inventory_sku": movement.sku,
        "sales_channels_outboundaction": OutboundAction.objects.create(
            tenant=tenant, store=order.store, order=order, kind=OutboundKind.CANCEL_ORDER
        ),
        "accounts_accountevent": AccountEvent.objects.create(
            tenant=tenant, actor=UserFactory(tenant=tenant), type=AccountEvent.Type.ROLE_CREATED, subject="Packers"
        ),
        "accounts_user": owner,
    }


# What the operator types to find the row: whole numbers and codes
SEARCHES = {
    "aftersales_case": [lambda case: case.number, lambda case: case.order.number],
    "refunds_refundorder": [
        lambda refund: refund.number,
        lambda refund: refund.case.number,
        lambda refund: refund.case.order.number,
    ],
    "orders_order": [lambda order: order.number],
    "inventory_stockmovement": [lambda movement: movement.sku.code, lambda movement: movement.case.number],
    "inventory_stocklevel": [lambda level: level.sku.code],
    "inventory_tierprice": [lambda price: price.sku.code],
    "inventory_sku": [lambda sku: sku.code],  # or a part of the code or name: a catalogue is no million rows
    "sales_channels_outboundaction": [lambda action: action.order.number],
    "accounts_accountevent": [lambda event: event.actor.username],
}
BIG = [*SEARCHES, "orders_buyer", "inventory_cataloguechange", "accounts_user"]


def _changelist(client, name: str, params=None) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(f"admin:{name}_changelist"), params or {})
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def _unbounded_counts(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if "COUNT(" in sql and "LIMIT" not in sql]


def _listed(html: str) -> set[int]:
    """The rows of the changelist: each links to its change page."""
    return {int(pk) for pk in re.findall(r'<th class="field-[^"]+"><a href="/admin/\w+/\w+/(\d+)/change/', html)}


@pytest.mark.parametrize("name", BIG)
def test_a_big_tables_changelist_is_bounded_and_its_change_page_opens(name, operator):
    # given a row of each big table in one tenant
    mine = _rows(TenantFactory())[name]
    html, one = _changelist(operator, name)
    # then the changelist lists it without counting the whole table
    assert mine.pk in _listed(html)
    assert _unbounded_counts(one) == []
    # and lists 3 in as many queries as 1 (the foreign keys it shows are joined)
    for _ in range(2):
        _rows(TenantFactory())
    html, three = _changelist(operator, name)
    assert len(_listed(html)) >= 3 and len(three) == len(one)
    # and the row's own page opens
    assert operator.get(reverse(f"admin:{name}_change", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("name", SEARCHES)
def test_the_search_finds_a_row_by_its_whole_number(name, operator):
    tenant = TenantFactory()
    rows, other = _rows(tenant), _rows(tenant)
    row = rows[name]
    for typed in SEARCHES[name]:
        html, sqls = _changelist(operator, name, {"q": typed(row)})
        assert row.pk in _listed(html) and other[name].pk not in _listed(html), typed(row)
        assert _unbounded_counts(sqls) == []
    # a part of a number finds nothing, and hostile input is no error
    part = SEARCHES[name][0](row)[:-1]
    assert name == "inventory_sku" or row.pk not in _listed(_changelist(operator, name, {"q": part})[0])
    _changelist(operator, name, {"q": "\x00" + "9" * 300})


def test_past_the_count_cap_the_changelist_says_about_how_many_from_the_estimate(operator, monkeypatch):
    monkeypatch.setattr(core_admin, "COUNT_CAP", 2)
    for _ in range(3):
        _rows(TenantFactory())
    html, sqls = _changelist(operator, "orders_order")
    assert re.search(r"about \d+ orders", html)
    assert any(sql.startswith("EXPLAIN") for sql in sqls) and _unbounded_counts(sqls) == []
    # a filtered list under the cap is counted exactly
    html, _ = _changelist(operator, "orders_order", {"status__exact": "cancelled"})
    assert "0 orders" in html and "about" not in html


def test_forms_pick_a_tenant_role_or_user_by_autocomplete_not_from_every_row(operator):
    # given many tenants, their roles and users
    tenants = [TenantFactory(name=f"Seller number {n}") for n in range(6)]
    users = [
        UserFactory(tenant=tenant, role=RoleFactory(tenant=tenant, name=f"Role of {tenant.name}")) for tenant in tenants
    ]
    store = StoreFactory(tenant=tenants[0])
    assign_perm(ACCESS_STORE, users[0], store)
    grant = StoreUserObjectPermission.objects.get(user=users[0])
    pages = [
        reverse("admin:accounts_user_change", args=[users[0].pk]),
        reverse("admin:accounts_role_change", args=[users[0].role_id]),
        reverse("admin:sales_channels_store_change", args=[store.pk]),
        reverse("admin:sales_channels_storeuserobjectpermission_change", args=[grant.pk]),
        reverse("admin:inventory_tierprice_add"),
    ]
    for url in pages:
        html = operator.get(url).content.decode()
        # then no other tenant, role or user is written into the page
        for other in users[1:]:
            assert other.tenant.name not in html and other.role.name not in html and other.username not in html, url
        assert "admin-autocomplete" in html, url


def test_a_tenant_users_form_has_no_django_groups_or_permissions_a_platform_users_has(
    operator, owner, django_user_model
):
    staff = django_user_model.objects.create_user("support", "support@example.test", PASSWORD, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_tenant"))
    tenant_form = operator.get(reverse("admin:accounts_user_change", args=[owner.pk])).content.decode()
    staff_form = operator.get(reverse("admin:accounts_user_change", args=[staff.pk])).content.decode()
    assert 'name="user_permissions"' not in tenant_form and 'name="groups"' not in tenant_form
    assert 'name="user_permissions"' in staff_form and 'name="groups"' in staff_form
    # and a platform user's Django permissions still work (the tenant users' come from their role)
    assert staff.has_perm("accounts.view_tenant") and not owner.has_perm("accounts.view_tenant")


def test_a_page_is_its_ids_in_order_then_its_rows(db):
    orders = [shipped_order() for _ in range(5)]
    paginator = core_admin.EstimatedCountPaginator(Order.objects.select_related("store").order_by("-pk"), 2)
    pages = [[order.pk for order in paginator.page(number)] for number in paginator.page_range]
    assert paginator.count == 5 and pages == [
        [o.pk for o in orders[4:2:-1]],
        [o.pk for o in orders[2:0:-1]],
        [orders[0].pk],
    ]


def test_an_event_by_the_platform_operator_is_found_by_their_username(operator, django_user_model, tenant):
    staff = django_user_model.objects.get(username="root")  # no tenant
    event = AccountEvent.objects.create(tenant=tenant, actor=staff, type=AccountEvent.Type.TENANT_DEACTIVATED)
    html, _ = _changelist(operator, "accounts_accountevent", {"q": "root"})
    assert _listed(html) == {event.pk}
