from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from aftersales.services import case_cancel, case_confirm
from distribution.models import InboundStatus, PushStatus, ReturnEvent, ReturnPush, SupplierReturn
from distribution.services import auto_push_set, partnership_terminate, return_push
from distribution.services.bigshop import supplier_return_receive
from inventory.models import WarehouseKind
from tests.distribution.helpers import distribution_order, make_bridge
from tests.factories import UserFactory, WarehouseFactory, make_case, shipped_order

pytestmark = pytest.mark.django_db


def _case(bridge, **kwargs):
    ends = distribution_order(bridge, **kwargs)
    return make_case(order=ends.order, actor=bridge.distributor)


def test_a_case_on_a_distribution_order_adds_a_record_to_push():
    bridge = make_bridge()
    case = _case(bridge)
    push = ReturnPush.objects.get(case=case)
    assert push.status == PushStatus.TO_PUSH and push.tenant == bridge.distributor.tenant
    assert push.distribution_order.order == case.order  # linked by key


def test_a_case_on_an_ordinary_order_or_without_a_parcel_adds_none():
    bridge = make_bridge()
    make_case(order=shipped_order(tenant=bridge.distributor.tenant), actor=bridge.distributor)
    make_case(order=distribution_order(bridge).order, actor=bridge.distributor, type="refund_only")
    assert not ReturnPush.objects.exists()


def test_push_gives_the_supplier_one_return_priced_at_shipment_however_often_it_is_asked():
    bridge = make_bridge()
    case = _case(bridge, lines=((Decimal("25.00"), 2),), supplier_price=Decimal("15.00"))
    push = ReturnPush.objects.get(case=case)
    for _ in range(3):  # a double click, a retried task
        return_push(push=push, actor=bridge.distributor)
    supplier_return = SupplierReturn.objects.get()
    assert supplier_return.tenant == bridge.supplier.tenant and supplier_return.status == InboundStatus.PENDING
    assert supplier_return.case_number == case.number and supplier_return.type_label == "Return & Refund"
    assert [(line.quantity, line.unit_price) for line in supplier_return.lines.all()] == [(2, Decimal("15.00"))]
    push.refresh_from_db()
    assert push.status == PushStatus.PUSHED
    # both timelines show the push, each on its own tenant
    assert ReturnEvent.objects.for_tenant(bridge.supplier.tenant).get(supplier_return=supplier_return).type == "pushed"
    assert ReturnEvent.objects.for_tenant(bridge.distributor.tenant).filter(push=push, type="pushed").count() == 1


def test_push_needs_the_distribution_permission():
    bridge = make_bridge()
    push = ReturnPush.objects.get(case=_case(bridge))
    clerk = UserFactory(tenant=bridge.distributor.tenant, perms=["accounts.manual_aftersales"])
    with pytest.raises(PermissionDenied):
        return_push(push=push, actor=clerk)


def test_an_order_older_than_90_days_fails_with_its_reason_and_re_push_still_refuses():
    bridge = make_bridge(started_days_ago=400)
    push = ReturnPush.objects.get(case=_case(bridge, days_ago=91))
    return_push(push=push, actor=bridge.distributor)
    push.refresh_from_db()
    assert push.status == PushStatus.PUSH_FAILED and push.failure_code == "order_too_old"
    assert "older than 90 days" in push.failure
    return_push(push=push, actor=bridge.distributor)  # Re-push
    assert not SupplierReturn.objects.exists()


def test_a_terminated_partnership_still_takes_orders_of_its_cooperation_period():
    bridge = make_bridge()
    case = _case(bridge, days_ago=5)
    partnership_terminate(partnership=bridge.partnership, actor=bridge.distributor)
    return_push(push=ReturnPush.objects.get(case=case), actor=bridge.distributor)
    assert SupplierReturn.objects.count() == 1


def test_an_order_placed_after_the_partnership_ended_is_refused():
    bridge = make_bridge()
    push = ReturnPush.objects.get(case=_case(bridge, days_ago=1))
    ended = timezone.now() - timedelta(days=3)
    type(bridge.partnership).objects.filter(pk=bridge.partnership.pk).update(status="terminated", ended_at=ended)
    return_push(push=push, actor=bridge.distributor)
    push.refresh_from_db()
    assert push.failure_code == "outside_cooperation"


def test_a_combo_is_pushed_as_the_suppliers_sub_skus():
    bridge = make_bridge()
    push = ReturnPush.objects.get(case=_case(bridge, lines=((Decimal("25.00"), 1),), combo=True))
    return_push(push=push, actor=bridge.distributor)
    quantities = sorted(SupplierReturn.objects.get().lines.values_list("quantity", flat=True))
    assert quantities == [1, 2]


def test_a_third_party_warehouse_is_never_the_target():
    bridge = make_bridge(kind=WarehouseKind.THIRD_PARTY)
    push = ReturnPush.objects.get(case=_case(bridge))
    return_push(push=push, actor=bridge.distributor)
    push.refresh_from_db()
    assert push.failure_code == "third_party_warehouse"
    # with an own default return warehouse, the return goes there instead
    own = WarehouseFactory(tenant=bridge.supplier.tenant, is_default_return=True)
    return_push(push=push, actor=bridge.distributor)
    assert SupplierReturn.objects.get().warehouse == own


def test_auto_push_pushes_when_the_case_is_created(django_capture_on_commit_callbacks):
    bridge = make_bridge()
    auto_push_set(actor=bridge.distributor, on=True)
    ends = distribution_order(bridge)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs eagerly in tests
        case = make_case(order=ends.order, actor=bridge.distributor)
    assert ReturnPush.objects.get(case=case).status == PushStatus.PUSHED
    assert SupplierReturn.objects.count() == 1


def test_cancelling_the_case_recalls_a_return_not_yet_received():
    bridge = make_bridge()
    case = _case(bridge)
    return_push(push=ReturnPush.objects.get(case=case), actor=bridge.distributor)
    case_cancel(case=case, actor=bridge.distributor, reason="Buyer kept the item")
    assert ReturnPush.objects.get(case=case).status == PushStatus.RECALLED
    assert SupplierReturn.objects.get().status == InboundStatus.RECALLED


def test_after_receipt_the_recall_is_refused_on_both_sides_with_the_reason():
    bridge = make_bridge()
    case = _case(bridge)
    case_confirm(case=case, actor=bridge.distributor)
    return_push(push=ReturnPush.objects.get(case=case), actor=bridge.distributor)
    supplier_return = SupplierReturn.objects.get()
    supplier_return_receive(
        supplier_return=supplier_return,
        actor=bridge.supplier,
        warehouse=supplier_return.warehouse,
        received={line.pk: (line.quantity, 0) for line in supplier_return.lines.all()},
    )
    case_cancel(case=case, actor=bridge.distributor, reason="Buyer kept the item")
    push = ReturnPush.objects.get(case=case)
    supplier_return.refresh_from_db()
    case.refresh_from_db()
    # the case is cancelled; the parcel stays the supplier's, and both sides read why
    assert case.status == "cancelled"
    assert push.status == PushStatus.PUSHED and supplier_return.status == InboundStatus.RECEIVED
    assert supplier_return.number in push.recall_refused and "cannot be recalled" in push.recall_refused
    assert bridge.supplier.tenant.name in push.recall_refused and push.recall_refused == supplier_return.recall_refused
    assert ReturnEvent.objects.for_tenant(bridge.supplier.tenant).filter(type="recall_refused").count() == 1
    assert ReturnEvent.objects.for_tenant(bridge.distributor.tenant).filter(type="recall_refused").count() == 1
    assert not ReturnEvent.objects.filter(type="recalled").exists()


def test_the_relay_pushes_a_record_whose_auto_push_task_was_lost():
    bridge = make_bridge()
    case = _case(bridge)  # created while Auto-push was off: no task queued
    auto_push_set(actor=bridge.distributor, on=True)
    ReturnPush.objects.filter(case=case).update(created_at=timezone.now() - timedelta(minutes=10))
    from distribution.tasks import auto_push_relay

    assert auto_push_relay() == 1  # eager in tests: the task ran
    assert ReturnPush.objects.get(case=case).status == PushStatus.PUSHED
