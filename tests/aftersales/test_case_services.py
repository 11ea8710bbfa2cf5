"""The case services: each flow's transitions and refusals, the money formulas, role permissions."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm import can_proceed

from accounts.permissions import Perm
from aftersales import services
from aftersales.models import Case, CaseEvent, CaseStatus, CaseType
from aftersales.services import LineInput
from core.errors import Refused
from inventory.models import Condition, StockLevel, StockMovement, WarehouseKind
from orders.models import Order, OrderStatus
from refunds.models import RefundStatus
from refunds.services import refund_confirm, refund_create, refund_reject
from tests.factories import (
    ComboItemFactory,
    CustomerTierFactory,
    OrderItemFactory,
    SKUFactory,
    TierPriceFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    shipped_order,
)

S = CaseStatus
pytestmark = pytest.mark.django_db


def _status(case: Case) -> str:
    case.refresh_from_db()
    return case.status


# --- the three flows, end to end through the services ---------------------------------------------


def test_return_and_refund_flow_records_every_step():
    case = make_case()
    actor, warehouse = case.created_by, WarehouseFactory(tenant=case.tenant)
    services.case_confirm(case=case, actor=actor)
    assert _status(case) == S.CONFIRM_RETURN
    line = case.lines.get()
    services.case_receive(case=case, actor=actor, warehouse=warehouse, received={line.pk: (2, 0)})
    assert _status(case) == S.RECEIVED_RETURN
    refund = refund_create(case=case, actor=actor, amount=Decimal("50.00"), method="bank_transfer")
    assert _status(case) == S.REFUND_PROCESSING
    refund_confirm(refund=refund, actor=actor)
    assert _status(case) == S.COMPLETED
    trail = list(case.events.values_list("type", "from_status", "to_status"))
    assert trail == [
        (CaseEvent.Type.CREATED, "", ""),
        (CaseEvent.Type.CONFIRMED, S.TO_CONFIRM, S.CONFIRM_RETURN),
        (CaseEvent.Type.RECEIVED, S.CONFIRM_RETURN, S.RECEIVED_RETURN),
        (CaseEvent.Type.REFUND_REQUESTED, S.RECEIVED_RETURN, S.REFUND_PROCESSING),
        (CaseEvent.Type.REFUND_CONFIRMED, S.REFUND_PROCESSING, S.COMPLETED),
    ]
    assert all(event.actor == actor for event in case.events.all())


def test_refund_only_flow_has_no_parcel_and_a_rejection_returns_to_confirm_refund():
    case = make_case(type=CaseType.REFUND_ONLY)
    actor = case.created_by
    with pytest.raises(Refused) as refused:
        services.case_confirm_and_stock_in(case=case, actor=actor, warehouse=WarehouseFactory(tenant=case.tenant))
    assert refused.value.code == "no_parcel"
    services.case_confirm(case=case, actor=actor)
    assert _status(case) == S.CONFIRM_REFUND
    first = refund_create(case=case, actor=actor, amount=Decimal("50.00"), method="e_wallet")
    refund_reject(refund=first, actor=actor, reason="Wrong e-wallet id")
    assert _status(case) == S.CONFIRM_REFUND
    second = refund_create(case=case, actor=actor, amount=Decimal("45.00"), method="e_wallet")
    refund_confirm(refund=second, actor=actor)
    assert _status(case) == S.COMPLETED
    assert list(case.refunds.order_by("pk").values_list("status", flat=True)) == [
        RefundStatus.REJECTED,
        RefundStatus.CONFIRMED,
    ]
    assert not StockMovement.objects.filter(case=case).exists()


def test_exchange_flow_generates_the_exchange_order_and_refunds_the_difference():
    order = shipped_order(lines=((Decimal("30.00"), 2),))
    exchange_sku = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("22.50"))
    case = make_case(type=CaseType.EXCHANGE, order=order, exchange=[(exchange_sku, 2)])
    actor = case.created_by
    assert (case.returned_total, case.exchange_total, case.total_refund) == (
        Decimal("60.00"),
        Decimal("45.00"),
        Decimal("15.00"),
    )
    services.case_confirm(case=case, actor=actor)
    assert _status(case) == S.CONFIRM_EXCHANGE
    exchange_order = services.case_generate_exchange_order(case=case, actor=actor)
    case.refresh_from_db()
    assert exchange_order.status == OrderStatus.WAITING_APPROVAL and exchange_order.is_manual
    assert exchange_order.exchange_case == case and case.exchange_order == exchange_order
    assert [(i.sku, i.quantity, i.unit_price) for i in exchange_order.items.all()] == [
        (exchange_sku, 2, Decimal("22.50"))
    ]
    assert exchange_order.buyer == order.buyer and exchange_order.store == order.store
    with pytest.raises(Refused) as again:
        services.case_generate_exchange_order(case=case, actor=actor)
    assert again.value.code == "no_exchange_order_to_generate"
    line = case.lines.get(kind="returned")
    services.case_receive(
        case=case, actor=actor, warehouse=WarehouseFactory(tenant=case.tenant), received={line.pk: (2, 0)}
    )
    assert case.refund_left() == Decimal("15.00")
    refund = refund_create(case=case, actor=actor, amount=Decimal("15.00"), method="cash")
    refund_confirm(refund=refund, actor=actor)
    assert _status(case) == S.COMPLETED


def test_an_exchange_with_nothing_to_refund_completes_without_a_refund_order_once_its_order_exists():
    order = shipped_order(lines=((Decimal("20.00"), 1),))
    dearer = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("35.00"))
    case = make_case(type=CaseType.EXCHANGE, order=order, exchange=[(dearer, 1)])
    actor = case.created_by
    assert case.total_refund == Decimal("-15.00") and case.refundable == Decimal("0.00")
    services.case_confirm_and_stock_in(case=case, actor=actor, warehouse=WarehouseFactory(tenant=case.tenant))
    case.refresh_from_db()
    with pytest.raises(Refused) as refused:
        refund_create(case=case, actor=actor, amount=Decimal("1.00"), method="cash")
    assert refused.value.code == "nothing_to_refund"
    with pytest.raises(Refused) as refused:
        services.case_complete(case=case, actor=actor)
    assert refused.value.code == "refund_left"
    services.case_generate_exchange_order(case=case, actor=actor)
    services.case_complete(case=case, actor=actor)
    assert _status(case) == S.COMPLETED
    assert not case.refunds.exists()


# --- the state table ----------------------------------------------------------------------------

ACTIONS = ["confirm", "confirm_and_stock_in", "receive", "request_refund", "confirm_refund", "reject_refund", "cancel"]
ALLOWED = {
    S.TO_CONFIRM: {"confirm", "confirm_and_stock_in", "cancel"},
    S.CONFIRM_RETURN: {"receive", "cancel"},
    S.CONFIRM_EXCHANGE: {"receive", "cancel"},
    S.CONFIRM_REFUND: {"request_refund", "cancel"},
    S.RECEIVED_RETURN: {"request_refund", "cancel"},
    S.REFUND_PROCESSING: {"confirm_refund", "reject_refund", "cancel"},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}


@pytest.mark.parametrize("state", list(ALLOWED))
def test_each_state_allows_exactly_its_transitions(state):
    case = Case(status=state, type=CaseType.RETURN_REFUND)  # unsaved: only the state table is asked
    allowed = {name for name in ACTIONS if can_proceed(getattr(case, name), check_conditions=False)}
    assert allowed == ALLOWED[state]


def test_state_cannot_be_assigned_outside_a_transition():
    case = make_case()
    with pytest.raises(AttributeError):
        case.status = S.COMPLETED


def test_a_double_confirm_is_refused_and_changes_nothing_twice():
    case = make_case()
    services.case_confirm(case=case, actor=case.created_by)
    with pytest.raises(Refused) as refused:
        services.case_confirm(case=case, actor=case.created_by)
    assert refused.value.code == "wrong_state"
    assert case.events.filter(type=CaseEvent.Type.CONFIRMED).count() == 1


def test_cancel_needs_a_reason_voids_a_processing_refund_and_ends_the_case():
    case = make_case()
    actor = case.created_by
    services.case_confirm_and_stock_in(case=case, actor=actor, warehouse=WarehouseFactory(tenant=case.tenant))
    refund = refund_create(case=case, actor=actor, amount=Decimal("10.00"), method="cash")
    with pytest.raises(Refused) as refused:
        services.case_cancel(case=case, actor=actor, reason="  ")
    assert refused.value.code == "reason_missing"
    services.case_cancel(case=case, actor=actor, reason="Buyer kept the item")
    refund.refresh_from_db()
    assert _status(case) == S.CANCELLED and refund.status == RefundStatus.VOIDED
    assert case.events.last().data["reason"] == "Buyer kept the item"
    with pytest.raises(Refused) as refused:
        services.case_cancel(case=case, actor=actor, reason="again")
    assert refused.value.code == "wrong_state"


def test_a_completed_case_cannot_be_cancelled():
    case = make_case(type=CaseType.REFUND_ONLY)
    actor = case.created_by
    services.case_confirm(case=case, actor=actor)
    refund_confirm(refund=refund_create(case=case, actor=actor, amount=Decimal("5.00"), method="cash"), actor=actor)
    with pytest.raises(Refused) as refused:
        services.case_cancel(case=case, actor=actor, reason="late")
    assert refused.value.code == "wrong_state"


# --- role permissions ---------------------------------------------------------------------------


def test_case_actions_need_manual_after_sales_and_refund_actions_need_after_sales_refund():
    case = make_case()
    finance = UserFactory(tenant=case.tenant, perms=[Perm.AFTERSALES_REFUND])
    operator = UserFactory(tenant=case.tenant, perms=[Perm.MANUAL_AFTERSALES])
    warehouse_user = UserFactory(tenant=case.tenant, perms=[Perm.RETURN_STOCKIN])
    with pytest.raises(PermissionDenied):
        services.case_confirm(case=case, actor=finance)
    with pytest.raises(PermissionDenied):
        services.case_create(tenant=case.tenant, actor=finance, order=case.order, type="refund_only", returned=[])
    services.case_confirm(case=case, actor=operator)
    line = case.lines.get()
    with pytest.raises(PermissionDenied):
        services.case_receive(
            case=case, actor=operator, warehouse=WarehouseFactory(tenant=case.tenant), received={line.pk: (1, 0)}
        )
    services.case_receive(
        case=case, actor=warehouse_user, warehouse=WarehouseFactory(tenant=case.tenant), received={line.pk: (2, 0)}
    )
    with pytest.raises(PermissionDenied):
        refund_create(case=case, actor=operator, amount=Decimal("1.00"), method="cash")
    refund = refund_create(case=case, actor=finance, amount=Decimal("50.00"), method="cash")
    with pytest.raises(PermissionDenied):
        refund_confirm(refund=refund, actor=operator)
    assert _status(case) == S.REFUND_PROCESSING


# --- creating: eligibility, lines, prices, quantities ----------------------------------------------


@pytest.mark.parametrize("status", [OrderStatus.NEW, OrderStatus.IN_PROCESS, OrderStatus.WAITING_APPROVAL])
def test_orders_not_yet_shipped_are_refused_with_the_reason(status):
    order = shipped_order()
    order.sync(status=status)
    order.save()
    with pytest.raises(Refused) as refused:
        make_case(order=order)
    assert refused.value.code == "order_not_eligible"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "status", [OrderStatus.TO_PICKUP, OrderStatus.SHIPPED, OrderStatus.COMPLETED, OrderStatus.CANCELLED]
)
def test_to_pickup_shipped_completed_and_cancelled_orders_are_eligible(status):
    order = shipped_order()
    order.sync(status=status)
    order.save()
    assert make_case(order=order).status == S.TO_CONFIRM


def test_added_skus_are_priced_tier_then_wholesale_then_zero_and_amount_follows_quantity():
    order = shipped_order(lines=((Decimal("25.00"), 3),))  # paid 75.00: room for the 60.99 below
    tier = CustomerTierFactory(tenant=order.tenant)
    order.buyer.tier = tier
    order.buyer.save()
    tiered = TierPriceFactory(tier=tier, price=Decimal("7.50")).sku
    wholesale = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("12.00"))
    unpriced = SKUFactory(tenant=order.tenant, wholesale_price=None)
    case = services.case_create(
        tenant=order.tenant,
        actor=UserFactory(tenant=order.tenant, owner=True),
        order=order,
        type=CaseType.RETURN_REFUND,
        returned=[
            LineInput(sku=tiered, quantity=2),
            LineInput(sku=wholesale, quantity=3),
            LineInput(sku=unpriced, quantity=1),
            LineInput(sku=wholesale, quantity=1, amount=Decimal("9.99")),  # adjusted by hand
        ],
    )
    lines = [(line.sku, line.unit_price, line.amount) for line in case.lines.order_by("pk")]
    assert lines == [
        (tiered, Decimal("7.50"), Decimal("15.00")),
        (wholesale, Decimal("12.00"), Decimal("36.00")),
        (unpriced, Decimal("0.00"), Decimal("0.00")),
        (wholesale, Decimal("12.00"), Decimal("9.99")),
    ]
    assert case.returned_total == Decimal("60.99")


def test_order_lines_keep_the_price_paid():
    order = shipped_order(lines=((Decimal("19.90"), 3),))
    case = make_case(order=order)
    line = case.lines.get()
    assert (line.quantity, line.unit_price, line.amount) == (3, Decimal("19.90"), Decimal("59.70"))


def test_returned_quantity_cannot_exceed_what_the_order_holds_less_earlier_cases():
    order = shipped_order(lines=((Decimal("10.00"), 3),))
    item = order.items.get()
    owner = UserFactory(tenant=order.tenant, owner=True)

    def create(quantity):
        return services.case_create(
            tenant=order.tenant,
            actor=owner,
            order=order,
            type=CaseType.RETURN_REFUND,
            returned=[LineInput(sku=item.sku, quantity=quantity, order_item=item)],
        )

    with pytest.raises(
        Refused, match=f"Only 3 units of {item.sku.code} can still be returned on this order."
    ) as refused:
        create(4)
    assert refused.value.code == "above_returnable"
    first = create(2)
    with pytest.raises(Refused, match="Only 1 unit of ") as refused:
        create(2)
    assert refused.value.code == "above_returnable"
    create(1)
    services.case_cancel(case=first, actor=owner, reason="Entered twice")  # a cancelled case gives its units back
    assert services.returnable_by_sku(order) == {item.sku_id: 2}


@pytest.mark.parametrize(
    ("quantity", "amount", "code"),
    [(0, None, "quantity_below_one"), (-2, None, "quantity_below_one"), (1, Decimal("-1.00"), "amount_negative")],
)
def test_bad_quantities_and_amounts_write_nothing(quantity, amount, code):
    order = shipped_order()
    item = order.items.get()
    with pytest.raises(Refused) as refused:
        services.case_create(
            tenant=order.tenant,
            actor=UserFactory(tenant=order.tenant, owner=True),
            order=order,
            type=CaseType.RETURN_REFUND,
            returned=[LineInput(sku=item.sku, quantity=quantity, amount=amount, order_item=item)],
        )
    assert refused.value.code == code
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_another_tenants_sku_or_order_line_is_refused():
    order = shipped_order()
    foreign = OrderItemFactory()
    with pytest.raises(Refused) as refused:
        services.case_create(
            tenant=order.tenant,
            actor=UserFactory(tenant=order.tenant, owner=True),
            order=order,
            type=CaseType.RETURN_REFUND,
            returned=[LineInput(sku=foreign.sku, quantity=1, order_item=foreign)],
        )
    assert refused.value.code == "other_tenant"
    assert not Case.objects.exists()


# --- stock-in ---------------------------------------------------------------------------------


def test_confirm_and_stock_in_puts_combo_sub_skus_back_as_chosen_condition():
    combo = ComboItemFactory(quantity=2)
    order = shipped_order(tenant=combo.tenant, lines=())
    OrderItemFactory(order=order, sku=combo.combo, quantity=3, unit_price=Decimal("25.00"))
    Order.objects.filter(pk=order.pk).update(paid_amount=Decimal("75.00"))
    case = make_case(order=order)
    warehouse = WarehouseFactory(tenant=case.tenant)
    services.case_confirm_and_stock_in(
        case=case, actor=case.created_by, warehouse=warehouse, condition=Condition.DAMAGED
    )
    level = StockLevel.objects.get(sku=combo.component, warehouse=warehouse)
    assert (level.condition, level.on_hand) == (Condition.DAMAGED, 6)
    assert case.lines.get().received_quantity == 3


def test_a_supplier_warehouse_does_not_take_returns():
    case = make_case()
    supplier = WarehouseFactory(tenant=case.tenant, kind=WarehouseKind.SUPPLIER)
    with pytest.raises(Refused) as refused:
        services.case_confirm_and_stock_in(case=case, actor=case.created_by, warehouse=supplier)
    assert refused.value.code == "warehouse_not_receiving"
    assert _status(case) == S.TO_CONFIRM and not StockMovement.objects.exists()


# --- money ---------------------------------------------------------------------------------------


def test_refundable_follows_the_exchange_orders_amount_once_generated():
    order = shipped_order(lines=((Decimal("50.00"), 1),))
    sku = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("20.00"))
    case = make_case(type=CaseType.EXCHANGE, order=order, exchange=[(sku, 1)])
    assert case.refundable == Decimal("30.00")
    services.case_confirm(case=case, actor=case.created_by)
    exchange_order = services.case_generate_exchange_order(case=case, actor=case.created_by)
    exchange_order.paid_amount = Decimal("65.00")  # edited in Order Entry before approval
    exchange_order.save()
    case.refresh_from_db()
    assert case.refundable == Decimal("0.00")  # max(0, 50 - 65)


def test_a_refund_above_what_is_left_is_refused_and_confirmed_refunds_never_exceed_the_refundable():
    case = make_case()  # 50.00 refundable
    actor = case.created_by
    services.case_confirm_and_stock_in(case=case, actor=actor, warehouse=WarehouseFactory(tenant=case.tenant))
    for amount in (Decimal("50.01"), Decimal("0"), Decimal("-5")):
        with pytest.raises(Refused):
            refund_create(case=case, actor=actor, amount=amount, method="cash")
    assert not case.refunds.exists() and _status(case) == S.RECEIVED_RETURN
    refund_confirm(refund=refund_create(case=case, actor=actor, amount=Decimal("50.00"), method="cash"), actor=actor)
    assert case.refunded() == case.refundable == Decimal("50.00")


def test_edit_details_records_what_changed():
    case = make_case()
    services.case_update(case=case, actor=case.created_by, return_tracking_number=" SPX123 ", assignee=None, notes="")
    case.refresh_from_db()
    assert case.return_tracking_number == "SPX123"
    assert case.events.last().data == {"fields": ["return_tracking_number"]}
    services.case_update(case=case, actor=case.created_by, return_tracking_number="SPX123", assignee=None, notes="")
    assert case.events.filter(type=CaseEvent.Type.EDITED).count() == 1


def test_a_user_of_another_tenant_cannot_act_on_a_case_even_past_the_views():
    case = make_case()
    stranger = UserFactory(owner=True)  # main account of another tenant: every permission
    with pytest.raises(Refused) as refused:
        services.case_confirm(case=case, actor=stranger)
    assert refused.value.code == "other_tenant"
    with pytest.raises(Refused) as refused:
        services.case_update(case=case, actor=stranger, return_tracking_number="X", assignee=None, notes="")
    assert refused.value.code == "other_tenant"
    assert _status(case) == S.TO_CONFIRM and case.events.count() == 1


# which role permission each transition asks for (the model's guard, whatever the view)
TRANSITION_PERMS = {
    "confirm": Perm.MANUAL_AFTERSALES,
    "confirm_and_stock_in": Perm.MANUAL_AFTERSALES,
    "receive": Perm.RETURN_STOCKIN,
    "request_refund": Perm.AFTERSALES_REFUND,
    "confirm_refund": Perm.AFTERSALES_REFUND,
    "reject_refund": Perm.AFTERSALES_REFUND,
    "complete": Perm.MANUAL_AFTERSALES,
    "cancel": Perm.MANUAL_AFTERSALES,
}
SOURCE = {  # a state each transition leaves from
    "confirm": S.TO_CONFIRM,
    "confirm_and_stock_in": S.TO_CONFIRM,
    "receive": S.CONFIRM_RETURN,
    "request_refund": S.CONFIRM_REFUND,
    "confirm_refund": S.REFUND_PROCESSING,
    "reject_refund": S.REFUND_PROCESSING,
    "complete": S.CONFIRM_REFUND,
    "cancel": S.TO_CONFIRM,
}


@pytest.mark.parametrize("name", list(TRANSITION_PERMS))
def test_each_transition_is_open_to_exactly_the_role_holding_its_permission(name, tenant, monkeypatch):
    from django_fsm import has_transition_perm

    case = Case(tenant=tenant, status=SOURCE[name], type=CaseType.RETURN_REFUND)
    left = Decimal("0.00") if name == "complete" else Decimal("1.00")
    monkeypatch.setattr("aftersales.models.case_refund_room", lambda case: SimpleNamespace(left=left))
    allowed = {
        perm for perm in Perm if has_transition_perm(getattr(case, name), UserFactory(tenant=tenant, perms=[perm]))
    }
    assert allowed == {TRANSITION_PERMS[name]}
    assert has_transition_perm(getattr(case, name), UserFactory(tenant=tenant, owner=True))


def test_cancelling_an_exchange_withdraws_its_order_still_waiting_to_approve_but_not_an_approved_one():
    from orders.services import order_approve

    def exchange_with_order():
        order = shipped_order()
        case = make_case(type=CaseType.EXCHANGE, order=order, exchange=[(SKUFactory(tenant=order.tenant), 1)])
        services.case_confirm(case=case, actor=case.created_by)
        return case, services.case_generate_exchange_order(case=case, actor=case.created_by)

    waiting_case, waiting = exchange_with_order()
    services.case_cancel(case=waiting_case, actor=waiting_case.created_by, reason="Buyer kept the item")
    waiting.refresh_from_db()
    assert waiting.status == OrderStatus.CANCELLED
    assert waiting_case.events.last().data["voided"] == [waiting.number]

    approved_case, approved = exchange_with_order()
    order_approve(order=approved, actor=approved_case.created_by)
    services.case_cancel(case=approved_case, actor=approved_case.created_by, reason="Duplicate")
    approved.refresh_from_db()
    assert approved.status == OrderStatus.NEW  # already in fulfilment: the order desk decides


def test_two_lines_of_one_sku_are_both_in_the_stock_in_record():
    order = shipped_order(lines=((Decimal("10.00"), 2),))
    item = order.items.get()
    owner = UserFactory(tenant=order.tenant, owner=True)
    case = services.case_create(
        tenant=order.tenant,
        actor=owner,
        order=order,
        type=CaseType.RETURN_REFUND,
        returned=[LineInput(sku=item.sku, quantity=1, order_item=item), LineInput(sku=item.sku, quantity=1)],
    )
    services.case_confirm_and_stock_in(case=case, actor=owner, warehouse=WarehouseFactory(tenant=order.tenant))
    recorded = case.events.get(type=CaseEvent.Type.CONFIRMED_AND_STOCKED_IN).data["lines"]
    assert recorded == {item.sku.code: {"sellable": 2, "damaged": 0, "expected": 2}}
