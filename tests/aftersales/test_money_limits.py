"""Issue 8, finding 1: money without a ceiling. The reproductions of the issue, then the limits a case
is entered under: what the order has left to refund, added SKUs per case, typed amounts above
quantity x price (Over-Refund and a note), the columns' ranges, and stock-in within the lines."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.permissions import Perm
from aftersales import services
from aftersales.limits import MAX_ADDED_UNITS, order_refund_room
from aftersales.models import Case, CaseEvent, CaseStatus, CaseType
from aftersales.services import LineInput
from core.errors import Refused
from core.limits import MAX_AMOUNT, MAX_LINE_QUANTITY
from inventory.models import StockLevel
from refunds.services import refund_confirm, refund_create
from tests.factories import SKUFactory, UserFactory, WarehouseFactory, shipped_order

pytestmark = pytest.mark.django_db
MYR = "MYR"


def _operator(tenant, *extra):
    """The issue's operator: enters and confirms cases, stocks in, creates refunds; no Over-Refund."""
    return UserFactory(
        tenant=tenant, perms=[Perm.MANUAL_AFTERSALES, Perm.RETURN_STOCKIN, Perm.AFTERSALES_REFUND, *extra]
    )


def _create(order, actor, returned, type=CaseType.RETURN_REFUND, **kwargs):
    return services.case_create(tenant=order.tenant, actor=actor, order=order, type=type, returned=returned, **kwargs)


def _all_of(order, amount=None):
    item = order.items.get()
    return LineInput(sku=item.sku, quantity=item.quantity, order_item=item, amount=amount)


# --- the reproductions -------------------------------------------------------------------------------


def test_an_added_sku_of_a_million_units_is_refused_on_the_form_and_by_the_service(login):
    # given an order paid 11.80 and a SKU not on it at 6.50 wholesale
    order = shipped_order(lines=((Decimal("11.80"), 1),))
    operator = _operator(order.tenant)
    extra = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("6.50"))
    # when the operator posts it at 1,000,000 units on Create After-Sales Order
    response = login(operator).post(
        f"{reverse('aftersales:create')}?order={order.pk}",
        {"type": CaseType.RETURN_REFUND, "add_0_sku": extra.code, "add_0_qty": "1000000"},
    )
    # then the form says the limit beside the quantity, and the page shows that limit beforehand
    assert response.status_code == 200
    assert response.context["form"].errors["add_0_qty"] == [f"At most {MAX_ADDED_UNITS}."]
    assert f"SKUs not on the order: at most {MAX_ADDED_UNITS} units per case." in response.content.decode()
    # and the service refuses it too, whoever asks (the main account holds every permission)
    owner = UserFactory(tenant=order.tenant, owner=True)
    with pytest.raises(Refused) as refused:
        _create(order, owner, [LineInput(sku=extra, quantity=1_000_000)])
    assert refused.value.code == "quantity_out_of_range"
    assert refused.value.figures["limit"] == MAX_LINE_QUANTITY
    # and one unit past the per-case limit is refused by that limit, named
    with pytest.raises(Refused) as refused:
        _create(order, owner, [LineInput(sku=extra, quantity=MAX_ADDED_UNITS + 1)])
    assert refused.value.code == "added_units_above_limit"
    assert refused.value.figures["limit"] == MAX_ADDED_UNITS
    assert f"{MAX_ADDED_UNITS + 1} units of SKUs not on order {order.number} is more than the {MAX_ADDED_UNITS}" in str(
        refused.value
    )
    assert not Case.objects.exists() and not StockLevel.objects.exists()


def test_a_typed_amount_of_9_999_999_999_99_on_a_29_90_order_is_refused_beside_the_amount(login):
    # given an order of one item at 29.90
    order = shipped_order(lines=((Decimal("29.90"), 1),))
    item = order.items.get()
    operator = _operator(order.tenant)
    # when the operator types 9,999,999,999.99 as the line's amount
    response = login(operator).post(
        f"{reverse('aftersales:create')}?order={order.pk}",
        {
            "type": CaseType.REFUND_ONLY,
            f"item_{item.pk}_on": "on",
            f"item_{item.pk}_qty": "1",
            f"item_{item.pk}_amount": "9999999999.99",
        },
    )
    # then it is refused beside that amount, naming the figures and what would allow it
    assert response.status_code == 200
    [message] = response.context["form"].errors[f"item_{item.pk}_amount"]
    assert message == (
        f"{item.sku.code}: amount 9999999999.99 MYR is more than 1 x 29.90 = 29.90 MYR. "
        "Going beyond it needs the Over-Refund permission and a note."
    )
    assert "over_refund_note" not in response.context["form"].fields  # the role may not, so no note to give
    assert not Case.objects.exists()


def test_a_refund_only_of_61_50_on_an_order_paid_14_70_is_refused_naming_the_figures():
    # given an order paid 14.70, and a SKU not on it at 46.80
    order = shipped_order(lines=((Decimal("14.70"), 1),))
    operator = _operator(order.tenant)
    extra = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("46.80"))
    # when a Refund-Only case returns the order's item and the added SKU (61.50)
    with pytest.raises(Refused) as refused:
        _create(order, operator, [_all_of(order), LineInput(sku=extra, quantity=1)], type=CaseType.REFUND_ONLY)
    # then
    assert refused.value.code == "above_order_left"
    assert str(refused.value).startswith(
        f"Returned total 61.50 MYR is more than the 14.70 MYR order {order.number} has left to refund "
        "(paid 14.70, earlier cases 0.00)."
    )
    assert refused.value.figures["limit"] == Decimal("14.70")
    assert not Case.objects.exists()


def test_an_added_sku_not_on_the_order_can_be_added_again_on_a_second_case():
    # given an order paid 100.00, and a first case that added a SKU not on the order
    order = shipped_order(lines=((Decimal("50.00"), 2),))
    operator = _operator(order.tenant)
    cable = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("5.00"))
    _create(order, operator, [LineInput(sku=cable, quantity=1)], type=CaseType.REFUND_ONLY)
    # when a second case adds it again
    second = _create(order, operator, [LineInput(sku=cable, quantity=1)], type=CaseType.REFUND_ONLY)
    # then it is taken: the order never held it, so its held quantity does not apply
    assert second.returned_total == Decimal("5.00")
    assert cable.pk not in services.returnable_by_sku(order)


# --- what the order has left to refund ------------------------------------------------------------------


def test_earlier_cases_take_their_share_until_cancelled_and_a_completed_one_keeps_only_what_it_paid():
    order = shipped_order(lines=((Decimal("14.70"), 2),))  # paid 29.40
    operator = _operator(order.tenant)
    item = order.items.get()

    def one_unit():
        return _create(
            order, operator, [LineInput(sku=item.sku, quantity=1, order_item=item)], type=CaseType.REFUND_ONLY
        )

    first = one_unit()
    extra = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("15.00"))
    with pytest.raises(Refused, match=r"more than the 14\.70 MYR .* \(paid 29\.40, earlier cases 14\.70\)"):
        _create(
            order,
            operator,
            [LineInput(sku=item.sku, quantity=1, order_item=item), LineInput(sku=extra, quantity=1)],
            type=CaseType.REFUND_ONLY,
        )
    # the first case completes with a partial refund: only what it paid stays taken
    services.case_confirm(case=first, actor=operator)
    refund_confirm(
        refund=refund_create(case=first, actor=operator, amount=Decimal("10.00"), method="cash"), actor=operator
    )
    assert order_refund_room(order).left == Decimal("19.40")
    second = one_unit()
    assert order_refund_room(order).left == Decimal("4.70")
    services.case_cancel(case=second, actor=operator, reason="Entered twice")
    assert order_refund_room(order).left == Decimal("19.40")


def test_the_create_page_shows_what_the_order_has_left_to_refund(login):
    order = shipped_order(lines=((Decimal("14.70"), 2),))
    operator = _operator(order.tenant)
    item = order.items.get()
    _create(order, operator, [LineInput(sku=item.sku, quantity=1, order_item=item)], type=CaseType.REFUND_ONLY)
    html = login(operator).get(f"{reverse('aftersales:create')}?order={order.pk}").content.decode()
    assert "RM\u00a014.70 <span" in html and "(paid RM\u00a029.40, earlier cases RM\u00a014.70)" in html


# --- over-refund: the permission and a note ---------------------------------------------------------


def test_over_refund_needs_a_note_which_is_kept_and_shown_in_the_timeline(login):
    # given an order of one item at 29.90, and a user whose role holds Over-Refund
    order = shipped_order(lines=((Decimal("29.90"), 1),))
    supervisor = _operator(order.tenant, Perm.OVER_REFUND)
    # when the amount is typed above the price without a note, it is refused beside the note
    with pytest.raises(Refused) as refused:
        _create(order, supervisor, [_all_of(order, amount=Decimal("35.00"))], over_refund_note="  ")
    assert refused.value.code == "over_refund_note_missing" and refused.value.figures["field"] == "over_refund_note"
    assert "amount 35.00 MYR is more than 1 x 29.90 = 29.90 MYR" in str(refused.value)
    item = order.items.get()
    client = login(supervisor)
    url = f"{reverse('aftersales:create')}?order={order.pk}"
    data = {
        "type": CaseType.REFUND_ONLY,
        f"item_{item.pk}_on": "on",
        f"item_{item.pk}_qty": "1",
        f"item_{item.pk}_amount": "35.00",
    }
    response = client.post(url, data)
    assert "say why in the over-refund note" in response.context["form"].errors["over_refund_note"][0]
    # when it is given, the case is created above the price and above what the order has left
    response = client.post(url, {**data, "over_refund_note": "Buyer paid 5.10 return postage; we refund it."})
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.returned_total == Decimal("35.00")
    assert case.over_refund_note == "Buyer paid 5.10 return postage; we refund it."
    # then the timeline says who, when and why
    event = case.events.get(type=CaseEvent.Type.CREATED)
    assert event.actor == supervisor and event.created_at
    html = client.get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert (
        f"over-refund ({item.sku.code} 35.00 above 1 x 29.90 = 29.90; returned total 35.00 above the 29.90 order "
        f"{order.number} had left) approved: Buyer paid 5.10 return postage; we refund it." in html
    )
    # and its refund may go beyond the order (what the case itself has left still bounds it)
    services.case_confirm(case=case, actor=supervisor)
    with pytest.raises(Refused, match=r"refundable 35\.00"):
        refund_create(case=case, actor=supervisor, amount=Decimal("35.01"), method="cash")
    refund_confirm(
        refund=refund_create(case=case, actor=supervisor, amount=Decimal("35.00"), method="cash"), actor=supervisor
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED


def test_without_over_refund_the_order_cap_is_not_lifted_by_a_note():
    order = shipped_order(lines=((Decimal("14.70"), 1),))
    extra = SKUFactory(tenant=order.tenant, wholesale_price=Decimal("46.80"))
    with pytest.raises(Refused) as refused:
        _create(
            order,
            _operator(order.tenant),
            [_all_of(order), LineInput(sku=extra, quantity=1)],
            over_refund_note="Trust me",
        )
    assert refused.value.code == "above_order_left"
    assert "needs the Over-Refund permission and a note" in str(refused.value)


def test_an_amount_below_the_price_needs_nothing():
    order = shipped_order(lines=((Decimal("29.90"), 1),))
    case = _create(order, _operator(order.tenant), [_all_of(order, amount=Decimal("10.00"))])
    assert case.returned_total == Decimal("10.00") and not case.over_refund_note


# --- the columns' ranges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (lambda sku: LineInput(sku=sku, quantity=10**15), "quantity_out_of_range"),
        (lambda sku: LineInput(sku=sku, quantity=1, amount=Decimal("1E+15")), "amount_out_of_range"),
        (lambda sku: LineInput(sku=sku, quantity=1, amount=Decimal("1.005")), "amount_out_of_range"),
        (lambda sku: LineInput(sku=sku, quantity=MAX_LINE_QUANTITY, unit_price=MAX_AMOUNT), "amount_out_of_range"),
    ],
)
def test_quantities_and_amounts_past_the_columns_are_refused_not_a_500(line, code):
    order = shipped_order()
    owner = UserFactory(tenant=order.tenant, owner=True)
    sku = SKUFactory(tenant=order.tenant)
    with pytest.raises(Refused) as refused:
        _create(
            order,
            owner,
            [_all_of(order)],
            type=CaseType.EXCHANGE,
            exchange=[line(sku)],
            over_refund_note="Checking the limits",
        )
    assert refused.value.code == code
    assert not Case.objects.exists()


def test_huge_numbers_on_the_create_form_are_form_errors(login, owner):
    order = shipped_order(tenant=owner.tenant)
    item = order.items.get()
    sku = SKUFactory(tenant=owner.tenant)
    response = login(owner).post(
        f"{reverse('aftersales:create')}?order={order.pk}",
        {
            "type": CaseType.EXCHANGE,
            f"item_{item.pk}_on": "on",
            f"item_{item.pk}_qty": "1000000000000000",
            "ex_0_sku": sku.code,
            "ex_0_qty": "1000000000000000",
            "ex_0_amount": "1e15",
        },
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert set(errors) == {f"item_{item.pk}_qty", "ex_0_qty", "ex_0_amount"}
    assert not Case.objects.exists()


# --- stock-in never past the case's lines -------------------------------------------------------------


def test_confirm_and_stock_in_takes_exactly_the_lines_and_never_more():
    order = shipped_order(lines=((Decimal("10.00"), 3),))
    operator = _operator(order.tenant)
    case = _create(order, operator, [_all_of(order)])
    line = case.lines.get()
    line.received_quantity = 1  # as if one unit had come back another way
    line.save(update_fields=["received_quantity"])
    warehouse = WarehouseFactory(tenant=order.tenant)
    with pytest.raises(Refused) as refused:
        services.case_confirm_and_stock_in(case=case, actor=operator, warehouse=warehouse)
    assert refused.value.code == "above_expected" and refused.value.figures["limit"] == 2
    assert "3 received is more than the 2 expected (1 of 3 already in)." in str(refused.value)
    assert not StockLevel.objects.exists()
