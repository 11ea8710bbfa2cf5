"""The case timeline: one writer per event type, each type read back from its own fields."""

from decimal import Decimal

import pytest
from django.urls import reverse

from aftersales import events, services
from aftersales.models import CaseEvent, CaseStatus
from inventory.models import Condition
from refunds.services import refund_confirm, refund_reject
from tests.factories import WarehouseFactory, make_case, make_refund, shipped_order

T = CaseEvent.Type
pytestmark = pytest.mark.django_db


def test_every_type_has_its_writer():
    writers = {
        T.CREATED: events.case_created,
        T.EDITED: events.case_edited,
        T.ATTACHMENT_ADDED: events.case_attachment_added,
        T.CONFIRMED: events.case_confirmed,
        T.CONFIRMED_AND_STOCKED_IN: events.case_stocked_in,
        T.RECEIVED: events.case_stocked_in,
        T.RECEIVED_BY_SUPPLIER: events.case_received_by_supplier,
        T.REFUND_REQUESTED: events.case_refund_requested,
        T.REFUND_CONFIRMED: events.case_refund_confirmed,
        T.REFUND_REJECTED: events.case_refund_rejected,
        T.EXCHANGE_ORDER_CREATED: events.case_exchange_order_created,
        T.COMPLETED: events.case_completed,
        T.CANCELLED: events.case_cancelled,
    }
    assert set(writers) == set(T)
    assert set(events.SUMMARIES) == set(T) - {T.CONFIRMED, T.COMPLETED}  # those two say it all in their type


def test_a_stock_in_records_where_and_what_and_the_timeline_reads_it(owner, login):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)  # 2 units of one SKU
    warehouse = WarehouseFactory(tenant=owner.tenant, name="Jakarta Returns")
    services.case_confirm_and_stock_in(case=case, actor=owner, warehouse=warehouse, condition=Condition.DAMAGED)
    event = case.events.get(type=T.CONFIRMED_AND_STOCKED_IN)
    code = case.lines.get().sku.code
    assert (event.from_status, event.to_status) == (CaseStatus.TO_CONFIRM, CaseStatus.RECEIVED_RETURN)
    assert event.data == {
        "warehouse": "Jakarta Returns",
        "lines": {code: {"sellable": 0, "damaged": 2, "expected": 2}},
    }
    assert events.summary(event) == f"into Jakarta Returns: {code} 0 sellable + 2 damaged"
    page = login(owner).get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert events.summary(event) in page


def test_refund_events_name_the_refund_order_and_the_amount_or_reason(owner):
    refund = make_refund(case=make_case(order=shipped_order(tenant=owner.tenant), actor=owner), amount=Decimal("20.00"))
    refund_reject(refund=refund, actor=owner, reason="Wrong bank account")
    second = make_refund(case=refund.case, amount=Decimal("50.00"))
    refund_confirm(refund=second, actor=owner)
    summaries = [(e.type, events.summary(e)) for e in refund.case.events.filter(type__startswith="refund")]
    assert summaries == [
        (T.REFUND_REQUESTED, f"refund {refund.number} of 20.00"),
        (T.REFUND_REJECTED, f"refund {refund.number}; reason: Wrong bank account"),
        (T.REFUND_REQUESTED, f"refund {second.number} of 50.00"),
        (T.REFUND_CONFIRMED, f"refund {second.number} of 50.00"),
    ]


def test_a_cancel_records_the_reason_and_what_it_voided(owner):
    refund = make_refund(case=make_case(order=shipped_order(tenant=owner.tenant), actor=owner))
    services.case_cancel(case=refund.case, actor=owner, reason="Buyer kept the item")
    event = refund.case.events.get(type=T.CANCELLED)
    assert event.data == {"reason": "Buyer kept the item", "voided": [refund.number]}
    assert events.summary(event) == f"voided {refund.number}; reason: Buyer kept the item"
    assert (event.from_status, event.to_status) == (CaseStatus.REFUND_PROCESSING, CaseStatus.CANCELLED)


def test_an_event_that_did_not_move_the_state_records_no_move(owner):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    services.case_update(case=case, actor=owner, return_tracking_number="RET-1", assignee=None, notes="")
    event = case.events.get(type=T.EDITED)
    assert (event.from_status, event.to_status, events.summary(event)) == ("", "", "changed return tracking number")
    created = case.events.get(type=T.CREATED)
    assert events.summary(created) == "returned items 50.00"
