"""A refund order never takes an order past what its buyer paid (PRODUCT.md invariant 7), checked when
the refund order is created and again when it is confirmed: another case of the order may have
claimed more in between (here: its exchange order edited down in Order Entry)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.permissions import Perm
from aftersales.models import CaseType
from aftersales.services import LineInput, case_confirm, case_create, case_generate_exchange_order
from core.errors import Refused
from orders.services import order_entry_update
from refunds.models import RefundOrder, RefundStatus
from refunds.services import refund_confirm, refund_create, refund_reject
from tests.factories import SKUFactory, UserFactory, shipped_order

pytestmark = pytest.mark.django_db


def _two_cases():
    """An order paid 30.00; case B exchanges its item for the same at 30.00 (nothing to refund), and
    case A refunds a 30.00 accessory bought with it (not on the order): together within 30.00."""
    order = shipped_order(lines=((Decimal("30.00"), 1),))
    item = order.items.get()
    owner = UserFactory(tenant=order.tenant, owner=True)
    exchange = case_create(
        tenant=order.tenant,
        actor=owner,
        order=order,
        type=CaseType.EXCHANGE,
        returned=[LineInput(sku=item.sku, quantity=1, order_item=item)],
        exchange=[LineInput(sku=item.sku, quantity=1, unit_price=Decimal("30.00"))],
    )
    accessory = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("30.00"))
    refund_only = case_create(
        tenant=order.tenant,
        actor=owner,
        order=order,
        type=CaseType.REFUND_ONLY,
        returned=[LineInput(sku=accessory, quantity=1)],
    )
    return order, owner, exchange, case_confirm(case=refund_only, actor=owner)


def _exchange_order_price_cut(exchange, owner, price: Decimal):
    case_confirm(case=exchange, actor=owner)
    exchange_order = case_generate_exchange_order(case=exchange, actor=owner)
    item = exchange_order.items.get()
    order_entry_update(order=exchange_order, actor=owner, lines={item.pk: (1, price)}, tracking_number="")


def test_a_refund_confirmed_after_another_case_claimed_the_rest_is_refused_naming_the_figures():
    # given a refund order of 30.00 on case A, within the 30.00 its order has left
    order, owner, exchange, case = _two_cases()
    finance = UserFactory(tenant=order.tenant, perms=[Perm.AFTERSALES_REFUND])
    slip = refund_create(case=case, actor=finance, amount=Decimal("30.00"), method="cash")
    # when case B's exchange order is cut to 0.00, so that B now refunds its 30.00 returned item
    _exchange_order_price_cut(exchange, owner, Decimal("0.00"))
    # then confirming A's refund is refused, with the figures, and nothing is paid
    with pytest.raises(Refused) as refused:
        refund_confirm(refund=slip, actor=finance)
    assert refused.value.code == "above_order_left"
    assert str(refused.value) == (
        f"Refund {slip.number} (30.00 MYR) is more than the 0.00 MYR order {order.number} has left to refund "
        f"for case {case.number} (paid 30.00, its other cases 30.00, this case 0.00): reject it."
    )
    slip.refresh_from_db()
    assert slip.status == RefundStatus.PROCESSING
    # and once rejected, a new refund order is refused when created
    refund_reject(refund=slip, actor=finance, reason="The exchange case refunds the order")
    case.refresh_from_db()
    with pytest.raises(Refused) as nothing_left:
        refund_create(case=case, actor=finance, amount=Decimal("0.01"), method="cash")
    assert nothing_left.value.code == "nothing_to_refund"
    assert case.refunds.count() == 1


def test_the_refund_page_offers_only_what_the_order_has_left_and_refuses_more_beside_the_amount(login):
    # given case B's exchange order cut to 10.00: B may refund 20.00 of the 30.00 paid, A only 10.00
    order, owner, exchange, case = _two_cases()
    _exchange_order_price_cut(exchange, owner, Decimal("10.00"))
    client = login(owner)
    # when finance opens Create Refund Order on A
    page = client.get(reverse("refunds:create", args=[case.pk]))
    # then it offers 10.00 and says why
    form = page.context["form"]
    assert form.left == Decimal("10.00") and form.fields["amount"].initial == Decimal("10.00")
    assert form.fields["amount"].help_text == (
        f"At most 10.00 MYR: what order {order.number} has left to refund (paid 30.00, its other cases 20.00)."
    )
    # and more is refused beside the amount
    response = client.post(reverse("refunds:create", args=[case.pk]), {"amount": "10.01", "method": "cash"})
    assert response.status_code == 200
    [message] = response.context["form"].errors["amount"]
    assert message.startswith(f"The refund amount 10.01 MYR is more than the 10.00 MYR order {order.number}")
    assert not RefundOrder.objects.filter(case=case).exists()
