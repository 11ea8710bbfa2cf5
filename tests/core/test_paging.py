"""Keyset pages (core/paging.py): every row once, in the list's order, whichever way the pages are
walked; a bookmarked page keeps its rows; a cursor that does not fit gives the first page."""

import base64
import json
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from core import paging
from core.paging import LAST, page_context
from inventory.models import StockLevel
from orders.models import Order, OrderStatus
from tests.factories import OrderFactory, SKUFactory, TenantFactory, WarehouseFactory

NOW = timezone.now()


def _page(items, query: str = "", *, count=None, per_page=3):
    return page_context(RequestFactory().get(f"/?{query}"), items, count=count, per_page=per_page)["page"]


def _pks(page) -> list[int]:
    return [row.pk for row in page]


def _forward(items, per_page=3) -> list[list[int]]:
    """Every page from the first, by Next."""
    pages = [_page(items, per_page=per_page)]
    while pages[-1].has_next:
        pages.append(_page(items, pages[-1].next_query, per_page=per_page))
    return [_pks(page) for page in pages]


def _backward(items, per_page=3) -> list[list[int]]:
    """Every page from the last, by Previous."""
    pages = [_page(items, f"page={LAST}", per_page=per_page)]
    while pages[-1].has_previous:
        pages.append(_page(items, pages[-1].previous_query, per_page=per_page))
    return [_pks(page) for page in pages]


def _orders(tenant, minutes: list[int]) -> list[Order]:
    return [OrderFactory(tenant=tenant, ordered_at=NOW - timedelta(minutes=m)) for m in minutes]


def _cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.django_db
def test_next_walks_every_row_once_in_the_lists_order_and_previous_walks_back():
    # given 7 orders, newest first in the list (Meta.ordering -ordered_at, -id)
    tenant = TenantFactory()
    _orders(tenant, [5, 1, 7, 3, 2, 6, 4])
    orders = Order.objects.for_tenant(tenant)
    shown = [order.pk for order in orders]
    # when / then
    assert _forward(orders) == [shown[0:3], shown[3:6], shown[6:7]]
    # the last page is the last 3 rows; Previous from it reaches the first page, which is whole
    assert _backward(orders) == [shown[4:7], shown[1:4], shown[0:3]]


@pytest.mark.django_db
def test_next_then_previous_returns_to_the_same_rows():
    tenant = TenantFactory()
    _orders(tenant, range(10))
    orders = Order.objects.for_tenant(tenant)
    second = _page(orders, _page(orders).next_query)
    third = _page(orders, second.next_query)
    assert _pks(_page(orders, third.previous_query)) == _pks(second)


@pytest.mark.django_db
def test_rows_with_the_same_sort_key_are_ordered_by_pk_and_none_is_skipped_or_repeated():
    # given 8 orders placed at the same instant, and 2 others
    tenant = TenantFactory()
    same = [order.pk for order in _orders(tenant, [5] * 8)]
    _orders(tenant, [1, 9])
    orders = Order.objects.for_tenant(tenant)
    # when
    walked = [pk for page in _forward(orders) for pk in page]
    # then: the ties in -id order (the list's tie-breaker), each once
    assert walked == [order.pk for order in orders]
    assert walked[1:9] == sorted(same, reverse=True)
    assert [pk for page in reversed(_backward(orders)) for pk in page][-3:] == walked[-3:]


@pytest.mark.django_db
def test_a_bookmarked_page_shows_the_same_rows_after_new_rows_arrive():
    tenant = TenantFactory()
    _orders(tenant, range(10, 20))
    orders = Order.objects.for_tenant(tenant)
    bookmark = _page(orders).next_query
    before = _pks(_page(orders, bookmark))
    _orders(tenant, [1, 2])  # newer orders: on top of the first page
    assert _pks(_page(orders, bookmark)) == before


@pytest.mark.django_db
def test_the_last_page_shows_the_oldest_rows_and_no_next():
    tenant = TenantFactory()
    oldest = _orders(tenant, [100, 99])
    _orders(tenant, range(10))
    page = _page(Order.objects.for_tenant(tenant), f"page={LAST}")
    assert _pks(page)[-2:] == [oldest[1].pk, oldest[0].pk]
    assert (page.has_previous, page.has_next) == (True, False)


@pytest.mark.django_db
def test_rows_a_to_b_of_n_when_the_count_is_given():
    tenant = TenantFactory()
    _orders(tenant, range(7))
    orders = Order.objects.for_tenant(tenant)
    first = _page(orders, count=7)
    second = _page(orders, first.next_query, count=7)
    last = _page(orders, f"page={LAST}", count=7)
    before_last = _page(orders, last.previous_query, count=7)
    assert [(p.start_index(), p.end_index()) for p in (first, second, last, before_last)] == [
        (1, 3),
        (4, 6),
        (5, 7),
        (2, 4),
    ]
    assert _page(orders).start_index() is None  # no count given: no range shown


@pytest.mark.django_db
def test_an_empty_list_has_one_empty_page():
    orders = Order.objects.for_tenant(TenantFactory())
    for query in ("", f"page={LAST}", f"after={_cursor([NOW.isoformat(), 1, None])}"):
        page = _page(orders, query)
        assert (list(page), page.has_other_pages()) == ([], False), query


@pytest.mark.django_db
def test_exactly_one_page_has_no_other_pages():
    tenant = TenantFactory()
    _orders(tenant, range(3))
    orders = Order.objects.for_tenant(tenant)
    for query in ("", f"page={LAST}"):
        page = _page(orders, query)
        assert len(page) == 3 and not page.has_other_pages(), query


def _bad_cursors() -> dict[str, str]:
    good_time = NOW.isoformat()
    return {
        "not base64": "!!!",
        "not json": base64.urlsafe_b64encode(b"\xff\x00{").decode(),
        "an object": _cursor({"a": 1}),
        "too few values": _cursor([good_time]),
        "too many values": _cursor([good_time, 1, None, 4]),
        "NUL": _cursor(["\x00", 1, None]),
        "NUL in a time": _cursor([good_time + "\x00", 1, None]),
        "a time without its zone": _cursor(["2026-01-01T10:00:00", 1, None]),
        "not a time": _cursor(["yesterday", 1, None]),
        "month 13": _cursor(["2026-13-01T10:00:00+00:00", 1, None]),
        "pk past a bigint": _cursor([good_time, 2**63, None]),
        "pk as text": _cursor([good_time, "1 OR 1=1", None]),
        "null pk": _cursor([good_time, None, None]),
        "nested": _cursor([[good_time], 1, None]),
        "NaN": base64.urlsafe_b64encode(f'["{good_time}", NaN, null]'.encode()).decode(),
        "position 0": _cursor([good_time, 1, 0]),
        "position as text": _cursor([good_time, 1, "9"]),
        "huge": _cursor([good_time, 1, None]) + "A" * 5000,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["after", "before"])
@pytest.mark.parametrize("cursor", _bad_cursors().values(), ids=_bad_cursors().keys())
def test_a_cursor_that_does_not_fit_gives_the_first_page(param, cursor):
    tenant = TenantFactory()
    _orders(tenant, range(7))
    orders = Order.objects.for_tenant(tenant)
    assert _pks(_page(orders, f"{param}={cursor}")) == _pks(_page(orders))


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2", "999999", "-1", "last2", "\x00"])
def test_an_old_page_number_gives_the_first_page(value):
    tenant = TenantFactory()
    _orders(tenant, range(7))
    orders = Order.objects.for_tenant(tenant)
    page = _page(orders, f"page={value}")
    assert _pks(page) == _pks(_page(orders)) and not page.has_previous


@pytest.mark.django_db
def test_a_cursor_past_the_end_gives_the_last_page():
    tenant = TenantFactory()
    _orders(tenant, range(7))
    orders = Order.objects.for_tenant(tenant)
    past = _cursor([(NOW - timedelta(days=1)).isoformat(), 1, None])
    assert _pks(_page(orders, f"after={past}")) == _pks(_page(orders, f"page={LAST}"))


@pytest.mark.django_db
def test_links_keep_the_other_query_parameters_and_drop_the_old_cursor():
    tenant = TenantFactory()
    _orders(tenant, range(7))
    request = RequestFactory().get("/", {"tab": "new", "q": "a b", "page": "3"})
    context = page_context(request, Order.objects.for_tenant(tenant), per_page=3)
    page = context["page"]
    assert context["page_query"] == "tab=new&q=a+b"
    assert page.first_query == "tab=new&q=a+b" and page.last_query == f"tab=new&q=a+b&page={LAST}"
    assert page.next_query.startswith("tab=new&q=a+b&after=") and "page=" not in page.next_query


@pytest.mark.django_db
def test_a_key_with_nulls_pages_like_the_list_both_ways():
    # given canceled orders, some stocked in (newest first after those still to stock in, nulls first)
    from orders.selectors import canceled_orders
    from tests.factories import UserFactory

    tenant = TenantFactory()
    for n in range(8):
        stocked = NOW - timedelta(hours=n % 3) if n % 2 else None
        OrderFactory(
            tenant=tenant,
            status=OrderStatus.CANCELLED,
            cancelled_at=NOW - timedelta(hours=n % 4),
            cancel_stocked_in_at=stocked,
        )
    orders = canceled_orders(tenant=tenant, user=UserFactory(tenant=tenant, owner=True))
    shown = [order.pk for order in orders]
    # when / then
    assert [pk for page in _forward(orders) for pk in page] == shown
    assert [pk for page in reversed(_backward(orders)) for pk in page][-2:] == shown[-2:]
    assert _backward(orders)[0] == shown[-3:]


@pytest.mark.django_db
def test_a_key_on_a_related_table_pages_like_the_list():
    # given stock levels ordered by their SKU's code, then warehouse name, condition and pk
    from inventory.selectors import stock_levels

    tenant = TenantFactory()
    skus = [SKUFactory(tenant=tenant, code=code) for code in ("B", "A", "C")]
    warehouses = [WarehouseFactory(tenant=tenant, name=name) for name in ("KL", "JKT")]
    for sku in skus:
        for warehouse in warehouses:
            StockLevel.objects.create(tenant=tenant, sku=sku, warehouse=warehouse, on_hand=1)
    levels = stock_levels(tenant=tenant, params={})
    shown = [level.pk for level in levels]
    assert [pk for page in _forward(levels, per_page=4) for pk in page] == shown
    assert _backward(levels, per_page=4) == [shown[2:6], shown[0:4]]


def test_the_pk_is_the_last_key_and_nothing_after_it_counts():
    assert [key.path for key in paging.order_keys(Order.objects.all())] == ["ordered_at", "id"]
    assert [key.path for key in paging.order_keys(Order.objects.order_by("number"))] == ["number", "pk"]
    assert [key.path for key in paging.order_keys(Order.objects.order_by("-pk", "number"))] == ["pk"]


@pytest.mark.django_db
def test_a_place_that_drifted_off_the_list_keeps_the_rows_and_drops_the_range():
    # given a bookmark made when the page was said to start at row 2; the rows before it went away
    tenant = TenantFactory()
    orders = _orders(tenant, range(7))
    queryset = Order.objects.for_tenant(tenant)
    third = orders[3]
    bookmark = f"before={_cursor([third.ordered_at.isoformat(), third.pk, 2])}"
    # when
    page = _page(queryset, bookmark, count=7)
    back = _page(queryset, page.previous_query, count=7)
    # then the rows before the cursor, no made-up range, and Previous still works
    assert _pks(page) == [o.pk for o in orders[0:3]] and page.start_index() is None
    previous = paging.decode(page.previous_query.split("before=")[1], paging.order_keys(queryset))
    assert previous is not None and previous.position is None
    assert _pks(back) == _pks(page)
