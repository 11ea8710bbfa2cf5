"""Stock-In / Return: warehouse staff scan a parcel's code, find its after-sales case and receive
the returned items, sellable or damaged, into one of their warehouses."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import User
from accounts.permissions import Perm
from aftersales.models import Case, CaseEvent, CaseLine, CaseStatus, CaseType
from aftersales.services import case_cancel, case_confirm, case_receive
from aftersales.stock_in_selectors import WAITING_STATES
from core.errors import Refused
from inventory.models import Condition, StockLevel, StockMovement, WarehouseKind
from orders.models import Order
from tests.factories import (
    ComboItemFactory,
    OrderItemFactory,
    SKUFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    shipped_order,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("inventory:index")


def _receive_url(case) -> str:
    return reverse("inventory:return-receive", args=[case.pk])


def _owner(tenant):
    return User.objects.filter(tenant=tenant, is_owner=True).first() or UserFactory(tenant=tenant, owner=True)


def _new_case(tenant, **fields):
    """A manual case To Confirm, entered by the tenant's main account."""
    return make_case(order=shipped_order(tenant=tenant), actor=_owner(tenant), **fields)


def _waiting_case(tenant, *, lines=((Decimal("25.00"), 2),), type=CaseType.RETURN_REFUND, order_fields=None, **fields):
    """A manual case confirmed and waiting for its parcel (Confirm Return, or Confirm Exchange)."""
    order = shipped_order(tenant=tenant, lines=lines, **(order_fields or {}))
    exchange = [(SKUFactory(tenant=tenant), 1)] if type == CaseType.EXCHANGE else ()
    case = make_case(order=order, type=type, exchange=exchange, actor=_owner(tenant), **fields)
    return case_confirm(case=case, actor=case.created_by)


def _lines(case) -> list[CaseLine]:
    return list(case.lines.filter(kind="returned").select_related("sku").order_by("pk"))


def _on_hand(sku, warehouse, condition=Condition.SELLABLE) -> int:
    level = StockLevel.objects.filter(sku=sku, warehouse=warehouse, condition=condition).first()
    return level.on_hand if level else 0


def _post_data(case, warehouse, quantities=None) -> dict:
    """Form data: every line received in full as sellable unless `quantities` says (sellable, damaged)."""
    data = {"warehouse": warehouse.pk}
    for index, line in enumerate(_lines(case)):
        sellable, damaged = quantities[index] if quantities else (line.quantity, 0)
        data[f"sellable_{line.pk}"], data[f"damaged_{line.pk}"] = sellable, damaged
    return data


def _nothing_written(case) -> None:
    case.refresh_from_db()
    assert case.status == CaseStatus.CONFIRM_RETURN
    assert case.received_at is None
    assert not StockMovement.objects.filter(tenant=case.tenant).exists()
    assert not StockLevel.objects.filter(tenant=case.tenant).exists()
    assert not case.events.filter(type=CaseEvent.Type.RECEIVED).exists()
    assert all(line.received_quantity == 0 for line in _lines(case))


@pytest.fixture
def clerk(tenant):
    """A warehouse sub-account: Return Stock-In only."""
    return UserFactory(tenant=tenant, username="wh-clerk", perms=[Perm.RETURN_STOCKIN])


@pytest.fixture
def warehouse(tenant):
    return WarehouseFactory(tenant=tenant, name="Main Warehouse")


# --- scanning ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scanned",
    [
        lambda case: case.number,
        lambda case: case.return_tracking_number,
        lambda case: case.order.number,
        lambda case: case.order.tracking_number,
        lambda case: f"  {case.number.lower()} ",  # a scanner's stray spaces, lower case typed by hand
    ],
    ids=["case number", "return tracking number", "order number", "order tracking number", "spaces and case"],
)
def test_scanning_a_code_of_a_waiting_case_shows_its_receive_form(scanned, tenant, clerk, warehouse, login):
    # given a Return & Refund case waiting for its parcel
    case = _waiting_case(tenant, return_tracking_number="SPXMY0001234", order_fields={"tracking_number": "JNT-OUT-77"})
    [line] = _lines(case)
    # when the clerk scans one of its codes
    response = login(clerk).get(INDEX, {"q": scanned(case)})
    # then the case and its receive form are shown right there
    assert response.status_code == 200
    assert response.context["case"] == case
    html = response.content.decode()
    assert f'action="{_receive_url(case)}"' in html
    assert f"Return &amp; Refund case {case.number}" in html
    assert line.sku.code in html and line.sku.name in html
    assert f'name="sellable_{line.pk}"' in html and 'value="2"' in html
    assert f'data-confirm="Stock in the Return &amp; Refund case {case.number}?"' in html
    assert "No after-sales case matches" not in html


def test_scanning_an_unknown_code_says_nothing_matched(tenant, clerk, login):
    # given a waiting case, and one of another tenant carrying the scanned tracking number
    _waiting_case(tenant, return_tracking_number="SPX-MINE")
    other = _waiting_case(UserFactory().tenant, return_tracking_number="SPX-THEIRS")
    # when
    html = login(clerk).get(INDEX, {"q": "SPX-THEIRS"}).content.decode()
    # then
    assert "No after-sales case matches “SPX-THEIRS”." in html
    assert other.number not in html


def test_scanning_a_received_case_says_when_and_where_it_was_received(tenant, clerk, warehouse, login):
    # given a case already received into Main Warehouse
    case = _waiting_case(tenant, return_tracking_number="SPX-DONE")
    case_receive(case=case, actor=clerk, warehouse=warehouse, received={line.pk: (2, 0) for line in _lines(case)})
    case.refresh_from_db()
    when = f"{timezone.localtime(case.received_at):%Y-%m-%d %H:%M}"
    # when it is scanned again
    html = login(clerk).get(INDEX, {"q": "spx-done"}).content.decode()
    # then the page says so, and offers no form
    assert f"Case {case.number} was already received on {when} into Main Warehouse; it is now Received Return." in html
    assert _receive_url(case) not in html


SET_ASIDE = (
    "it can be stocked in once After-Sales confirms it. "
    "Set the parcel aside and tell them; your role cannot confirm cases."
)


@pytest.mark.parametrize(
    ("perms", "told"),
    [
        ([Perm.RETURN_STOCKIN], SET_ASIDE),  # the warehouse cannot open the After-Sales page
        ([Perm.RETURN_STOCKIN, Perm.MANUAL_AFTERSALES], "confirm it on the After-Sales page first."),
    ],
)
def test_scanning_a_case_still_to_confirm_says_what_this_role_can_do(perms, told, tenant, login):
    case = _new_case(tenant)
    user = UserFactory(tenant=tenant, perms=perms)
    html = login(user).get(INDEX, {"q": case.order.number}).content.decode()
    assert f"Case {case.number} is To Confirm: {told}" in html
    assert _receive_url(case) not in html


def test_scanning_a_refund_only_or_cancelled_case_says_why_there_is_nothing_to_receive(tenant, clerk, login):
    # given a confirmed Refund-Only case, and a cancelled Return & Refund case
    refund_only = _new_case(tenant, type=CaseType.REFUND_ONLY)
    refund_only = case_confirm(case=refund_only, actor=refund_only.created_by)
    cancelled = _waiting_case(tenant)
    case_cancel(case=cancelled, actor=cancelled.created_by, reason="Buyer kept the item")
    client = login(clerk)
    # when / then
    html = client.get(INDEX, {"q": refund_only.number}).content.decode()
    assert f"Case {refund_only.number} is Refund-Only: there is no parcel to stock in." in html
    html = client.get(INDEX, {"q": cancelled.number}).content.decode()
    assert f"Case {cancelled.number} is Cancelled: there is nothing to stock in." in html


def test_a_code_matching_several_waiting_cases_lists_them_each_with_stock_in(tenant, clerk, login):
    # given two cases whose parcels came back under one tracking number
    first = _waiting_case(tenant, return_tracking_number="SPX-TWO-IN-ONE")
    second = _waiting_case(tenant, return_tracking_number="SPX-TWO-IN-ONE", type=CaseType.EXCHANGE)
    # when
    response = login(clerk).get(INDEX, {"q": "SPX-TWO-IN-ONE"})
    # then both are listed, newest first, each with its own Stock-In link, and no form yet
    assert response.context["scan"].waiting == [second, first]
    assert "form" not in response.context
    html = response.content.decode()
    assert "2 cases match “SPX-TWO-IN-ONE”" in html
    assert f'href="{_receive_url(first)}"' in html and f'href="{_receive_url(second)}"' in html
    assert "Confirm Exchange" in html and "Confirm Return" in html


def test_a_scan_by_htmx_swaps_in_only_the_results_panel(tenant, clerk, login):
    case = _waiting_case(tenant)
    response = login(clerk).get(INDEX, {"q": case.number}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="scan-results">')
    assert "<html" not in html and case.number in html
    assert "HX-Request" in response["Vary"]


def test_the_page_without_a_code_lists_the_cases_waiting_for_their_parcel_newest_first(tenant, clerk, login):
    # given waiting cases, and cases that are not waiting (To Confirm, received) or not ours
    older = _waiting_case(tenant)
    newer = _waiting_case(tenant, type=CaseType.EXCHANGE)
    _new_case(tenant)
    received = _waiting_case(tenant)
    case_receive(
        case=received,
        actor=clerk,
        warehouse=WarehouseFactory(tenant=tenant),
        received={line.pk: (2, 0) for line in _lines(received)},
    )
    _waiting_case(UserFactory().tenant)
    # when
    response = login(clerk).get(INDEX)
    # then
    assert list(response.context["page"]) == [newer, older]
    html = response.content.decode()
    assert "Tracking number, case number or order number" in html
    assert 'id="scan-code" name="q" value="" autofocus' in html
    assert f'href="{reverse("inventory:stock")}"' in html
    assert "Not built yet" not in html


def test_the_waiting_list_is_paginated_and_its_queries_do_not_grow(tenant, clerk, login, django_assert_max_num_queries):
    for _ in range(51):
        _waiting_case(tenant)
    client = login(clerk)
    # session, user, tenant, role perms, the page: none per row, and no COUNT(*) for the pager
    with django_assert_max_num_queries(8):
        first = client.get(INDEX)
    assert len(first.context["page"]) == 50
    assert ">Next</a>" in first.content.decode()
    assert len(client.get(INDEX + "?" + first.context["page"].next_query).context["page"]) == 1


def test_a_sub_account_limited_to_some_stores_finds_only_their_cases(tenant, login):
    # given a clerk granted one store only, and a waiting case in each of two stores
    mine, theirs = StoreFactory(tenant=tenant), StoreFactory(tenant=tenant)
    clerk = UserFactory(tenant=tenant, perms=[Perm.RETURN_STOCKIN], all_stores=False)
    assign_perm("sales_channels.access_store", clerk, mine)
    in_mine = _waiting_case(tenant, return_tracking_number="SPX-SHARED", order_fields={"store": mine})
    in_theirs = _waiting_case(tenant, return_tracking_number="SPX-SHARED", order_fields={"store": theirs})
    client = login(clerk)
    # when / then
    assert client.get(INDEX, {"q": "SPX-SHARED"}).context["case"] == in_mine
    assert list(client.get(INDEX).context["page"]) == [in_mine]
    assert client.get(_receive_url(in_theirs)).status_code == 404


# --- receiving --------------------------------------------------------------------------------


def test_the_receive_page_shows_the_case_and_the_expected_lines(tenant, clerk, warehouse, login):
    # given a waiting case with two lines, and warehouses of every kind
    case = _waiting_case(tenant, lines=((Decimal("25.00"), 2), (Decimal("9.90"), 3)), return_tracking_number="SPX-RT-1")
    WarehouseFactory(tenant=tenant, name="Supplier WH", kind=WarehouseKind.SUPPLIER)
    WarehouseFactory(tenant=tenant, name="Closed WH", is_active=False)
    WarehouseFactory(tenant=tenant, name="3PL WH", kind=WarehouseKind.THIRD_PARTY)
    WarehouseFactory(name="Their WH")
    # when
    response = login(clerk).get(_receive_url(case))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    for text in (case.number, "Return &amp; Refund", case.order.number, case.store.name, case.order.buyer.name):
        assert text in html
    assert "SPX-RT-1" in html
    for line in _lines(case):
        assert line.sku.code in html and line.sku.name in html
        assert f'name="sellable_{line.pk}"' in html and f'name="damaged_{line.pk}"' in html
    form = response.context["form"]
    offered = [label for value, label in form.fields["warehouse"].choices if value]
    assert offered == sorted(["3PL WH", "Main Warehouse", case.order.warehouse.name])  # own and 3PL, active
    assert [(f.initial, g.initial) for _, f, g in form.rows] == [(2, 0), (3, 0)]


def test_receiving_puts_the_items_in_stock_and_moves_the_case_to_received_return(tenant, clerk, warehouse, login):
    # given a waiting case of 2 + 3 items
    case = _waiting_case(tenant, lines=((Decimal("25.00"), 2), (Decimal("9.90"), 3)))
    first, second = _lines(case)
    client = login(clerk)
    # when the clerk receives 1 sellable + 1 damaged of the first line, and 3 sellable of the second
    response = client.post(_receive_url(case), _post_data(case, warehouse, [(1, 1), (3, 0)]))
    # then back to the scan page, with the outcome said plainly
    assert response.status_code == 302 and response["Location"] == INDEX
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Case {case.number} received: 5 items into Main Warehouse; it is now in Received Return."
    ]
    # the stock went up by the sellable and the damaged quantities
    assert _on_hand(first.sku, warehouse, Condition.SELLABLE) == 1
    assert _on_hand(first.sku, warehouse, Condition.DAMAGED) == 1
    assert _on_hand(second.sku, warehouse, Condition.SELLABLE) == 3
    assert _on_hand(second.sku, warehouse, Condition.DAMAGED) == 0
    movements = StockMovement.objects.filter(tenant=tenant)
    assert movements.count() == 3 and {m.actor for m in movements} == {clerk}
    # the case is Received Return, its lines say what came back, and the timeline says who
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN and case.received_at is not None
    assert [line.received_quantity for line in _lines(case)] == [2, 3]
    event = case.events.get(type=CaseEvent.Type.RECEIVED)
    assert event.actor == clerk
    assert (event.from_status, event.to_status) == (CaseStatus.CONFIRM_RETURN, CaseStatus.RECEIVED_RETURN)
    assert event.data["warehouse"] == "Main Warehouse"
    # and the page no longer lists it as waiting
    assert case not in list(client.get(INDEX).context["page"])


def test_the_warehouse_of_the_last_parcel_is_picked_for_the_next_one(tenant, clerk, warehouse, login):
    # given two waiting cases and a second warehouse
    penang = WarehouseFactory(tenant=tenant, name="Penang")
    first, second = _waiting_case(tenant), _waiting_case(tenant)
    client = login(clerk)

    def picked(response) -> int | None:
        return response.context["form"]["warehouse"].value()

    assert picked(client.get(_receive_url(second))) != penang.pk
    # when the clerk stocks the first parcel into Penang
    assert client.post(_receive_url(first), _post_data(first, penang)).status_code == 302
    # then Penang is picked for the next parcel, after a scan and on its receive page
    assert picked(client.get(INDEX, {"q": second.number})) == penang.pk
    assert picked(client.get(_receive_url(second))) == penang.pk
    # another clerk is not affected, and the clerk can still choose another warehouse
    other_clerk = login(UserFactory(tenant=tenant, perms=[Perm.RETURN_STOCKIN]))
    assert picked(other_clerk.get(_receive_url(second))) != penang.pk
    assert client.post(_receive_url(second), _post_data(second, warehouse)).status_code == 302
    assert _on_hand(_lines(second)[0].sku, warehouse) == 2


def test_receiving_an_exchange_with_a_combo_stocks_in_its_sub_skus(tenant, clerk, warehouse, login):
    # given an Exchange case returning 1 combo of 2 cables
    part = ComboItemFactory(combo__tenant=tenant, quantity=2)
    order = shipped_order(tenant=tenant, lines=())
    OrderItemFactory(order=order, sku=part.combo, quantity=1)
    Order.objects.filter(pk=order.pk).update(paid_amount=Decimal("25.00"))  # what the buyer paid for it
    case = make_case(
        order=order, type=CaseType.EXCHANGE, exchange=[(SKUFactory(tenant=tenant), 1)], actor=_owner(tenant)
    )
    case = case_confirm(case=case, actor=case.created_by)
    client = login(clerk)
    assert 'data-confirm="Stock in the Exchange case' in client.get(_receive_url(case)).content.decode()
    # when
    response = client.post(_receive_url(case), _post_data(case, warehouse))
    # then
    assert response.status_code == 302
    assert _on_hand(part.component, warehouse) == 2
    assert _on_hand(part.combo, warehouse) == 0
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN


def test_a_second_post_is_refused_and_changes_nothing(tenant, clerk, warehouse, login):
    # given a parcel received once
    case = _waiting_case(tenant)
    [line] = _lines(case)
    client = login(clerk)
    data = _post_data(case, warehouse)
    assert client.post(_receive_url(case), data).status_code == 302
    case.refresh_from_db()
    when = f"{timezone.localtime(case.received_at):%Y-%m-%d %H:%M}"
    # when the same form is posted again (double click, back button and replay)
    response = client.post(_receive_url(case), data)
    # then it is refused with the reason, and the stock went up once only
    assert response.status_code == 200
    assert f"Case {case.number} was already received on {when}." in response.context["form"].non_field_errors()
    assert f"Case {case.number} was already received on {when}." in response.content.decode()
    assert _on_hand(line.sku, warehouse) == 2
    assert StockMovement.objects.filter(tenant=tenant).count() == 1
    assert case.events.filter(type=CaseEvent.Type.RECEIVED).count() == 1
    # and the page of the case now says why it cannot be received, with no form
    page = client.get(_receive_url(case))
    assert "form" not in page.context
    assert f"Case {case.number} was already received on {when} into Main Warehouse" in page.content.decode()


@pytest.mark.parametrize(
    ("make_data", "field", "message"),
    [
        (lambda case, wh: _post_data(case, wh, [(3, 0)]), "sellable", "3 received is more than the 2 expected."),
        (lambda case, wh: _post_data(case, wh, [(2, 1)]), "sellable", "3 received is more than the 2 expected."),
        (lambda case, wh: _post_data(case, wh, [(-1, 0)]), "sellable", "Cannot be negative."),
        (lambda case, wh: _post_data(case, wh, [(1, -2)]), "damaged", "Cannot be negative."),
        (lambda case, wh: _post_data(case, wh, [("two", 0)]), "sellable", "Enter a whole number."),
        (
            lambda case, wh: _post_data(case, wh, [(0, 0)]),
            None,
            "Receive at least one item: every quantity is 0.",
        ),
        (
            lambda case, wh: {"warehouse": wh.pk},  # quantities left blank count as 0
            None,
            "Receive at least one item: every quantity is 0.",
        ),
        (
            lambda case, wh: _post_data(case, WarehouseFactory(tenant=case.tenant, kind=WarehouseKind.SUPPLIER)),
            "warehouse",
            "Choose one of your own active warehouses.",
        ),
        (
            lambda case, wh: _post_data(case, WarehouseFactory(tenant=case.tenant, is_active=False)),
            "warehouse",
            "Choose one of your own active warehouses.",
        ),
        (
            lambda case, wh: _post_data(case, WarehouseFactory()),  # a forged id of another tenant's
            "warehouse",
            "Choose one of your own active warehouses.",
        ),
        (
            lambda case, wh: {**_post_data(case, wh), "warehouse": ""},
            "warehouse",
            "Choose the warehouse the parcel goes into.",
        ),
    ],
    ids=[
        "more than expected",
        "sellable and damaged more than expected",
        "negative sellable",
        "negative damaged",
        "not a number",
        "all zeros",
        "all blank",
        "supplier warehouse",
        "inactive warehouse",
        "another tenant's warehouse",
        "no warehouse",
    ],
)
def test_a_wrong_entry_is_shown_on_the_form_and_nothing_is_written(
    make_data, field, message, tenant, clerk, warehouse, login
):
    # given a waiting case of one line of 2
    case = _waiting_case(tenant)
    [line] = _lines(case)
    # when the clerk posts a wrong entry
    response = login(clerk).post(_receive_url(case), make_data(case, warehouse))
    # then the form comes back with the message where it belongs, and nothing changed
    assert response.status_code == 200
    form = response.context["form"]
    key = {"sellable": f"sellable_{line.pk}", "damaged": f"damaged_{line.pk}"}.get(field, field)
    assert message in (form.errors.get(key) if key else form.non_field_errors())
    assert message in response.content.decode()
    _nothing_written(case)


def test_a_refusal_of_the_service_is_shown_on_the_form(tenant, clerk, warehouse, login):
    # given a case still To Confirm, whose form is otherwise filled in correctly
    case = _new_case(tenant)
    # when it is posted
    response = login(clerk).post(_receive_url(case), _post_data(case, warehouse))
    # then the service's reason is the form's error, and nothing was written
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Case {case.number} is To Confirm: Stock-In is not possible now."
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.TO_CONFIRM
    assert not StockMovement.objects.filter(tenant=tenant).exists()


def test_the_receive_page_of_a_case_not_waiting_says_why_and_has_no_form(tenant, clerk, login):
    case = _new_case(tenant)
    response = login(clerk).get(_receive_url(case))
    assert response.status_code == 200
    assert "form" not in response.context
    html = response.content.decode()
    assert f"Case {case.number} is To Confirm: {SET_ASIDE}" in html
    assert f'action="{_receive_url(case)}"' not in html


# --- the service's own refusals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "warehouse_kind", "message"),
    [
        (lambda line: {line.pk: (3, 0)}, "own", "{code}: 3 received is more than the 2 expected."),
        (lambda line: {line.pk: (-1, 1)}, "own", "{code}: quantities cannot be negative."),
        (lambda line: {line.pk: (0, 0)}, "own", "Receive at least one item."),
        (lambda line: {line.pk + 10_000: (1, 0)}, "own", "Receive only the lines of this case."),
        (
            lambda line: {line.pk: (2, 0)},
            "supplier",
            "{warehouse} does not take returns: choose one of your own active warehouses.",
        ),
        (lambda line: {line.pk: (2, 0)}, "other tenant", "That belongs to another account."),
    ],
    ids=["more than expected", "negative", "all zeros", "another case's line", "supplier warehouse", "other tenant"],
)
def test_case_receive_refuses_a_wrong_receipt_and_writes_nothing(received, warehouse_kind, message, tenant, clerk):
    # given a waiting case of one line of 2
    case = _waiting_case(tenant)
    [line] = _lines(case)
    warehouse = {
        "own": lambda: WarehouseFactory(tenant=tenant),
        "supplier": lambda: WarehouseFactory(tenant=tenant, kind=WarehouseKind.SUPPLIER),
        "other tenant": lambda: WarehouseFactory(),
    }[warehouse_kind]()
    # when / then
    with pytest.raises(Refused) as refused:
        case_receive(case=case, actor=clerk, warehouse=warehouse, received=received(line))
    assert str(refused.value) == message.format(code=line.sku.code, warehouse=warehouse.name)
    _nothing_written(case)


# --- who may -----------------------------------------------------------------------------------


def test_a_sub_account_without_return_stock_in_gets_403_and_writes_nothing(tenant, warehouse, login):
    # given an after-sales operator (Manual After-Sales Order only)
    case = _waiting_case(tenant)
    client = login(UserFactory(tenant=tenant, perms=[Perm.MANUAL_AFTERSALES]))
    # when / then
    assert client.get(INDEX).status_code == 403
    assert client.get(INDEX, {"q": case.number}).status_code == 403
    assert client.get(_receive_url(case)).status_code == 403
    assert client.post(_receive_url(case), _post_data(case, warehouse)).status_code == 403
    _nothing_written(case)


def test_the_main_account_may_receive_too(tenant, owner, warehouse, login):
    case = _waiting_case(tenant)
    assert login(owner).post(_receive_url(case), _post_data(case, warehouse)).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN


def test_another_tenants_waiting_case_is_404_and_untouched(tenant, clerk, warehouse, login):
    # given a case of another tenant waiting for its parcel
    theirs = _waiting_case(UserFactory().tenant)
    client = login(clerk)
    # when / then: not found, whatever is posted
    assert client.get(_receive_url(theirs)).status_code == 404
    assert client.post(_receive_url(theirs), _post_data(theirs, warehouse)).status_code == 404
    _nothing_written(theirs)


def test_the_waiting_list_index_covers_the_states_the_list_shows():
    # case_waiting_idx serves the waiting list's pages only while its condition names these states
    index = next(index for index in Case._meta.indexes if index.name == "case_waiting_idx")
    assert index.condition == Q(status__in=list(WAITING_STATES))
