"""Hostile input is ignored by the filters and refused by the forms with a message, never a 500.

The table holds the patterns of issue 8's fuzz (a NUL byte in a search box or filter, digits no
one types in a filter, quantities past what their column holds), one row per page that made a 500.
"""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from aftersales.filters import CaseFilter
from channels.models import Store
from core import filters
from core.forms import StyledForm
from core.limits import MAX_INTEGER
from orders.models import Order, OrderItem, OrderStatus
from tests.factories import OrderItemFactory, SKUFactory, StoreFactory, WarehouseFactory, shipped_order

# -- the fields every filter reads with (core/filters.py) ----------------------------------------


def _cleaned(field, raw):
    """What a filter applies for `raw`: the field's value, or None when the value is not a valid one."""
    try:
        return field.clean(raw)
    except ValidationError:
        return None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("12", 12),
        ("0012", 12),
        ("²", None),  # superscript two: str.isdigit() says yes, int() says no
        ("٣", None),  # Arabic-Indic three: int() reads 3; no filter link sends it
        ("\uff11\uff12", None),  # full-width 12
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1\n", None),
        ("1e999", None),
        ("1.0", None),
        ("\x00", None),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),  # past a bigint primary key
        ("9" * 5000, None),
    ],
)
def test_an_id_is_only_ascii_digits_in_range(raw, expected):
    assert filters.parse_int(raw) == expected


def test_integer_bounds():
    assert filters.parse_int("0", min_value=1) is None
    assert filters.parse_int("101", max_value=100) is None
    assert filters.parse_int(None) is None


@pytest.mark.parametrize("raw", ["²", "٣", "-1", " 1", "1.0", "\x00", str(2**63), "9" * 5000])
def test_a_row_choice_refuses_what_is_not_a_plain_id_before_any_query(raw, db, django_assert_num_queries):
    field = filters.RowChoiceField(queryset=Store.objects.all(), required=False)
    with django_assert_num_queries(0):
        assert _cleaned(field, raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-02-28", date(2026, 2, 28)),
        ("2026-02-30", None),  # well-formed, impossible
        ("2026-13-01", None),
        ("0000-01-01", None),
        ("99999-01-01", None),
        ("2026-1-1", None),  # a date input always sends two digits
        ("2026-02-28\n", None),
        ("\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661", None),  # 2026-01-01 in Arabic-Indic digits
        ("2026-02-28T10:00", None),
        ("28/02/2026", None),  # one format everywhere: what <input type="date"> sends
        ("02/28/2026", None),
        ("\x00", None),
        ("", None),
    ],
)
def test_a_day_is_only_a_real_iso_date(raw, expected):
    assert _cleaned(filters.DayField(required=False), raw) == expected


def test_a_day_field_is_a_date_input_showing_iso():
    html = str(filters.DayField().widget.render("from", date(2026, 2, 8)))
    assert 'type="date"' in html and 'value="2026-02-08"' in html


def test_a_search_drops_control_characters_trims_and_cuts():
    field = filters.SearchField(required=False)
    assert field.clean(" ORD\x00123\x1b\x7f\x85 ") == "ORD123"
    assert field.clean("x" * 5000) == "x" * filters.SEARCH_LENGTH
    assert field.clean("") == ""


def test_a_choice_keeps_only_known_values(owner):
    def applied(query: str) -> dict:
        return CaseFilter(QueryDict(query), tenant=owner.tenant, user=owner).applied

    assert applied("channel=shopee") == {"channel": "shopee"}
    assert applied("channel=shopee%00&type=nope") == {}


class Sample(StyledForm, forms.Form):
    name = forms.CharField()
    notes = forms.CharField(widget=forms.Textarea, required=False)
    amount = forms.DecimalField(max_digits=12, decimal_places=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"] = forms.IntegerField(required=False)  # added after StyledForm's __init__


def test_styled_forms_refuse_what_the_columns_cannot_hold_with_a_message():
    form = Sample({"name": "a\x1bb", "notes": "line\r\n\tline\x07", "amount": "10000000000", "quantity": "2147483648"})
    assert not form.is_valid()
    assert form.errors == {
        "name": ["Remove the control characters from this text."],
        "notes": ["Remove the control characters from this text."],
        "amount": ["Too large: at most 9,999,999,999.99."],
        "quantity": [f"Too large: at most {MAX_INTEGER:,}."],
    }


def test_styled_forms_keep_line_breaks_in_a_text_area_and_the_largest_values():
    form = Sample({"name": "ok", "notes": "line\r\n\tline", "amount": "9999999999.99", "quantity": str(MAX_INTEGER)})
    assert form.is_valid(), form.errors


# -- the patterns that made 500s ----------------------------------------------------------------

# (url name, query): a NUL in each search box and text filter, and each id filter given "²".
GET_PATTERNS = [
    ("orders:index", {"q": "ORD\x00"}),
    ("orders:index", {"channel": "shopee\x00"}),
    ("orders:index", {"store": "²"}),
    ("aftersales:index", {"q": "\x00"}),
    ("aftersales:index", {"store": "²"}),
    ("aftersales:create", {"q": "\x00"}),
    ("aftersales:create", {"order": "²"}),
    ("refunds:index", {"q": "RF\x00"}),
    ("inventory:index", {"q": "\x00"}),
    ("inventory:stock", {"q": "\x00"}),
    ("inventory:stock", {"warehouse": "²"}),
    ("settings:subaccount-list", {"q": "\x00"}),
]


@pytest.mark.parametrize(("page", "query"), GET_PATTERNS, ids=[f"{n}-{q}" for n, q in GET_PATTERNS])
def test_a_hostile_filter_is_ignored(page, query, owner, login):
    # given the main account, and a case to find
    client = login(owner)
    # when a filter gets a value no form sends
    response = client.get(reverse(page), query)
    # then the page shows, the filter not applied
    assert response.status_code == 200


def test_store_filter_still_filters(owner, login):
    store = StoreFactory(tenant=owner.tenant)
    mine = OrderItemFactory(order__tenant=owner.tenant, order__store=store).order
    other = OrderItemFactory(order__tenant=owner.tenant).order
    shown = login(owner).get(reverse("orders:index"), {"store": str(store.pk)}).content.decode()
    assert mine.number in shown and other.number not in shown
    assert f'<option value="{store.pk}" selected>' in shown  # and the filter shows what it applies


def _waiting_item(owner) -> OrderItem:
    """The line of a manual order waiting to approve."""
    waiting = OrderStatus.WAITING_APPROVAL
    return OrderItemFactory(order__tenant=owner.tenant, order__status=waiting, order__is_manual=True)


def test_a_quantity_past_the_column_is_refused_on_order_entry_edit(owner, login):
    # given the line of a manual order waiting to approve
    item = _waiting_item(owner)
    # when a quantity past what the column holds is typed
    response = login(owner).post(
        reverse("orders:entry-edit", kwargs={"order_id": item.order_id}),
        {f"qty_{item.pk}": "2147483648", f"price_{item.pk}": "1.00", "tracking_number": ""},
    )
    # then the form says so beside the quantity, and nothing changed
    assert response.status_code == 200
    assert f"qty_{item.pk}" in response.context["form"].errors
    item.refresh_from_db()
    assert item.quantity == 1


def _entry(owner, **line) -> dict:
    store, warehouse = StoreFactory(tenant=owner.tenant), WarehouseFactory(tenant=owner.tenant)
    sku = SKUFactory(tenant=owner.tenant)
    return {"store": store.pk, "warehouse": warehouse.pk, "buyer": "", "sku_0": sku.code, **line}


def test_a_quantity_past_the_column_is_refused_on_order_entry_create(owner, login):
    response = login(owner).post(reverse("orders:entry-create"), _entry(owner, qty_0="2147483648", price_0="1.00"))
    assert response.status_code == 200
    assert "qty_0" in response.context["form"].errors
    assert not Order.objects.filter(tenant=owner.tenant).exists()


def test_a_quantity_past_the_column_is_refused_on_a_case(owner, login):
    # given a shipped order, and a SKU added at a quantity past what the column holds
    order = shipped_order(tenant=owner.tenant)
    sku = SKUFactory(tenant=owner.tenant)
    item = order.items.get()
    response = login(owner).post(
        f"{reverse('aftersales:create')}?order={order.pk}",
        {"type": "return_refund", f"item_{item.pk}_on": "on", f"item_{item.pk}_qty": "1", "add_0_sku": sku.pk}
        | {"add_0_qty": "2147483648"},
    )
    assert response.status_code == 200
    assert "add_0_qty" in response.context["form"].errors
    assert not order.cases.exists()


def test_an_order_total_past_the_column_is_refused_on_order_entry_create(owner, login):
    # each figure fits its column, their product does not
    data = _entry(owner, qty_0="10000", price_0="9999999999.99")
    response = login(owner).post(reverse("orders:entry-create"), data)
    assert response.status_code == 200
    assert "the largest an order can hold" in response.content.decode()
    assert not OrderItem.objects.filter(tenant=owner.tenant).exists()


def test_an_order_total_past_the_column_is_refused_on_order_entry_edit(owner, login):
    item = _waiting_item(owner)
    response = login(owner).post(
        reverse("orders:entry-edit", kwargs={"order_id": item.order_id}),
        {f"qty_{item.pk}": "10000", f"price_{item.pk}": "9999999999.99", "tracking_number": ""},
    )
    assert response.status_code == 200
    assert "the largest an order can hold" in response.content.decode()
    item.refresh_from_db()
    assert (item.quantity, item.unit_price) == (1, Decimal("25.00"))


def test_an_exchange_total_past_the_column_is_refused_on_a_case(owner, login):
    # given a shipped order, and an exchange SKU priced 9,999,999,999.99 at a large quantity
    order = shipped_order(tenant=owner.tenant)
    sku = SKUFactory(tenant=owner.tenant, wholesale_price=Decimal("9999999999.99"))
    item = order.items.get()
    response = login(owner).post(
        f"{reverse('aftersales:create')}?order={order.pk}",
        {"type": "exchange", f"item_{item.pk}_on": "on", f"item_{item.pk}_qty": "1", "ex_0_sku": sku.code}
        | {"ex_0_qty": "1000"},
    )
    assert response.status_code == 200
    assert "a line can hold" in str(response.context["form"].errors["ex_0_qty"])
    assert not order.cases.exists()
