"""Two warehouse users scan the same parcel and press Stock-In at the same moment, each on its own
connection and transaction: the case row lock lets one receive it, the other is told it is done."""

import pytest

from accounts.permissions import Perm
from aftersales.models import CaseEvent, CaseStatus, LineKind
from aftersales.services import case_confirm, case_receive
from inventory.models import Condition, StockLevel, StockMovement
from tests.concurrency import race
from tests.factories import UserFactory, WarehouseFactory, make_case, shipped_order


@pytest.mark.django_db(transaction=True)
def test_two_users_receiving_the_same_parcel_at_once_stock_it_in_exactly_once():
    # given a case waiting for its parcel of 2 items, and two warehouse users
    case = make_case(order=shipped_order())
    case = case_confirm(case=case, actor=case.created_by)
    [line] = case.lines.filter(kind=LineKind.RETURNED).select_related("sku")
    warehouse = WarehouseFactory(tenant=case.tenant, name="Main Warehouse")
    users = [UserFactory(tenant=case.tenant, perms=[Perm.RETURN_STOCKIN]) for _ in range(2)]

    def receive(user):
        case_receive(case=case, actor=user, warehouse=warehouse, received={line.pk: (1, 1)})
        return user

    # when both press Stock-In together
    succeeded, refused, errors = race(receive, users)

    # then nobody failed or hung; one received it, the other was told it was already received
    assert not errors, errors
    assert len(succeeded) == 1
    assert len(refused) == 1 and str(refused[0]).startswith(f"Case {case.number} was already received on ")
    # the stock went up once, sellable and damaged
    levels = {level.condition: level.on_hand for level in StockLevel.objects.filter(sku=line.sku, warehouse=warehouse)}
    assert levels == {Condition.SELLABLE: 1, Condition.DAMAGED: 1}
    assert StockMovement.objects.filter(tenant=case.tenant).count() == 2
    # one timeline row, by the one who received it
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN
    [event] = case.events.filter(type=CaseEvent.Type.RECEIVED)
    assert event.actor == succeeded[0]
    line.refresh_from_db()
    assert line.received_quantity == 2
