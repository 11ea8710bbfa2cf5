"""Every form speaks a seller's words: no "---------" placeholder, none of Django's default messages
("This field is required.", "Select a valid choice.", "Ensure this value ..."), whatever is sent."""

from decimal import Decimal

import pytest
from django.urls import reverse

from aftersales.services import case_confirm, case_confirm_and_stock_in
from orders.models import OrderStatus
from tests.factories import (
    OrderItemFactory,
    RoleFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    make_refund,
    shipped_order,
)

pytestmark = pytest.mark.django_db

DJANGO_WORDS = [
    "---------",
    "This field is required.",
    "Select a valid choice",
    "Ensure this value",
    "Ensure that there are no more than",
    "Enter a whole number.\n",
]


@pytest.fixture
def pages(owner):
    """Each form page of the tenant, with what a careless or forged post sends it."""
    tenant = owner.tenant
    WarehouseFactory(tenant=tenant)
    order = shipped_order(tenant=tenant)
    item = order.items.get()
    to_confirm = make_case(order=shipped_order(tenant=tenant), actor=owner)
    waiting = make_case(order=shipped_order(tenant=tenant), actor=owner)
    case_confirm(case=waiting, actor=owner)
    received = make_case(order=shipped_order(tenant=tenant), actor=owner)
    case_confirm_and_stock_in(case=received, actor=owner, warehouse=WarehouseFactory(tenant=tenant))
    refund = make_refund(case=make_case(order=shipped_order(tenant=tenant), actor=owner))
    entry = OrderItemFactory(order__tenant=tenant, order__status=OrderStatus.WAITING_APPROVAL)
    sub = UserFactory(tenant=tenant, role=RoleFactory(tenant=tenant))
    bad_number = {"qty": "-3", "price": "x", "amount": "1.234"}
    return [
        (reverse("aftersales:create") + f"?order={order.pk}", {"type": "nope", f"item_{item.pk}_on": "on"}),
        (reverse("aftersales:create") + f"?order={order.pk}", {f"item_{item.pk}_qty": "99", "add_0_qty": "-1"}),
        (reverse("aftersales:detail", args=[to_confirm.pk]), None),
        (reverse("aftersales:confirm-stock-in", args=[to_confirm.pk]), {"warehouse": "999999", "condition": "x"}),
        (reverse("aftersales:edit", args=[to_confirm.pk]), {"assignee": "999999"}),
        (reverse("aftersales:cancel", args=[to_confirm.pk]), {}),
        (reverse("inventory:return-receive", args=[waiting.pk]), {"warehouse": ""}),
        (reverse("orders:entry-create"), {"store": "", "sku_0": "NOPE", "qty_0": "0", "price_0": "-1"}),
        (reverse("orders:entry-edit", args=[entry.order_id]), {f"qty_{entry.pk}": "", f"price_{entry.pk}": "x"}),
        (reverse("orders:cancel", args=[order.pk]), {"reason": "whatever"}),
        (reverse("refunds:create", args=[received.pk]), {"amount": bad_number["price"], "method": "moon"}),
        (reverse("refunds:reject", args=[refund.pk]), {}),
        (reverse("settings:sku-create"), {"wholesale_price": bad_number["amount"], "part_0_qty": "0"}),
        (reverse("settings:tier-create"), {}),
        (reverse("settings:warehouse-create"), {"kind": "moon"}),
        (reverse("settings:subaccount-create"), {"role": "999999", "stores": ["999999"]}),
        (reverse("settings:subaccount-edit", args=[sub.pk]), {"role": ""}),
        (reverse("settings:role-create"), {"perms": ["nope"]}),
        (reverse("accounts:preferences"), {}),
    ]


def test_no_form_shows_djangos_own_words(pages, owner, login):
    client = login(owner)
    for url, post in pages:
        for response in [client.get(url, follow=True), *([client.post(url, post, follow=True)] if post else [])]:
            if response.status_code == 405:  # an action that takes only a POST
                continue
            assert response.status_code == 200, url
            html = response.content.decode()
            said = [words for words in DJANGO_WORDS if words in html]
            assert not said, f"{url} ({'POST' if response.request['REQUEST_METHOD'] == 'POST' else 'GET'}): {said}"


def test_the_returnable_cap_says_how_many_units_of_which_sku_are_left(owner, login):
    order = shipped_order(tenant=owner.tenant, lines=((Decimal("10.00"), 1),))
    item = order.items.get()
    response = login(owner).post(
        f"{reverse('aftersales:create')}?order={order.pk}",
        {"type": "return_refund", f"item_{item.pk}_on": "on", f"item_{item.pk}_qty": "2"},
    )
    assert response.context["form"].errors[f"item_{item.pk}_qty"] == [
        f"Only 1 unit of {item.sku.code} can still be returned on this order."
    ]


def test_selects_offer_words_not_dashes(owner, login):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    client = login(owner)
    detail = client.get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert ">Nobody</option>" in detail and ">Choose a warehouse</option>" in detail
    entry = client.get(reverse("orders:entry-create")).content.decode()
    assert ">Choose a store</option>" in entry and ">Choose a warehouse</option>" in entry
