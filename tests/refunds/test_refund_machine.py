"""The refund order's machine, and the After-Sales Refund rows asking it for their buttons."""

import re

import pytest
from django.urls import reverse
from django_fsm import can_proceed

from accounts.permissions import Perm
from core import machines
from refunds.models import RefundOrder, RefundStatus
from refunds.services import refund_confirm
from tests.factories import UserFactory, make_case, make_refund, shipped_order

R = RefundStatus
pytestmark = pytest.mark.django_db

TABLE = {  # transition: (target, role; None for the system's void)
    "confirm": (R.CONFIRMED, Perm.AFTERSALES_REFUND),
    "reject": (R.REJECTED, Perm.AFTERSALES_REFUND),
    "void": (R.VOIDED, None),
}


@pytest.mark.parametrize("state", list(R))
def test_only_a_processing_refund_moves_and_only_to_its_decisions(state):
    transitions = list(RefundOrder.get_all_status_transitions(RefundOrder()))
    assert {(t.name, t.source, t.target, getattr(t.permission, "perm", None)) for t in transitions} == {
        (name, R.PROCESSING, target, role) for name, (target, role) in TABLE.items()
    }
    refund = RefundOrder(status=state)
    assert {name for name in TABLE if can_proceed(getattr(refund, name))} == (
        set(TABLE) if state == R.PROCESSING else set()
    )


def test_the_refund_rows_show_exactly_the_transitions_available(owner, finance, login):
    processing = make_refund(case=make_case(order=shipped_order(tenant=owner.tenant), actor=owner))
    confirmed = make_refund(case=make_case(order=shipped_order(tenant=owner.tenant), actor=owner))
    refund_confirm(refund=confirmed, actor=owner)
    client = login(finance)
    for tab, refund in (("processing", processing), ("confirmed", RefundOrder.objects.get(pk=confirmed.pk))):
        page = client.get(reverse("refunds:index"), {"tab": tab}).content.decode()
        row = re.search(rf'<tr id="refund-{refund.pk}">.*?</tr>', page, re.S).group(0)
        shown = set(re.findall(r'data-transition="([^"]+)"', row))
        assert shown == set(machines.actions(refund, finance)), tab
    assert set(machines.actions(processing, finance)) == {"confirm", "reject"}  # never the system's void
    assert machines.actions(processing, UserFactory(tenant=owner.tenant, perms=[Perm.MANUAL_AFTERSALES])) == {}
