"""Clicks and tasks at the same moment, each thread on its own connection and transaction against
PostgreSQL: the case and record locks make them take turns."""

import pytest

from aftersales.models import CaseStatus
from aftersales.services import case_cancel, case_confirm
from distribution.models import InboundStatus, PushStatus, ReturnEvent, ReturnPush, SupplierReturn
from distribution.services import return_push
from distribution.services.bigshop import supplier_return_receive
from inventory.models import StockMovement
from tests.concurrency import race
from tests.distribution.helpers import distribution_order, make_bridge
from tests.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)


def _record(bridge) -> ReturnPush:
    return make_case(order=distribution_order(bridge).order, actor=bridge.distributor).distribution_push


def test_a_double_click_and_the_auto_push_task_make_one_supplier_return():
    bridge = make_bridge()
    push = _record(bridge)
    actors = [bridge.distributor, bridge.distributor, None]  # two clicks and the task (system actor)
    _, refused, errors = race(lambda actor: return_push(push=push, actor=actor), actors)
    assert not errors and not refused, (errors, refused)
    assert SupplierReturn.objects.filter(push=push).count() == 1
    assert ReturnEvent.objects.filter(type="pushed").count() == 2  # one per side, once


@pytest.mark.parametrize("attempt", range(3))
def test_a_push_and_a_cancel_at_once_end_consistent(attempt):
    bridge = make_bridge()
    push = _record(bridge)
    case = push.case

    def act(what):
        if what == "push":
            return return_push(push=push, actor=bridge.distributor)
        return case_cancel(case=case, actor=bridge.distributor, reason="Buyer kept it")

    _, refused, errors = race(act, ["push", "cancel"])
    assert not errors, errors
    push.refresh_from_db()
    # whichever came first, the case is cancelled and nothing is left waiting at the supplier
    assert push.status == PushStatus.RECALLED
    assert not SupplierReturn.objects.filter(status=InboundStatus.PENDING).exists()
    if refused:  # the push came second: it found the record recalled
        assert refused[0].code == "recalled"


@pytest.mark.parametrize("attempt", range(4))
def test_the_suppliers_stock_in_and_the_distributors_cancel_at_once_end_consistent(attempt):
    """Both take the case, then the record, then the supplier's return: one waits for the other (no
    deadlock). Stock-in first: the cancel still cancels the case, its recall refused on both sides.
    Cancel first: the return is recalled and the stock-in refused, with nothing of it written."""
    bridge = make_bridge()
    push = _record(bridge)
    case_confirm(case=push.case, actor=bridge.distributor)
    push = return_push(push=push, actor=bridge.distributor)
    supplier_return, case = push.supplier_return, push.case
    whole = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}

    def act(what):
        if what == "stock-in":
            return supplier_return_receive(
                supplier_return=supplier_return, actor=bridge.supplier, warehouse=bridge.supplier_warehouse,
                received=whole,
            )  # fmt: skip
        return case_cancel(case=case, actor=bridge.distributor, reason="Buyer kept it")

    _, refused, errors = race(act, ["stock-in", "cancel"])
    assert not errors, errors
    case.refresh_from_db()
    supplier_return.refresh_from_db()
    push.refresh_from_db()
    stocked = StockMovement.objects.filter(reason="return_stock_in")
    assert case.status == CaseStatus.CANCELLED
    if not refused:  # the supplier came first
        assert supplier_return.status == InboundStatus.RECEIVED and push.status == PushStatus.PUSHED
        assert "cannot be recalled" in push.recall_refused and stocked.count() == 1
        assert case.events.filter(type="received_by_supplier").count() == 1
    else:  # the cancel came first: the return was recalled under the supplier's feet
        assert refused[0].code == "wrong_state" and "Recalled" in refused[0].message
        assert supplier_return.status == InboundStatus.RECALLED and push.status == PushStatus.RECALLED
        assert not stocked.exists() and not case.events.filter(type="received_by_supplier").exists()
