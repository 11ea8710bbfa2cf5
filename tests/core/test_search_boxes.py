"""Every search box finds what users type: a number or code whole (in any case), a part of a buyer's
name or a SKU (in any case); an odd term finds nothing rather than failing; nothing is found past the
tenant or the user's stores; and a search page is a bounded number of queries, whatever matches."""

import re

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts.permissions import Perm
from aftersales import services
from channels.permissions import ACCESS_STORE
from inventory.models import MovementReason
from inventory.services import stock_move
from orders.models import OrderStatus
from tests.factories import (
    BuyerFactory,
    CancelRequestFactory,
    OrderFactory,
    SKUFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    make_refund,
    shipped_order,
)

pytestmark = pytest.mark.django_db

ODD = ["zz\x00zz", "%", "_", "\\", "'; --", '"', "x" * 5000, "🙂", "١٢٣", "%%__", "*", "(", "[a-z]"]


def _found(client, name: str, q: str, **params) -> list[int]:
    response = client.get(reverse(name), {"q": q, "tab": "all", **params})
    assert response.status_code == 200, q
    return [row.pk for row in response.context["page"]]


def _scanned(client, code: str) -> list[int]:
    response = client.get(reverse("inventory:index"), {"q": code})
    assert response.status_code == 200, code
    scan = response.context["scan"]
    return [case.pk for case in scan.waiting] + [case.pk for case, _ in scan.refused]


@pytest.fixture
def world(owner):
    """In the owner's tenant: an order of Siti Nurhaliza's with a case, and its refund; another order
    with a case of someone else's."""
    order = shipped_order(
        tenant=owner.tenant, number="SPX-100-A", tracking_number="TRK-55", buyer=BuyerFactory(tenant=owner.tenant)
    )
    order.buyer.name = "Siti Nurhaliza"
    order.buyer.save()
    case = make_case(order=order, actor=owner)
    services.case_update(case=case, actor=owner, return_tracking_number="RET-9", assignee=None, notes="")
    refund = make_refund(case=case)
    other = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    return order, case, refund, other


def test_each_search_box_finds_by_every_number_and_a_part_of_the_name_in_any_case(owner, world, login):
    order, case, refund, _ = world
    client = login(owner)
    for q in ("SPX-100-A", "spx-100-a", "TRK-55", "trk-55", "nurhal", "SITI", " Siti Nurhaliza "):
        assert _found(client, "orders:index", q) == [order.pk], q
    for q in (case.number, case.number.lower(), "spx-100-a", "TRK-55", "ret-9", "RET-9", "nurhaliza"):
        assert _found(client, "aftersales:index", q) == [case.pk], q
    for q in (refund.number, refund.number.lower(), case.number.lower(), "spx-100-a"):
        assert _found(client, "refunds:index", q) == [refund.pk], q
    for code in ("ret-9", case.number.lower(), "SPX-100-A", "trk-55"):
        assert _scanned(client, code) == [case.pk], code
    assert _scanned(client, "Siti") == []  # a scanner types codes, not names
    # a part of a number is not a number: numbers match whole
    assert _found(client, "orders:index", "SPX-100") == []
    assert _found(client, "aftersales:index", case.number[:-2]) == []


def test_cancel_requests_and_canceled_orders_are_searched_like_orders(owner, login):
    request = CancelRequestFactory(order__tenant=owner.tenant, order__number="LZ-77", order__buyer__name="Ahmad Faiz")
    CancelRequestFactory(order__tenant=owner.tenant)
    canceled = OrderFactory(tenant=owner.tenant, status=OrderStatus.CANCELLED, tracking_number="JNT-1")
    OrderFactory(tenant=owner.tenant, status=OrderStatus.CANCELLED)
    client = login(owner)
    for q in ("lz-77", "faiz"):
        assert _found(client, "orders:cancel-requests", q) == [request.pk], q
    assert [o.pk for o in client.get(reverse("orders:canceled"), {"q": "jnt-1"}).context["page"]] == [canceled.pk]


def test_stock_on_hand_is_searched_by_a_part_of_the_sku_code_or_name(owner, login):
    warehouse = WarehouseFactory(tenant=owner.tenant)
    kettle = SKUFactory(tenant=owner.tenant, code="KT-2000", name="Electric Kettle")
    for sku in (kettle, SKUFactory(tenant=owner.tenant, code="MG-1", name="Mug")):
        stock_move(
            sku=sku, warehouse=warehouse, quantity=3, reason=MovementReason.OPENING, source="", source_key=sku.code
        )
    client = login(owner)
    for q in ("kt-20", "KETTLE", "ectric"):
        page = client.get(reverse("inventory:stock"), {"q": q}).context["page"]
        assert [level.sku_id for level in page] == [kettle.pk], q


@pytest.mark.parametrize("q", ODD)
def test_an_odd_search_term_finds_nothing_and_never_fails(owner, world, login, q):
    client = login(owner)
    for name in ("orders:index", "aftersales:index", "refunds:index", "orders:cancel-requests", "inventory:stock"):
        assert _found(client, name, q) == [], name
    assert client.get(reverse("orders:canceled"), {"q": q}).context["page"].object_list == []
    assert _scanned(client, q) == []


def test_a_search_finds_nothing_of_another_tenant_nor_of_a_store_the_user_may_not_see(owner, world, login):
    order, case, refund, _ = world
    # another tenant has an order of the same number, tracking and buyer, with a case and a refund
    foreign_order = shipped_order(number="SPX-100-A", tracking_number="TRK-55")
    foreign_order.buyer.name = "Siti Nurhaliza"
    foreign_order.buyer.save()
    foreign = make_case(order=foreign_order)
    make_refund(case=foreign)
    client = login(owner)
    for q in ("SPX-100-A", "TRK-55", "Siti"):
        assert _found(client, "orders:index", q) == [order.pk], q
        assert _found(client, "aftersales:index", q) == [case.pk], q
    assert _found(client, "refunds:index", "SPX-100-A") == [refund.pk]
    assert _scanned(client, "SPX-100-A") == [case.pk]
    # a sub-account working with another store of the tenant finds none of them
    clerk = UserFactory(
        tenant=owner.tenant,
        perms=[Perm.MANUAL_AFTERSALES, Perm.AFTERSALES_REFUND, Perm.RETURN_STOCKIN, Perm.CANCEL_ORDERS],
        all_stores=False,
    )
    assign_perm(ACCESS_STORE, clerk, StoreFactory(tenant=owner.tenant))
    client = login(clerk)
    for q in ("SPX-100-A", "TRK-55", "Siti", case.number, "RET-9"):
        assert _found(client, "orders:index", q) == [], q
        assert _found(client, "aftersales:index", q) == [], q
        assert _scanned(client, q) == [], q
    assert _found(client, "refunds:index", refund.number) == []


def test_a_search_page_is_a_bounded_number_of_queries(owner, login, django_assert_max_num_queries):
    buyer = BuyerFactory(tenant=owner.tenant, name="Tan Mei Ling")
    cases = [make_case(order=shipped_order(tenant=owner.tenant, buyer=buyer), actor=owner) for _ in range(6)]
    for case in cases[:3]:
        make_refund(case=case)
    client = login(owner)
    pages = [
        ("orders:index", "mei"),
        ("aftersales:index", "mei"),
        ("aftersales:index", cases[0].number),
        ("refunds:index", cases[0].number),
        ("orders:cancel-requests", "mei"),
        ("inventory:index", cases[1].order.number),  # the scan
    ]
    for name, q in pages:
        with django_assert_max_num_queries(12, info=f"{name} q={q}"):  # session, user, roles; counts, page...
            response = client.get(reverse(name), {"q": q, "tab": "all"})
        assert response.status_code == 200


def test_a_name_many_buyers_share_finds_them_all(owner, world, login, monkeypatch):
    # given more buyers named like Siti than a search lists by id
    order, case, _, _ = world
    other = shipped_order(tenant=owner.tenant, buyer=BuyerFactory(tenant=owner.tenant, name="Siti Aminah"))
    later = make_case(order=other, actor=owner)
    monkeypatch.setattr("core.filters.FEW", 1)
    client = login(owner)
    # then the search still finds each, matched row by row, and the numbers still match too
    assert set(_found(client, "orders:index", "siti")) == {order.pk, other.pk}
    assert set(_found(client, "aftersales:index", "SITI")) == {case.pk, later.pk}
    assert _found(client, "aftersales:index", later.number.lower()) == [later.pk]
    assert _found(client, "orders:index", "spx-100-a") == [order.pk]


def test_a_search_matching_more_than_the_cap_says_at_least_and_still_lists_them(owner, login, monkeypatch):
    # given five New orders of buyers named Lim, and two Completed ones
    for status in [OrderStatus.NEW] * 5 + [OrderStatus.COMPLETED] * 2:
        OrderFactory(tenant=owner.tenant, status=status, buyer=BuyerFactory(tenant=owner.tenant, name="Lim Wei"))
    client = login(owner)
    # when the list counts up to 10 matches, the tabs are exact
    monkeypatch.setattr("core.tabs.COUNT_CAP", 10)
    response = client.get(reverse("orders:index"), {"q": "lim", "tab": "all"})
    badges = _badges(response.content.decode())
    assert {tab: n for tab, n in badges.items() if n != "0"} == {"New Orders": "5", "Completed": "2", "All": "7"}
    assert response.context["page"].count == 7
    # when it counts only up to 3, All says "3+", a tab says at least what was seen, and every match is listed
    monkeypatch.setattr("core.tabs.COUNT_CAP", 3)
    response = client.get(reverse("orders:index"), {"q": "lim", "tab": "all"})
    badges = _badges(response.content.decode())
    assert badges["All"] == "3+"
    assert all(n.endswith("+") for n in badges.values()) and "Shipped" not in badges  # unseen: no badge, not 0
    assert response.context["page"].count is None  # the pager shows no total it does not know
    assert len(_found(client, "orders:index", "lim")) == 7


def _badges(page: str) -> dict[str, str]:
    """{tab label: its badge} of a list page's tab strip (tabs without a badge left out)."""
    found = re.findall(r'role="tab"[^>]*>\s*([^<]+?)\s*<span class="badge[^"]*tab-count">([^<]+)</span>', page)
    return dict(found)
