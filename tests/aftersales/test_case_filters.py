"""Manual After-Sales Order: the Shipping Warehouse and Supplier filters, their tab counts, and
values a user did not choose (another tenant's row, hostile text)."""

import pytest
from django.urls import reverse

from aftersales import services
from aftersales.models import CaseStatus
from tests.distribution.helpers import distribution_order, make_bridge
from tests.factories import UserFactory, WarehouseFactory, make_case, shipped_order

S = CaseStatus
pytestmark = pytest.mark.django_db


def _listed(page) -> set[str]:
    return {case.pk for case in page.context["page"]}


def _counts(page) -> dict[str, int]:
    return {tab.key: tab.count for tab in page.context["tabs"]}


@pytest.fixture
def cases(owner):
    """Three cases of one distributor: from its own warehouse, and from two suppliers' warehouses
    (the first supplier's confirmed)."""
    tenant = owner.tenant
    own = make_case(order=shipped_order(tenant=tenant, warehouse=WarehouseFactory(tenant=tenant)), actor=owner)
    first, second = make_bridge(distributor_tenant=tenant), make_bridge(distributor_tenant=tenant)
    by_first = make_case(order=distribution_order(first).order, actor=owner)
    services.case_confirm(case=by_first, actor=owner)
    by_second = make_case(order=distribution_order(second).order, actor=owner)
    return {"own": own, "first": by_first, "second": by_second, "bridges": (first, second)}


def test_shipping_warehouse_narrows_the_list_and_its_tab_counts(owner, login, cases):
    client = login(owner)
    warehouse = cases["own"].order.warehouse

    page = client.get(reverse("aftersales:index"), {"tab": "all", "warehouse": warehouse.pk})
    assert _listed(page) == {cases["own"].pk}
    assert _counts(page)[S.TO_CONFIRM] == 1 and _counts(page)["all"] == 1
    assert warehouse.name in page.content.decode()  # offered in the filter bar

    supplier_side = cases["bridges"][0].distributor_warehouse
    page = client.get(reverse("aftersales:index"), {"tab": "all", "warehouse": supplier_side.pk})
    assert _listed(page) == {cases["first"].pk}
    assert _counts(page)[S.TO_CONFIRM] == 0 and _counts(page)["all"] == 1


def test_supplier_narrows_the_list_to_the_orders_it_fulfils(owner, login, cases):
    client = login(owner)
    first, second = cases["bridges"]

    page = client.get(reverse("aftersales:index"), {"tab": "all", "supplier": second.supplier.tenant_id})
    assert _listed(page) == {cases["second"].pk}
    assert _counts(page)[S.TO_CONFIRM] == 1 and _counts(page)["all"] == 1
    assert first.supplier.tenant.name in page.content.decode()  # both suppliers offered

    page = client.get(reverse("aftersales:index"), {"tab": "all", "supplier": first.supplier.tenant_id})
    assert _listed(page) == {cases["first"].pk}
    assert _counts(page)[S.TO_CONFIRM] == 0 and _counts(page)["all"] == 1

    both = {"tab": "all", "supplier": first.supplier.tenant_id, "warehouse": second.distributor_warehouse.pk}
    assert _listed(client.get(reverse("aftersales:index"), both)) == set()


def test_another_tenants_warehouse_or_supplier_shows_nothing_of_theirs(owner, login, cases):
    theirs = UserFactory(owner=True)
    their_warehouse = WarehouseFactory(tenant=theirs.tenant)
    their_case = make_case(order=shipped_order(tenant=theirs.tenant, warehouse=their_warehouse), actor=theirs)
    their_bridge = make_bridge(distributor_tenant=theirs.tenant)
    client = login(owner)
    mine = {cases["own"].pk, cases["first"].pk, cases["second"].pk}

    for params in (
        {"warehouse": their_warehouse.pk},
        {"warehouse": their_bridge.distributor_warehouse.pk},
        {"supplier": their_bridge.supplier.tenant_id},
        {"supplier": theirs.tenant_id},
    ):
        page = client.get(reverse("aftersales:index"), {"tab": "all", **params})
        assert page.status_code == 200
        assert _listed(page) == mine  # the foreign value is ignored, as if not sent
        assert their_case.order.number not in page.content.decode()  # case numbers are per tenant
        assert their_warehouse.name not in page.content.decode()
        assert their_bridge.supplier.tenant.name not in page.content.decode()


@pytest.mark.parametrize("value", ["\x00", "1\x00", "9" * 40, str(2**63), "-1", "abc", "\u0661", "1e3", " "])
@pytest.mark.parametrize("name", ["warehouse", "supplier"])
def test_hostile_values_never_break_the_list(owner, login, cases, name, value):
    page = login(owner).get(reverse("aftersales:index"), {"tab": "all", name: value})
    assert page.status_code in (200, 400)
    if page.status_code == 200:
        assert len(_listed(page)) == 3
