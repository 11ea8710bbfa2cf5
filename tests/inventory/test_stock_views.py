import pytest
from django.urls import reverse

from accounts.permissions import Perm
from inventory.models import Condition, MovementReason
from inventory.services import stock_move
from tests.factories import SKUFactory, UserFactory, WarehouseFactory
from tests.inventory.factories import StockLevelFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list[tuple[str, str, str, int]]:
    return [
        (level.sku.code, level.warehouse.name, level.condition, level.on_hand) for level in response.context["page"]
    ]


def test_the_stock_page_lists_on_hand_by_sku_warehouse_and_condition(tenant, owner, login):
    # given stock in two warehouses, sellable and damaged
    kl, jkt = WarehouseFactory(tenant=tenant, name="KL"), WarehouseFactory(tenant=tenant, name="JKT")
    cable = SKUFactory(tenant=tenant, code="CBL-1M", name="USB-C cable")
    StockLevelFactory(tenant=tenant, sku=cable, warehouse=kl, on_hand=12)
    StockLevelFactory(tenant=tenant, sku=cable, warehouse=kl, condition=Condition.DAMAGED, on_hand=2)
    StockLevelFactory(tenant=tenant, sku=cable, warehouse=jkt, on_hand=5)
    StockLevelFactory(on_hand=99)  # another tenant's
    # when
    response = login(owner).get(reverse("inventory:stock"))
    # then
    assert response.status_code == 200
    assert _rows(response) == [
        ("CBL-1M", "JKT", "sellable", 5),
        ("CBL-1M", "KL", "damaged", 2),
        ("CBL-1M", "KL", "sellable", 12),
    ]
    html = response.content.decode()
    assert "Damaged / quarantine" in html
    assert reverse("inventory:sku-ledger", args=[cable.pk]) in html


def test_the_stock_page_filters_by_sku_code_or_name_and_by_warehouse(tenant, owner, login):
    # given
    kl, jkt = WarehouseFactory(tenant=tenant, name="KL"), WarehouseFactory(tenant=tenant, name="JKT")
    cable = SKUFactory(tenant=tenant, code="CBL-1M", name="USB-C cable")
    case = SKUFactory(tenant=tenant, code="CASE-IP15", name="iPhone 15 clear case")
    for sku in (cable, case):
        for warehouse in (kl, jkt):
            StockLevelFactory(tenant=tenant, sku=sku, warehouse=warehouse)
    client = login(owner)
    # when / then: by code, by name, by warehouse, and both
    assert {r[0] for r in _rows(client.get(reverse("inventory:stock"), {"q": "cbl"}))} == {"CBL-1M"}
    assert {r[0] for r in _rows(client.get(reverse("inventory:stock"), {"q": "iphone"}))} == {"CASE-IP15"}
    by_warehouse = _rows(client.get(reverse("inventory:stock"), {"warehouse": kl.pk}))
    assert {r[1] for r in by_warehouse} == {"KL"} and len(by_warehouse) == 2
    assert _rows(client.get(reverse("inventory:stock"), {"q": "case", "warehouse": jkt.pk})) == [
        ("CASE-IP15", "JKT", "sellable", 10)
    ]


def test_the_stock_page_is_paginated_by_50(tenant, owner, login):
    StockLevelFactory.create_batch(51, tenant=tenant)
    client = login(owner)
    first = client.get(reverse("inventory:stock"))
    assert len(first.context["page"]) == 50
    assert len(client.get(reverse("inventory:stock") + "?" + first.context["page"].next_query).context["page"]) == 1


def test_the_stock_page_queries_do_not_grow_with_rows(tenant, owner, login, django_assert_max_num_queries):
    # given 30 on-hand rows, each of its own SKU and warehouse
    StockLevelFactory.create_batch(30, tenant=tenant)
    client = login(owner)
    # when / then: session, user, tenant, 2 permission lookups, count, warehouses, the page; none per row
    with django_assert_max_num_queries(9):
        response = client.get(reverse("inventory:stock"))
    assert len(response.context["page"]) == 30


def test_the_ledger_page_shows_movements_and_on_hand(tenant, owner, login):
    # given
    sku, warehouse = SKUFactory(tenant=tenant, code="PB-10K"), WarehouseFactory(tenant=tenant, name="KL Main")
    clerk = UserFactory(tenant=tenant, username="clerk", perms=[Perm.RETURN_STOCKIN])
    stock_move(
        sku=sku,
        warehouse=warehouse,
        quantity=20,
        reason=MovementReason.OPENING,
        source="Opening count 2025",
        source_key="opening:1",
    )
    stock_move(
        sku=sku,
        warehouse=warehouse,
        quantity=-3,
        reason=MovementReason.ORDER_SHIPPED,
        source="ORD00000042",
        source_key="ship:42:1",
    )
    stock_move(
        sku=sku,
        warehouse=warehouse,
        quantity=1,
        reason=MovementReason.RETURN_STOCK_IN,
        source="CASE-7",
        source_key="return:7:1",
        condition=Condition.DAMAGED,
        actor=clerk,
    )
    # when
    response = login(clerk).get(reverse("inventory:sku-ledger", args=[sku.pk]))
    # then newest first, with reason, source and user
    assert response.status_code == 200
    movements = list(response.context["page"])
    assert [m.source for m in movements] == ["CASE-7", "ORD00000042", "Opening count 2025"]
    html = response.content.decode()
    for text in ("Opening stock", "Order shipped", "Return stock-in", "ORD00000042", "clerk", "KL Main", "-3", "+20"):
        assert text in html
    # and on-hand per warehouse and condition
    assert {(lv.condition, lv.on_hand) for lv in response.context["levels"]} == {("sellable", 17), ("damaged", 1)}


@pytest.mark.parametrize("url_name", ["inventory:index", "inventory:stock", "inventory:sku-ledger"])
def test_a_user_without_return_stock_in_gets_403(url_name, tenant, login):
    # given a sub-account whose role only cancels orders
    client = login(UserFactory(tenant=tenant, perms=[Perm.CANCEL_ORDERS]))
    args = [SKUFactory(tenant=tenant).pk] if url_name == "inventory:sku-ledger" else []
    # when / then
    assert client.get(reverse(url_name, args=args)).status_code == 403


def test_another_tenants_sku_is_404_on_the_ledger_page(owner, login):
    other_sku = SKUFactory()
    assert login(owner).get(reverse("inventory:sku-ledger", args=[other_sku.pk])).status_code == 404


def test_the_stock_pages_are_get_only(tenant, owner, login):
    client = login(owner)
    assert client.post(reverse("inventory:stock")).status_code == 405
    assert client.post(reverse("inventory:sku-ledger", args=[SKUFactory(tenant=tenant).pk])).status_code == 405


def test_an_htmx_search_gets_only_the_panel(owner, login):
    response = login(owner).get(reverse("inventory:stock"), {"q": "x"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="stock-panel"' in html and "<html" not in html
