"""Clicks and tasks at the same moment, each thread on its own connection and transaction against
PostgreSQL: the case and record locks make them take turns."""

import pytest

from aftersales.services import case_cancel
from distribution.models import InboundStatus, PushStatus, ReturnEvent, ReturnPush, SupplierReturn
from distribution.services import return_push
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
