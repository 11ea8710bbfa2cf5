"""Two clicks at the same moment, each thread on its own connection and transaction against
PostgreSQL: the row lock makes them take turns, and the second finds the work done."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from aftersales import services
from aftersales.models import Case, CaseEvent, CaseStatus
from aftersales.services import LineInput
from core.errors import Refused
from tests.factories import UserFactory, make_case, shipped_order

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(*calls) -> tuple[list, list[BaseException]]:
    """Run the calls in threads released together; returns (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def test_a_double_clicked_confirm_confirms_once():
    case = make_case()
    owner = case.created_by
    results, errors = _at_once(*(lambda: services.case_confirm(case=case, actor=owner) for _ in range(2)))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], Refused), errors
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRM_RETURN
    assert case.events.filter(type=CaseEvent.Type.CONFIRMED).count() == 1


def test_two_operators_cannot_both_return_the_orders_last_units():
    order = shipped_order(lines=((Decimal("10.00"), 2),))
    item = order.items.get()
    operator = UserFactory(tenant=order.tenant, owner=True)

    def create():
        return services.case_create(
            tenant=order.tenant,
            actor=operator,
            order=order,
            type="return_refund",
            returned=[LineInput(sku=item.sku, quantity=2, order_item=item)],
        )

    results, errors = _at_once(create, create)
    assert len(results) == 1 and len(errors) == 1, errors
    assert "more than order" in str(errors[0])
    assert Case.objects.filter(order=order).count() == 1
