"""Property test (Hypothesis, bounded, on the real database): whatever cases and refunds a team without
Over-Refund enters on one order, in whatever order, its refunds never sum above what the buyer paid
and nothing left to refund is ever negative (PRODUCT.md invariants 1 and 7)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.permissions import Perm
from aftersales import services
from aftersales.limits import ZERO, case_refund_room, order_refund_room
from aftersales.models import MANUAL_TYPES, Case, CaseStatus, CaseType, LineKind
from aftersales.services import LineInput
from core.errors import Refused
from inventory.models import SKU
from orders.models import OrderStatus
from orders.services import order_entry_update
from refunds.models import RefundOrder, RefundStatus
from refunds.services import refund_confirm, refund_create, refund_reject
from tests.factories import OrderFactory, OrderItemFactory, SKUFactory, UserFactory, WarehouseFactory, shipped_order

pytestmark = pytest.mark.django_db

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200.00"), places=2)
create = st.tuples(
    st.just("create"),
    st.sampled_from(MANUAL_TYPES),
    st.tuples(st.integers(0, 3), st.integers(0, 3)),  # units of each order line returned
    st.integers(0, 3),  # units of a SKU not on the order
    st.sampled_from([None, None, Decimal("0.5"), Decimal("1.5")]),  # the first line's amount typed: x its price
)
act = st.tuples(
    st.sampled_from(
        ["settle", "settle", "confirm", "stock_in", "refund", "pay", "reject", "cancel", "exchange_order", "reprice"]
    ),
    st.integers(0, 3),  # which case
    st.sampled_from([0, 0, 1, 500, 2_000, 10_000, 40_000]),  # cents; 0: all that is offered
)


class Team:
    """One tenant's after-sales team without Over-Refund, and the owner who edits exchange orders;
    made once per test, then a fresh order per example (`start`)."""

    def __init__(self):
        first = shipped_order(lines=())
        self.tenant, self.store, self.buyer = first.tenant, first.store, first.buyer
        self.staff = UserFactory(
            tenant=self.tenant, perms=[Perm.MANUAL_AFTERSALES, Perm.RETURN_STOCKIN, Perm.AFTERSALES_REFUND]
        )
        self.owner = UserFactory(tenant=self.tenant, owner=True)
        self.warehouse = WarehouseFactory(tenant=self.tenant)
        self.skus = [SKUFactory(tenant=self.tenant) for _ in range(2)]
        self.extra = SKUFactory(tenant=self.tenant)  # never on the order

    def start(self, lines, extra_price: Decimal) -> None:
        self.order = OrderFactory(
            tenant=self.tenant,
            store=self.store,
            buyer=self.buyer,
            warehouse=self.warehouse,
            status=OrderStatus.SHIPPED,
            paid_amount=sum(price * quantity for price, quantity in lines),
        )
        self.items = [
            OrderItemFactory(order=self.order, sku=sku, unit_price=price, quantity=quantity)
            for sku, (price, quantity) in zip(self.skus, lines, strict=True)
        ]
        SKU.objects.filter(pk=self.extra.pk).update(wholesale_price=extra_price)
        self.cases: list[Case] = []
        self.repriced = False

    def create(self, type, units, added, typed: Decimal | None):
        returned = []
        for i, (item, n) in enumerate(zip(self.items, units, strict=True)):
            quantity = min(n, item.quantity)
            if quantity:
                amount = (item.unit_price * quantity * typed).quantize(Decimal("0.01")) if typed and i == 0 else None
                returned.append(LineInput(sku=item.sku, quantity=quantity, order_item=item, amount=amount))
        if added:
            returned.append(LineInput(sku=self.extra, quantity=added))
        exchange = [LineInput(sku=self.extra, quantity=1)] if type == CaseType.EXCHANGE else []
        self.cases.append(
            services.case_create(
                tenant=self.order.tenant,
                actor=self.staff,
                order=self.order,
                type=type,
                returned=returned,
                exchange=exchange,
                over_refund_note="we would like to",  # ignored: the team has no Over-Refund
            )
        )

    def act(self, name, which, amount):
        if not self.cases:
            return
        case = Case.objects.get(pk=self.cases[which % len(self.cases)].pk)
        staff = self.staff
        processing = case.refunds.filter(status=RefundStatus.PROCESSING).first()
        if name == "settle":  # the usual walk: confirm, stock in, refund all that is offered, pay
            self.settle(case)
        elif name == "confirm":
            services.case_confirm(case=case, actor=staff)
        elif name == "stock_in" and case.status == CaseStatus.TO_CONFIRM:
            services.case_confirm_and_stock_in(case=case, actor=staff, warehouse=self.warehouse)
        elif name == "stock_in":
            received = {line.pk: (line.quantity, 0) for line in case.lines.filter(kind=LineKind.RETURNED)}
            services.case_receive(case=case, actor=staff, warehouse=self.warehouse, received=received)
        elif name == "refund":
            value = Decimal(amount) / 100 if amount else case_refund_room(case).left
            refund_create(case=case, actor=staff, amount=value, method="cash")
        elif name == "pay" and processing:
            refund_confirm(refund=processing, actor=staff)
        elif name == "reject" and processing:
            refund_reject(refund=processing, actor=staff, reason="Wrong account")
        elif name == "cancel":
            services.case_cancel(case=case, actor=staff, reason="Entered by mistake")
        elif name == "exchange_order":
            services.case_generate_exchange_order(case=case, actor=staff)
        elif name == "reprice" and case.exchange_order_id:
            exchange_order = case.exchange_order
            if exchange_order.status == OrderStatus.WAITING_APPROVAL:
                item = exchange_order.items.get()
                order_entry_update(
                    order=exchange_order,
                    actor=self.owner,
                    lines={item.pk: (item.quantity, Decimal(amount) / 100)},
                    tracking_number="",
                )
                self.repriced = True

    def settle(self, case):
        staff = self.staff
        if case.status == CaseStatus.TO_CONFIRM and case.has_parcel():
            case = services.case_confirm_and_stock_in(case=case, actor=staff, warehouse=self.warehouse)
        elif case.status == CaseStatus.TO_CONFIRM:
            case = services.case_confirm(case=case, actor=staff)
        elif case.status in (CaseStatus.CONFIRM_RETURN, CaseStatus.CONFIRM_EXCHANGE):
            received = {line.pk: (line.quantity, 0) for line in case.lines.filter(kind=LineKind.RETURNED)}
            case = services.case_receive(case=case, actor=staff, warehouse=self.warehouse, received=received)
        processing = case.refunds.filter(status=RefundStatus.PROCESSING).first()
        if processing is None:
            processing = refund_create(case=case, actor=staff, amount=case_refund_room(case).left, method="cash")
        refund_confirm(refund=processing, actor=staff)

    def check(self):
        order = self.order
        refunds = RefundOrder.objects.filter(case__order=order)
        paid_out = refunds.filter(status=RefundStatus.CONFIRMED).aggregate(s=Sum("amount"))["s"] or ZERO
        assert paid_out <= order.paid_amount
        room = order_refund_room(order)
        assert ZERO <= room.left <= order.paid_amount
        if not self.repriced:  # an exchange order edited in Order Entry can over-claim, never over-pay
            assert room.claimed <= order.paid_amount
        for case in Case.objects.filter(order=order).select_related("order", "exchange_order"):
            case_room = case_refund_room(case)
            assert case.refundable >= 0 and case.refund_left() >= 0
            assert ZERO <= case_room.left <= case_room.case_left
            assert case.refunded() <= case.returned_total
            assert not case.over_refund_note


def test_refunds_on_one_order_never_sum_above_what_the_buyer_paid():
    team = Team()

    @settings(max_examples=40, deadline=None)
    @given(
        lines=st.tuples(st.tuples(prices, st.integers(1, 3)), st.tuples(prices, st.integers(1, 3))),
        extra_price=prices,
        steps=st.lists(st.one_of(create, act, act), min_size=1, max_size=8),
    )
    def run(lines, extra_price, steps):
        with transaction.atomic():  # each example on its own order, rolled back
            team.start(lines, extra_price)
            for step in [("create", CaseType.REFUND_ONLY, (1, 0), 0, None), *steps]:
                try:
                    if step[0] == "create":
                        team.create(*step[1:])
                    else:
                        team.act(*step)
                except (Refused, PermissionDenied):
                    pass  # refused: nothing was written
                team.check()
            transaction.set_rollback(True)

    run()
