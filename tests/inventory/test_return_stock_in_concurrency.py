"""Two warehouse users scan the same parcel and press Stock-In at the same moment, each on its own
connection and transaction: the case row lock lets one receive it, the other is told it is done."""

import threading

import pytest
from django.db import connection

from accounts.permissions import Perm
from aftersales.models import CaseEvent, CaseStatus, LineKind
from aftersales.services import case_confirm, case_receive
from core.errors import Refused
from inventory.models import Condition, StockLevel, StockMovement
from tests.factories import UserFactory, WarehouseFactory, make_case, shipped_order


@pytest.mark.django_db(transaction=True)
def test_two_users_receiving_the_same_parcel_at_once_stock_it_in_exactly_once():
    # given a case waiting for its parcel of 2 items, and two warehouse users
    case = make_case(order=shipped_order())
    case = case_confirm(case=case, actor=case.created_by)
    [line] = case.lines.filter(kind=LineKind.RETURNED).select_related("sku")
    warehouse = WarehouseFactory(tenant=case.tenant, name="Main Warehouse")
    users = [UserFactory(tenant=case.tenant, perms=[Perm.RETURN_STOCKIN]) for _ in range(2)]
    barrier = threading.Barrier(len(users))
    succeeded, refused, errors = [], [], []

    def receive(user) -> None:
        try:
            barrier.wait(timeout=30)
            case_receive(case=case, actor=user, warehouse=warehouse, received={line.pk: (1, 1)})
            succeeded.append(user)
        except Refused as refusal:
            refused.append(str(refusal))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    # when both press Stock-In together
    threads = [threading.Thread(target=receive, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then nobody failed or hung; one received it, the other was told it was already received
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    assert len(succeeded) == 1
    assert len(refused) == 1 and refused[0].startswith(f"Case {case.number} was already received on ")
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
