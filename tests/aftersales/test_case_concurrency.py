"""Two clicks at the same moment, each thread on its own connection and transaction against
PostgreSQL: the row lock makes them take turns, and the second finds the work done."""

from decimal import Decimal

import pytest

from aftersales import services
from aftersales.models import Case, CaseEvent, CaseStatus
from aftersales.services import LineInput
from tests.concurrency import race
from tests.factories import UserFactory, make_case, shipped_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_clicked_confirm_confirms_once():
    case = make_case()
    owner = case.created_by
    results, refused, errors = race(lambda user: services.case_confirm(case=case, actor=user), [owner, owner])
    assert not errors, errors
    assert len(results) == 1 and len(refused) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRM_RETURN
    assert case.events.filter(type=CaseEvent.Type.CONFIRMED).count() == 1


def test_two_operators_cannot_both_return_the_orders_last_units():
    order = shipped_order(lines=((Decimal("10.00"), 2),))
    item = order.items.get()
    operator = UserFactory(tenant=order.tenant, owner=True)

    def create(user):
        return services.case_create(
            tenant=order.tenant,
            actor=user,
            order=order,
            type="return_refund",
            returned=[LineInput(sku=item.sku, quantity=2, order_item=item)],
        )

    results, refused, errors = race(create, [operator, operator])
    assert not errors, errors
    assert len(results) == 1 and len(refused) == 1
    assert refused[0].code == "above_returnable"
    assert Case.objects.filter(order=order).count() == 1
