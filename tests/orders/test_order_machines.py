"""Orders and buyer cancel requests: their state tables, the sync's way in, and the pages asking
the machine for their buttons."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_fsm import can_proceed

from accounts.permissions import Perm
from channels.models import Channel
from core import machines
from core.errors import Refused
from orders.models import CancelRequest, CancelRequestStatus, Order, OrderEvent, OrderStatus
from orders.services import cancel_request_answer, order_approve, order_cancel, order_ship
from tests.factories import CancelRequestFactory, OrderFactory, OrderItemFactory, UserFactory

OS = OrderStatus
pytestmark = pytest.mark.django_db

ORDER_TABLE = {  # transition: (sources, targets, role or None when its service checks who)
    "approve": ({OS.WAITING_APPROVAL}, {OS.NEW}, Perm.ORDER_ENTRY),
    "ship": ({OS.NEW, OS.IN_PROCESS, OS.TO_PICKUP}, {OS.SHIPPED}, None),
    "cancel": (set(OS) - {OS.CANCELLED}, {OS.CANCELLED}, None),
    "sync": (set(OS), set(OS), None),
}
REQUEST_TABLE = {
    "agree": ({CancelRequestStatus.PENDING}, {CancelRequestStatus.AGREED}, Perm.CANCEL_ORDERS),
    "reject": ({CancelRequestStatus.PENDING}, {CancelRequestStatus.REJECTED}, Perm.CANCEL_ORDERS),
    # the platform refused the answer (orders.relay): the request waits for one again
    "reopen": ({CancelRequestStatus.AGREED, CancelRequestStatus.REJECTED}, {CancelRequestStatus.PENDING}, None),
}


@pytest.mark.parametrize(("model", "table"), [(Order, ORDER_TABLE), (CancelRequest, REQUEST_TABLE)])
def test_the_tables_are_the_machines(model, table):
    transitions = list(model.get_all_status_transitions(model()))
    assert {t.name for t in transitions} == set(table)
    for name, (sources, targets, role) in table.items():
        mine = [t for t in transitions if t.name == name]
        assert set().union(*(machines.targets(t) for t in mine)) == targets, name
        assert {getattr(t.permission, "perm", None) for t in mine} == {role}, name
        if name != "sync":  # the sync leaves from any state
            assert set(machines.sources(model, name)) == sources, name


@pytest.mark.parametrize("state", list(OS))
@pytest.mark.parametrize("name", list(ORDER_TABLE))
def test_each_order_state_allows_exactly_the_transitions_leaving_it(state, name):
    assert can_proceed(getattr(Order(status=state), name)) == (state in ORDER_TABLE[name][0])


def test_the_status_changes_only_through_a_transition_and_the_sync_sets_any_state():
    order = OrderFactory(status=OS.SHIPPED)
    with pytest.raises(AttributeError):
        order.status = OS.COMPLETED
    order.sync(status=OS.COMPLETED)  # what the platform says, from whatever state
    order.save()
    order.refresh_from_db()
    assert order.status == OS.COMPLETED
    order.sync(status=OS.IN_PROCESS)
    assert order.status == OS.IN_PROCESS


def test_approve_is_refused_by_state_with_a_code_and_by_role(owner):
    order = OrderItemFactory(order__tenant=owner.tenant, order__status=OS.WAITING_APPROVAL).order
    with pytest.raises(PermissionDenied):
        order_approve(order=order, actor=UserFactory(tenant=owner.tenant, perms=[Perm.CANCEL_ORDERS]))
    order_approve(order=order, actor=owner)
    order.refresh_from_db()
    assert order.status == OS.NEW
    assert order.events.get().type == OrderEvent.Type.APPROVED
    with pytest.raises(Refused) as twice:
        order_approve(order=order, actor=owner)
    assert (twice.value.code, twice.value.figures) == ("wrong_state", {"state": "New"})


def test_shipping_and_cancelling_go_through_their_transitions():
    order = OrderItemFactory(order__status=OS.NEW, order__platform_status="To Process").order
    order_ship(order=order, tracking_number="SPX-1")
    order.refresh_from_db()
    assert (order.status, order.tracking_number, order.shipped_at is not None) == (OS.SHIPPED, "SPX-1", True)
    cancelled = OrderItemFactory(order__status=OS.NEW, order__platform_status="To Process").order
    with pytest.raises(Refused) as completed:
        order_ship(order=OrderFactory(status=OS.COMPLETED))
    assert completed.value.code == "wrong_state"
    order_cancel(order=cancelled, actor=UserFactory(tenant=cancelled.tenant, owner=True), reason="Out of Stock")
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.cancel_reason) == (OS.CANCELLED, "Out of Stock")
    assert cancelled.events.get().data == {"reason": "Out of Stock"}


def test_a_cancel_request_is_answered_once_and_only_where_the_platform_has_them(owner):
    request = CancelRequestFactory(order__tenant=owner.tenant, order__store__channel=Channel.SHOPEE)
    cancel_request_answer(request=request, actor=owner, agree=False)
    request.refresh_from_db()
    assert (request.status, request.answered_by) == (CancelRequestStatus.REJECTED, owner)
    assert request.order.events.get().type == OrderEvent.Type.CANCEL_REQUEST_REJECTED
    with pytest.raises(Refused) as again:
        cancel_request_answer(request=request, actor=owner, agree=True)
    assert again.value.code == "wrong_state"
    lazada = CancelRequestFactory(order__tenant=owner.tenant, order__store__channel=Channel.LAZADA)
    with pytest.raises(Refused) as no_requests:
        cancel_request_answer(request=lazada, actor=owner, agree=True)
    assert no_requests.value.code == "no_buyer_requests"


# --- the buttons shown are the transitions available -----------------------------------------------


def _shown(html: str) -> set[str]:
    return set(re.findall(r'data-transition="([^"]+)"', html))


@pytest.mark.parametrize("perms", [None, [Perm.ORDER_ENTRY], [Perm.CANCEL_ORDERS]])
def test_order_pages_show_exactly_the_transitions_available_to_the_user(owner, login, perms):
    user = owner if perms is None else UserFactory(tenant=owner.tenant, perms=perms)
    waiting = OrderItemFactory(order__tenant=owner.tenant, order__status=OS.WAITING_APPROVAL, order__is_manual=True)
    request = CancelRequestFactory(order__tenant=owner.tenant, order__store__channel=Channel.SHOPEE)
    client = login(user)
    detail = client.get(reverse("orders:detail", args=[waiting.order.pk]))
    if detail.status_code == 200:
        assert _shown(detail.content.decode()) == set(machines.actions(waiting.order, user))
    requests = client.get(reverse("orders:cancel-requests"))
    if requests.status_code == 200:
        assert _shown(requests.content.decode()) == set(machines.actions(request, user))
    assert (perms is None or Perm.CANCEL_ORDERS in perms) == (requests.status_code == 200)


def test_agreeing_on_an_order_the_platform_cancelled_already_answers_the_request(owner):
    request = CancelRequestFactory(order__tenant=owner.tenant, order__store__channel=Channel.SHOPEE)
    order = request.order
    order.sync(status=OS.CANCELLED)  # the platform cancelled it before the seller answered
    order.save()
    cancel_request_answer(request=request, actor=owner, agree=True)
    request.refresh_from_db()
    order.refresh_from_db()
    assert (request.status, order.status, order.cancel_reason) == (CancelRequestStatus.AGREED, OS.CANCELLED, "")
