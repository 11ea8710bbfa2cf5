"""Inactive SKUs: no new order, case line or combo part takes one, whatever the form let through (a
forged post, a SKU made inactive while the form was open); documents that already hold one keep it.
The pages say so beside the field."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.permissions import Perm
from aftersales import services as case_services
from aftersales.models import Case, CaseType
from aftersales.services import LineInput
from core.errors import Refused
from inventory.services import SKUInput, sku_create, sku_update
from orders.models import Order
from orders.services import order_entry_create
from tests.factories import (
    ComboItemFactory,
    SKUFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    shipped_order,
)

pytestmark = pytest.mark.django_db


def _case(order, owner, **lines):
    item = order.items.get()
    return case_services.case_create(
        tenant=order.tenant,
        actor=owner,
        order=order,
        returned=[LineInput(sku=item.sku, quantity=1, order_item=item), *lines.get("added", [])],
        **({"type": CaseType.EXCHANGE, "exchange": lines["exchange"]} if "exchange" in lines else {}),
        **({"type": CaseType.RETURN_REFUND} if "exchange" not in lines else {}),
    )


@pytest.mark.parametrize("kind", ["added", "exchange"])
def test_a_case_refuses_an_inactive_added_or_exchange_sku_naming_its_line(kind, owner):
    order = shipped_order(tenant=owner.tenant, lines=((Decimal("50.00"), 2),))
    old = SKUFactory(tenant=owner.tenant, code="OLD-1", is_active=False, wholesale_price=Decimal("1.00"))
    with pytest.raises(Refused) as refused:
        _case(order, owner, **{kind: [LineInput(sku=old, quantity=1)]})
    assert refused.value.code == "sku_inactive"
    assert refused.value.figures["field"] == "sku" and refused.value.figures["line"] == (1 if kind == "added" else 0)
    assert str(refused.value) == "OLD-1 is inactive: it is not offered for new orders and cases."
    assert not Case.objects.exists()


def test_the_orders_own_line_stays_returnable_when_its_sku_became_inactive(owner):
    order = shipped_order(tenant=owner.tenant)
    sku = order.items.get().sku
    sku.is_active = False
    sku.save()
    assert _case(order, owner).lines.get().sku == sku


def test_order_entry_refuses_an_inactive_sku(owner):
    store, warehouse = StoreFactory(tenant=owner.tenant), WarehouseFactory(tenant=owner.tenant)
    live, old = SKUFactory(tenant=owner.tenant), SKUFactory(tenant=owner.tenant, is_active=False)
    with pytest.raises(Refused) as refused:
        order_entry_create(
            tenant=owner.tenant,
            actor=owner,
            store=store,
            warehouse=warehouse,
            buyer=None,
            lines=[(live, 1, None), (old, 1, None)],
        )
    assert refused.value.code == "sku_inactive" and refused.value.figures["line"] == 1
    assert not Order.objects.exists()


def test_a_new_combo_refuses_an_inactive_part_but_one_it_holds_may_stay(owner):
    tenant = owner.tenant
    old = SKUFactory(tenant=tenant, code="OLD-PART", is_active=False)
    data = SKUInput(code="KIT", name="Kit", wholesale_price=None, components=[(old, 1)])
    with pytest.raises(Refused) as refused:
        sku_create(tenant=tenant, actor=owner, data=data, is_combo=True)
    assert refused.value.code == "sku_inactive"
    # a combo that held the part before it became inactive keeps it when edited
    kept = ComboItemFactory(combo__tenant=tenant, combo__code="KIT-OLD", component=old, quantity=2).combo
    edited = SKUInput(code="KIT-OLD", name="Renamed", wholesale_price=None, components=[(old, 2)])
    assert sku_update(sku=kept, actor=owner, data=edited).name == "Renamed"


def test_order_entry_page_says_an_inactive_sku_beside_its_line(owner, login):
    store, warehouse = StoreFactory(tenant=owner.tenant), WarehouseFactory(tenant=owner.tenant)
    SKUFactory(tenant=owner.tenant, code="OLD-2", is_active=False)
    user = UserFactory(tenant=owner.tenant, perms=[Perm.ORDER_ENTRY])
    response = login(user).post(
        reverse("orders:entry-create"),
        {"store": store.pk, "warehouse": warehouse.pk, "sku_1": "old-2", "qty_1": "1"},
    )
    assert response.status_code == 200
    [said] = response.context["form"].errors["sku_1"]
    assert said == "OLD-2 is inactive: it is not offered for new orders and cases."
    assert not Order.objects.exists()


def test_a_sku_made_inactive_while_the_case_form_was_open_is_refused_beside_its_row(owner, login, monkeypatch):
    order = shipped_order(tenant=owner.tenant)
    item = order.items.get()
    extra = SKUFactory(tenant=owner.tenant, code="GONE-1")
    # the form found it active; the service, a moment later, finds it inactive
    real = case_services.case_create

    def later(**kwargs):
        extra.__class__.objects.filter(pk=extra.pk).update(is_active=False)
        for line in kwargs["returned"]:
            line.sku.refresh_from_db()
        return real(**kwargs)

    monkeypatch.setattr(case_services, "case_create", later)
    response = login(owner).post(
        f"{reverse('aftersales:create')}?order={order.pk}",
        {"type": "return_refund", f"item_{item.pk}_on": "on", f"item_{item.pk}_qty": "1"}
        | {"add_2_sku": "GONE-1", "add_2_qty": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["add_2_sku"] == [
        "GONE-1 is inactive: it is not offered for new orders and cases."
    ]
    assert not Case.objects.exists()
