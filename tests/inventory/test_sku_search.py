"""The SKU pickers' search (inventory:sku-search): the tenant's active SKUs by code or name, with
name, price (the buyer's tier, the order's currency) and sellable stock; only for the roles whose
forms pick SKUs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.permissions import Perm
from inventory.models import Condition, MovementReason
from inventory.services import stock_move
from tests.factories import (
    ComboItemFactory,
    CustomerTierFactory,
    SKUFactory,
    StoreFactory,
    TierPriceFactory,
    UserFactory,
    WarehouseFactory,
)

pytestmark = pytest.mark.django_db


def _search(client, **query) -> str:
    response = client.get(reverse("inventory:sku-search"), query)
    assert response.status_code == 200
    return response.content.decode()


def _stock(sku, quantity, condition=Condition.SELLABLE):
    warehouse = WarehouseFactory(tenant=sku.tenant)
    stock_move(
        sku=sku,
        warehouse=warehouse,
        quantity=quantity,
        reason=MovementReason.OPENING,
        source="Opening count",
        source_key=f"opening:{sku.pk}:{warehouse.pk}:{condition}",
        condition=condition,
    )


@pytest.fixture
def operator(tenant):
    return UserFactory(tenant=tenant, perms=[Perm.MANUAL_AFTERSALES])


def test_finds_by_code_or_name_with_name_price_and_sellable_stock(tenant, operator, login):
    StoreFactory(tenant=tenant, currency="IDR")
    lamp = SKUFactory(tenant=tenant, code="LMP-01", name="Desk lamp", wholesale_price=Decimal("289000.00"))
    _stock(lamp, 5)
    _stock(lamp, 3)
    _stock(lamp, 9, Condition.DAMAGED)  # quarantined stock is not on offer
    SKUFactory(tenant=tenant, code="CBL-1", name="Cable")
    client = login(operator)
    by_name = _search(client, q="desk")
    assert 'data-code="LMP-01"' in by_name and "Desk lamp" in by_name and "Cable" not in by_name
    assert "IDR\u00a0289,000" in by_name  # the tenant's stores sell in IDR: its formatting, no cents
    assert "8 in stock" in by_name
    assert 'data-code="LMP-01"' in _search(client, q="lmp-0")


def test_offers_only_the_tenants_active_skus(tenant, operator, login):
    SKUFactory(tenant=tenant, code="OLD-1", name="Old lamp", is_active=False)
    SKUFactory(code="LMP-99", name="Another seller's lamp")
    page = _search(login(operator), q="lamp")
    assert "OLD-1" not in page and "LMP-99" not in page
    assert "No active SKU matches this." in page


def test_prices_at_the_buyers_tier_in_the_orders_currency_and_combos_count_whole_kits(tenant, operator, login):
    gold = CustomerTierFactory(tenant=tenant)
    kit = ComboItemFactory(
        combo__tenant=tenant, combo__code="KIT-1", combo__wholesale_price=Decimal("9.00"), quantity=2
    )
    TierPriceFactory(tenant=tenant, tier=gold, sku=kit.combo, price=Decimal("7.50"))
    _stock(kit.component, 5)  # two whole kits
    page = _search(login(operator), q="KIT", tier=gold.pk, currency="MYR")
    assert 'data-price="7.50"' in page and "RM\u00a07.50" in page and "2 in stock" in page
    other_tier = CustomerTierFactory()  # another tenant's tier id is ignored: the wholesale price
    assert 'data-price="9.00"' in _search(login(operator), q="KIT", tier=other_tier.pk)
    assert "KIT-1" not in _search(login(operator), q="KIT", single="1")  # a combo's parts are single SKUs


def test_an_exact_code_comes_first(tenant, operator, login):
    SKUFactory(tenant=tenant, code="AB-10", name="Tee AB")
    SKUFactory(tenant=tenant, code="AB", name="Tee")
    page = _search(login(operator), q="ab")
    assert page.index('data-code="AB"') < page.index('data-code="AB-10"')


@pytest.mark.parametrize(
    ("perms", "status"),
    [
        ([Perm.MANUAL_AFTERSALES], 200),
        ([Perm.ORDER_ENTRY], 200),
        ([Perm.SETTINGS], 200),
        ([Perm.RETURN_STOCKIN, Perm.AFTERSALES_REFUND], 403),
    ],
)
def test_only_roles_that_pick_skus_may_search(perms, status, tenant, login):
    user = UserFactory(tenant=tenant, perms=perms)
    assert login(user).get(reverse("inventory:sku-search"), {"q": "x"}).status_code == status


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("inventory:sku-search"), {"q": "x"})
    assert response.status_code == 302 and "login" in response.url
