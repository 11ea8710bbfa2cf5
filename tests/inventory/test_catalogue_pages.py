"""Settings > Products, Customer tiers, Warehouses, Stores: the pages a seller manages its catalogue on."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.permissions import Perm
from aftersales.models import Case
from inventory.models import SKU, ComboItem, StockMovement, TierPrice, Warehouse, WarehouseKind
from orders.models import Order
from tests.factories import (
    BuyerFactory,
    ComboItemFactory,
    CustomerTierFactory,
    SKUFactory,
    StoreFactory,
    TierPriceFactory,
    UserFactory,
    WarehouseFactory,
    shipped_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(tenant):
    """A sub-account whose role is Settings."""
    return UserFactory(tenant=tenant, perms=[Perm.SETTINGS])


def _errors(response) -> str:
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


# --- the path the issue asks for: Settings, then a case ------------------------------------------


def test_a_seller_creates_a_sku_with_tier_prices_and_a_combo_then_uses_the_combo_in_a_case(tenant, seller, login):
    client = login(seller)
    # given a tier made in Settings
    response = client.post(reverse("settings:tier-create"), {"name": "Gold"})
    assert response.status_code == 302
    tier = _tier(tenant, "Gold")
    # when the seller creates a single SKU with a Gold price, then a combo of two of it with its own Gold price
    response = client.post(
        reverse("settings:sku-create"),
        {
            "code": "CBL-1M",
            "name": "USB-C cable 1m",
            "wholesale_price": "4.00",
            "is_active": "on",
            f"tier_{tier.pk}": "3.50",
        },
    )
    assert response.status_code == 302, _errors(response)
    cable = SKU.objects.get(tenant=tenant, code="CBL-1M")
    response = client.post(
        reverse("settings:sku-create"),
        {
            "code": "KIT-2CBL",
            "name": "Two cables",
            "wholesale_price": "7.00",
            "is_combo": "on",
            "is_active": "on",
            f"tier_{tier.pk}": "6.00",
            "part_0_sku": cable.code,
            "part_0_qty": "2",
        },
    )
    assert response.status_code == 302, _errors(response)
    kit = SKU.objects.get(tenant=tenant, code="KIT-2CBL")
    assert kit.is_combo and [(c.component.code, c.quantity) for c in kit.components.all()] == [("CBL-1M", 2)]
    assert TierPrice.objects.get(sku=cable, tier=tier).price == Decimal("3.50")
    listed = client.get(reverse("settings:sku-list")).content.decode()
    assert "KIT-2CBL" in listed and "Combo of 1" in listed

    # then an operator adds the combo to a case on a Gold buyer's order, priced at the Gold price
    order = shipped_order(tenant=tenant, buyer=BuyerFactory(tenant=tenant, tier=tier))
    operator = UserFactory(tenant=tenant, perms=[Perm.MANUAL_AFTERSALES])
    item = order.items.get()
    search = login(operator).get(reverse("inventory:sku-search"), {"q": "kit-2", "tier": tier.pk, "currency": "MYR"})
    assert f'data-code="{kit.code}"' in search.content.decode()  # offered in the picker, at the Gold price
    assert 'data-price="6.00"' in search.content.decode()
    response = login(operator).post(
        f"{reverse('aftersales:create')}?order={order.pk}",
        {
            "type": "return_refund",
            f"item_{item.pk}_on": "on",
            f"item_{item.pk}_qty": "1",
            "add_0_sku": kit.code,
            "add_0_qty": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(order=order)
    added = case.lines.get(sku=kit)
    assert added.amount == Decimal("6.00")
    # and stocking the parcel in moves the combo's sub-SKUs
    warehouse = WarehouseFactory(tenant=tenant)
    response = login(operator).post(
        reverse("aftersales:confirm-stock-in", args=[case.pk]), {"warehouse": warehouse.pk, "condition": "sellable"}
    )
    assert response.status_code == 302
    moved = dict(StockMovement.objects.filter(case=case).values_list("sku__code", "quantity"))
    assert moved[cable.code] == 2 and kit.code not in moved


def _tier(tenant, name):
    from inventory.models import CustomerTier

    return CustomerTier.objects.get(tenant=tenant, name=name)


# --- products ------------------------------------------------------------------------------------


def test_the_product_list_searches_code_and_name_and_tabs_by_status(tenant, seller, login):
    SKUFactory(tenant=tenant, code="CBL-1M", name="USB-C cable")
    SKUFactory(tenant=tenant, code="CASE-IP15", name="iPhone case")
    SKUFactory(tenant=tenant, code="OLD-1", name="Old cable", is_active=False)
    SKUFactory(code="CBL-OTHER")  # another tenant's
    client = login(seller)

    def codes(**query):
        return [sku.code for sku in client.get(reverse("settings:sku-list"), query).context["page"]]

    assert codes() == ["CASE-IP15", "CBL-1M"]
    assert codes(q="cable") == ["CBL-1M"]
    assert codes(tab="inactive") == ["OLD-1"]
    assert codes(tab="all", q="cable") == ["CBL-1M", "OLD-1"]
    html = client.get(reverse("settings:sku-list")).content.decode()
    assert 'data-tab="inactive"' in html and "CBL-OTHER" not in html


def test_the_product_list_runs_a_fixed_number_of_queries(tenant, seller, login, django_assert_max_num_queries):
    for _ in range(3):
        ComboItemFactory(combo__tenant=tenant)
        TierPriceFactory(tier=CustomerTierFactory(tenant=tenant))
    client = login(seller)
    with django_assert_max_num_queries(12):
        client.get(reverse("settings:sku-list"), {"tab": "all"})
    for _ in range(10):
        ComboItemFactory(combo__tenant=tenant)
    with django_assert_max_num_queries(12):
        client.get(reverse("settings:sku-list"), {"tab": "all"})


def test_edit_a_sku_changes_its_prices_and_deactivates_it(tenant, seller, login):
    gold, retail = CustomerTierFactory(tenant=tenant, name="Gold"), CustomerTierFactory(tenant=tenant, name="Retail")
    sku = SKUFactory(tenant=tenant, code="CBL-1M", wholesale_price=Decimal("4.00"))
    TierPriceFactory(tier=gold, sku=sku, price=Decimal("3.00"))
    client = login(seller)
    page = client.get(reverse("settings:sku-edit", args=[sku.pk])).content.decode()
    assert 'value="3.00"' in page  # the Gold price shown
    response = client.post(
        reverse("settings:sku-edit", args=[sku.pk]),
        {
            "code": "CBL-1M",
            "name": "Cable",
            "wholesale_price": "4.50",
            f"tier_{gold.pk}": "",
            f"tier_{retail.pk}": "5.00",
        },
    )
    assert response.status_code == 302, _errors(response)
    sku.refresh_from_db()
    assert (sku.name, sku.wholesale_price, sku.is_active) == ("Cable", Decimal("4.50"), False)
    assert dict(sku.tier_prices.values_list("tier__name", "price")) == {"Retail": Decimal("5.00")}


def test_an_inactive_sku_is_not_offered_for_new_cases_or_orders_but_old_documents_show_it(tenant, owner, login):
    order = shipped_order(tenant=tenant)
    old = order.items.get().sku
    old.is_active = False
    old.save()
    client = login(owner)
    case_page = client.get(reverse("aftersales:create"), {"order": order.pk})
    assert case_page.context["form"].fields["add_0_sku"].queryset.filter(pk=old.pk).exists() is False
    assert old.code in case_page.content.decode()  # the order's own line still proposed
    entry_page = client.get(reverse("orders:entry-create"))
    assert not entry_page.context["form"].fields["sku_0"].queryset.filter(pk=old.pk).exists()
    assert old.code in client.get(reverse("orders:detail", args=[order.pk])).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "TAKEN"}, "There is already a SKU TAKEN."),
        ({"code": "taken"}, "There is already a SKU taken."),
        ({"wholesale_price": "10000000000.00"}, "At most 9,999,999,999.99."),
        ({"wholesale_price": "-1"}, "Cannot be negative."),
        ({"wholesale_price": "1.234"}, "Use at most 2 decimals."),
        ({"part_0_qty": "10001"}, "At most 10,000."),
        ({"part_0_qty": "0"}, "At least 1."),
        ({"part_0_sku": "", "part_0_qty": ""}, "A combo holds at least one sub-SKU"),
        ({"is_combo": ""}, "Only a combo holds sub-SKUs"),
        ({"part_1_qty": "1"}, "Choose the SKU."),
        ({"part_0_sku": "COMBO"}, "is a combo: choose a single SKU."),
        ({"part_0_sku": "OTHER_TENANT"}, "There is no SKU"),
        ({"part_0_sku": "INACTIVE"}, "is inactive: it is not offered"),
        ({"part_1_sku": "PART", "part_1_qty": "1"}, "is listed already"),
    ],
)
def test_bad_input_on_create_sku_shows_the_message_and_writes_nothing(change, message, tenant, seller, login):
    SKUFactory(tenant=tenant, code="TAKEN")
    part = SKUFactory(tenant=tenant, code="PART")
    named = {
        "COMBO": ComboItemFactory(combo__tenant=tenant).combo.code,
        "OTHER_TENANT": SKUFactory().code,
        "INACTIVE": SKUFactory(tenant=tenant, is_active=False).code,
        "PART": part.code,
    }
    before = SKU.objects.count()
    data = {
        "code": "NEW-1",
        "name": "New",
        "wholesale_price": "5",
        "is_combo": "on",
        "part_0_sku": part.code,
        "part_0_qty": "2",
    }
    data.update({key: named.get(value, value) for key, value in change.items()})
    response = login(seller).post(reverse("settings:sku-create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SKU.objects.count() == before


def test_a_combo_keeps_its_kind_and_its_lines_can_change(tenant, seller, login):
    combo = ComboItemFactory(combo__tenant=tenant, quantity=2).combo
    first = combo.components.get().component
    second = SKUFactory(tenant=tenant)
    response = login(seller).post(
        reverse("settings:sku-edit", args=[combo.pk]),
        {"code": combo.code, "name": combo.name, "is_active": "on", "is_combo": "", "part_0_sku": "", "part_0_qty": "",
         "part_1_sku": second.code, "part_1_qty": "3"},
    )  # fmt: skip
    assert response.status_code == 302, _errors(response)
    combo.refresh_from_db()
    assert combo.is_combo
    assert list(ComboItem.objects.filter(combo=combo).values_list("component", "quantity")) == [(second.pk, 3)]
    assert SKU.objects.filter(pk=first.pk).exists()


def test_a_single_skus_edit_page_offers_no_sub_skus(tenant, seller, login):
    sku = SKUFactory(tenant=tenant)
    html = login(seller).get(reverse("settings:sku-edit", args=[sku.pk])).content.decode()
    assert 'name="part_0_sku"' not in html and 'name="is_combo"' not in html


# --- customer tiers ------------------------------------------------------------------------------


def test_customer_tiers_are_listed_created_and_renamed_with_unique_names(tenant, seller, login):
    CustomerTierFactory(tenant=tenant, name="Gold")
    CustomerTierFactory(name="Silver")  # another tenant's
    client = login(seller)
    assert [t.name for t in client.get(reverse("settings:tier-list")).context["page"]] == ["Gold"]
    refused = client.post(reverse("settings:tier-create"), {"name": "gold"})
    assert refused.status_code == 200 and "There is already a customer tier gold." in refused.content.decode()
    assert client.post(reverse("settings:tier-create"), {"name": "Silver"}).status_code == 302
    silver = _tier(tenant, "Silver")
    assert client.post(reverse("settings:tier-edit", args=[silver.pk]), {"name": "Platinum"}).status_code == 302
    assert [t.name for t in client.get(reverse("settings:tier-list"), {"q": "plat"}).context["page"]] == ["Platinum"]


# --- warehouses ----------------------------------------------------------------------------------


def test_warehouses_are_created_and_one_is_the_default_return_warehouse(tenant, seller, login):
    first = WarehouseFactory(tenant=tenant, name="KL", is_default_return=True)
    client = login(seller)
    response = client.post(
        reverse("settings:warehouse-create"),
        {
            "name": "Jakarta 3PL",
            "code": "JKT",
            "kind": WarehouseKind.THIRD_PARTY,
            "is_active": "on",
            "is_default_return": "on",
        },
    )
    assert response.status_code == 302, _errors(response)
    jakarta = Warehouse.objects.get(tenant=tenant, code="JKT")
    first.refresh_from_db()
    assert jakarta.is_default_return and not first.is_default_return
    html = client.get(reverse("settings:warehouse-list")).content.decode()
    assert "Default return warehouse" in html and "Third-party warehouse" in html
    assert client.get(reverse("settings:warehouse-list"), {"q": "jkt"}).context["page"].object_list == [jakarta]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "kl"}, "There is already a warehouse kl."),
        ({"kind": WarehouseKind.SUPPLIER}, "That type cannot be chosen (any more): choose another."),
        ({"is_active": ""}, "An inactive warehouse cannot be the default return warehouse."),
        ({"name": "a\x00b"}, "Remove the control characters"),
    ],
)
def test_bad_input_on_a_warehouse_shows_the_message_and_writes_nothing(change, message, tenant, seller, login):
    WarehouseFactory(tenant=tenant, code="KL")
    data = {"name": "New", "code": "NEW", "kind": WarehouseKind.OWN, "is_active": "on", "is_default_return": "on"}
    response = login(seller).post(reverse("settings:warehouse-create"), {**data, **change})
    assert response.status_code == 200 and message in response.content.decode()
    assert Warehouse.objects.filter(tenant=tenant).count() == 1


def test_a_supplier_warehouse_keeps_its_type_when_edited(tenant, seller, login):
    warehouse = WarehouseFactory(tenant=tenant, kind=WarehouseKind.SUPPLIER)
    response = login(seller).post(
        reverse("settings:warehouse-edit", args=[warehouse.pk]),
        {"name": "Renamed", "code": warehouse.code, "kind": WarehouseKind.SUPPLIER, "is_active": "on"},
    )
    assert response.status_code == 302, _errors(response)
    warehouse.refresh_from_db()
    assert (warehouse.name, warehouse.kind) == ("Renamed", WarehouseKind.SUPPLIER)


def test_the_return_forms_propose_the_default_return_warehouse(tenant, owner, login):
    from tests.factories import make_case

    WarehouseFactory(tenant=tenant, name="A first")
    default = WarehouseFactory(tenant=tenant, name="B default", is_default_return=True)
    case = make_case(order=shipped_order(tenant=tenant), actor=owner)
    page = login(owner).get(reverse("aftersales:detail", args=[case.pk]))
    assert page.context["stock_in_form"]["warehouse"].value() == default.pk


# --- stores, the index, permissions ----------------------------------------------------------------


def test_stores_are_listed_read_only_and_searchable(tenant, seller, login):
    StoreFactory(tenant=tenant, name="Shopee MY", external_id="SHP123")
    StoreFactory(tenant=tenant, name="Lazada ID")
    StoreFactory(name="Not mine")
    client = login(seller)
    assert [s.name for s in client.get(reverse("settings:store-list")).context["page"]] == ["Lazada ID", "Shopee MY"]
    assert [s.name for s in client.get(reverse("settings:store-list"), {"q": "shp1"}).context["page"]] == ["Shopee MY"]
    assert client.post(reverse("settings:store-list")).status_code == 405


def test_the_settings_page_links_the_catalogue(seller, login):
    html = login(seller).get(reverse("settings:index")).content.decode()
    for name in ("sku-list", "tier-list", "warehouse-list", "store-list"):
        assert reverse(f"settings:{name}") in html


@pytest.mark.parametrize(
    "url_name",
    ["sku-list", "sku-create", "tier-list", "tier-create", "warehouse-list", "warehouse-create", "store-list"],
)
def test_a_role_without_settings_is_refused(url_name, tenant, login):
    operator = UserFactory(tenant=tenant, perms=[Perm.MANUAL_AFTERSALES, Perm.RETURN_STOCKIN])
    assert login(operator).get(reverse(f"settings:{url_name}")).status_code == 403
    assert login(operator).post(reverse(f"settings:{url_name}"), {"code": "X", "name": "X"}).status_code in (403, 405)
    assert not SKU.objects.exists() and not Order.objects.exists()
