"""Every tabbed list ends with an All tab; a list with a bulk action offers its bar only on rows.

The All tab shows the rows of every other tab, counts their sum (no extra query), keeps the search
and filters, and an unknown tab is still a 404. The bulk bar and its select-all box are rendered
only on a page with rows (app.js then shows the bar once a row is selected; tests/browser/).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.permissions import Perm
from aftersales import services as case_services
from aftersales.models import CaseStatus, CaseType
from orders.models import OrderStatus
from orders.services import cancel_request_answer
from refunds.services import refund_confirm, refund_reject
from tests.factories import CancelRequestFactory, OrderFactory, UserFactory, make_case, make_refund, shipped_order

pytestmark = pytest.mark.django_db


def _tabs(response) -> dict[str, int]:
    """The tab strip as the user reads it: label -> live count, in order."""
    return {tab.label: tab.count for tab in response.context["tabs"]}


def _active(response) -> str:
    return next(tab.key for tab in response.context["tabs"] if tab.active)


def _rows(html: str, entity: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'<tr id="{entity}-(\d+)"', html)}


def _queries(client, url: str, params: dict) -> int:
    client.get(url, params)  # warm the session and the permission cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


# --- After-sales cases ------------------------------------------------------------------------------


def _case(owner):
    return make_case(order=shipped_order(tenant=owner.tenant), actor=owner)


def _cases(owner):
    """A case in To Confirm, one in Confirm Refund and one Cancelled; and another tenant's case."""
    waiting, cancelled = _case(owner), _case(owner)
    confirmed = make_case(order=shipped_order(tenant=owner.tenant), actor=owner, type=CaseType.REFUND_ONLY)
    case_services.case_confirm(case=confirmed, actor=owner)
    case_services.case_cancel(case=cancelled, actor=owner, reason="Buyer changed their mind")
    make_case()
    return waiting, confirmed, cancelled


def test_the_case_list_all_tab_lists_every_case_with_its_status_and_counts_the_sum(owner, login):
    waiting, confirmed, cancelled = _cases(owner)
    client = login(owner)
    # when the seller opens All
    response = client.get(reverse("aftersales:index"), {"tab": "all"})
    html = response.content.decode()
    # then All is the last tab, counts every case of the tenant, and lists them with their status
    counts = _tabs(response)
    assert list(counts)[-1] == "All" and _active(response) == "all"
    assert counts["All"] == sum(list(counts.values())[:-1]) == 3
    assert counts["To Confirm"] == counts["Confirm Refund"] == counts["Cancelled"] == 1
    assert _rows(html, "case") == {waiting.pk, confirmed.pk, cancelled.pk}
    for case, label in ((waiting, "To Confirm"), (confirmed, "Confirm Refund"), (cancelled, "Cancelled")):
        row = html.split(f'<tr id="case-{case.pk}"')[1].split("</tr>")[0]
        assert label in row
    # and it has no bulk bar: Confirm After-Sales is To Confirm's
    assert "data-bulk-bar" not in html and "data-select-all" not in html


def test_search_and_filters_work_inside_the_case_all_tab(owner, login):
    waiting, confirmed, cancelled = _cases(owner)
    client = login(owner)
    found = client.get(reverse("aftersales:index"), {"tab": "all", "q": confirmed.order.number})
    assert _active(found) == "all" and [c.pk for c in found.context["page"]] == [confirmed.pk]
    assert _tabs(found)["All"] == _tabs(found)["Confirm Refund"] == 1
    by_type = client.get(reverse("aftersales:index"), {"tab": "all", "type": CaseType.RETURN_REFUND})
    assert {c.pk for c in by_type.context["page"]} == {waiting.pk, cancelled.pk}
    assert _tabs(by_type)["All"] == 2
    # the tab links and the search form keep the search on All
    assert 'href="?tab=all&amp;type=return_refund"' in by_type.content.decode()
    assert 'name="tab" value="all"' in by_type.content.decode()


def test_the_all_tab_costs_no_query_more_than_a_status_tab(owner, login):
    _cases(owner)
    client = login(owner)
    url = reverse("aftersales:index")
    assert _queries(client, url, {"tab": "all"}) == _queries(client, url, {"tab": CaseStatus.CANCELLED})


@pytest.mark.parametrize(
    "url_name",
    ["aftersales:index", "refunds:index", "orders:index", "orders:cancel-requests", "settings:subaccount-list"],
)
def test_a_tab_that_is_not_one_is_still_404(owner, login, url_name):
    client = login(owner)
    assert client.get(reverse(url_name), {"tab": "everything"}).status_code == 404
    assert client.get(reverse(url_name), {"tab": "all"}).status_code == 200


def test_confirm_after_sales_bar_is_on_a_to_confirm_page_with_rows_only(owner, login):
    client = login(owner)
    url = reverse("aftersales:index")
    # an empty To Confirm has no bar and no select-all box
    empty = client.get(url, {"tab": CaseStatus.TO_CONFIRM}).content.decode()
    assert "Confirm After-Sales" not in empty and "data-select-all" not in empty
    # with a case waiting, the bar (hidden until a row is selected, by app.js) and the box are there
    waiting = _case(owner)
    html = client.get(url, {"tab": CaseStatus.TO_CONFIRM}).content.decode()
    assert 'data-bulk-bar="case"' in html and 'data-select-all="case"' in html
    assert f'name="case" value="{waiting.pk}"' in html
    # a user who may not confirm gets neither the bar nor checkboxes to tick for nothing
    finance = login(UserFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND, Perm.MANUAL_AFTERSALES]))
    assert 'data-bulk-bar="case"' in finance.get(url).content.decode()
    viewer = login(UserFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND]))
    seen = viewer.get(url).content.decode()
    assert f'id="case-{waiting.pk}"' in seen
    assert "data-bulk-bar" not in seen and 'name="case"' not in seen


# --- After-Sales Refund -----------------------------------------------------------------------------


def test_the_refund_all_tab_lists_the_decided_and_processing_slips_not_the_voided(owner, finance, login):
    processing = make_refund(case=_case(owner))
    confirmed = refund_confirm(refund=make_refund(case=_case(owner)), actor=owner)
    rejected = refund_reject(refund=make_refund(case=_case(owner)), actor=owner, reason="Account closed")
    voided = make_refund(case=_case(owner))
    case_services.case_cancel(case=voided.case, actor=owner, reason="Buyer kept the parcel")
    make_refund()  # another tenant's
    client = login(finance)
    response = client.get(reverse("refunds:index"), {"tab": "all"})
    assert _tabs(response) == {"Refund Processing": 1, "Confirmed": 1, "Rejected": 1, "All": 3}
    assert _rows(response.content.decode(), "refund") == {processing.pk, confirmed.pk, rejected.pk}
    # a search inside All finds a slip whatever its state, and stays on All
    found = client.get(reverse("refunds:index"), {"tab": "all", "q": rejected.case.number})
    assert _active(found) == "all" and _rows(found.content.decode(), "refund") == {rejected.pk}
    assert _tabs(found)["All"] == 1


# --- Orders -----------------------------------------------------------------------------------------


def test_the_order_all_tab_lists_every_tab_s_orders_not_those_waiting_in_order_entry(login):
    new = OrderFactory(status=OrderStatus.NEW)
    tenant = new.tenant
    shipped = OrderFactory(tenant=tenant, status=OrderStatus.SHIPPED)
    cancelled = OrderFactory(tenant=tenant, status=OrderStatus.CANCELLED)
    OrderFactory(tenant=tenant, status=OrderStatus.WAITING_APPROVAL)  # Order Entry's, in no tab
    OrderFactory(status=OrderStatus.NEW)  # another tenant's
    client = login(UserFactory(tenant=tenant, owner=True))
    response = client.get(reverse("orders:index"), {"tab": "all"})
    counts = _tabs(response)
    assert list(counts)[-1] == "All" and counts["All"] == sum(list(counts.values())[:-1]) == 3
    assert _rows(response.content.decode(), "order") == {new.pk, shipped.pk, cancelled.pk}
    # a search sent from All stays on All, which holds the match
    searched = client.get(reverse("orders:index"), {"tab": "all", "q": shipped.number, "search": "1"})
    assert searched.status_code == 302 and "tab=all" in searched.url
    found = client.get(searched.url)
    assert _rows(found.content.decode(), "order") == {shipped.pk} and _tabs(found)["All"] == 1


# --- Canceled Orders --------------------------------------------------------------------------------


def test_an_empty_canceled_list_has_no_stock_in_bar(login, owner):
    html = login(owner).get(reverse("orders:canceled")).content.decode()
    assert "No canceled order." in html
    assert "Canceled Orders Stock In" not in html and "data-select-all" not in html


# --- Processing Orders > Cancel Order -----------------------------------------------------------------


def test_cancel_requests_have_status_tabs_ending_with_all(login):
    pending = CancelRequestFactory(order__platform_status="To Process")
    tenant = pending.tenant
    agreed = CancelRequestFactory(order__tenant=tenant, order__platform_status="To Process")
    rejected = CancelRequestFactory(order__tenant=tenant, order__platform_status="To Process")
    CancelRequestFactory()  # another tenant's
    owner = UserFactory(tenant=tenant, owner=True)
    cancel_request_answer(request=agreed, actor=owner, agree=True)
    cancel_request_answer(request=rejected, actor=owner, agree=False)
    client = login(owner)
    url = reverse("orders:cancel-requests")
    # the first tab is the work: the pending request, with its Agree and Reject
    first = client.get(url)
    assert _tabs(first) == {"Pending": 1, "Agreed": 1, "Rejected": 1, "All": 3}
    assert _rows(first.content.decode(), "cancel-request") == {pending.pk}
    assert first.content.decode().count(">Agree</button>") == 1
    # All lists every request, the answered ones with their answer and who gave it, not their buttons
    every = client.get(url, {"tab": "all"})
    html = every.content.decode()
    assert _rows(html, "cancel-request") == {pending.pk, agreed.pk, rejected.pk}
    row = html.split(f'<tr id="cancel-request-{agreed.pk}"')[1].split("</tr>")[0]
    assert "Agreed" in row and owner.username in row and "Agree</button>" not in row
    assert (
        client.get(url, {"tab": "agreed"}, HTTP_HX_REQUEST="true")
        .content.decode()
        .lstrip()
        .startswith('<div id="cancel-request-panel">')
    )
    assert client.get(url, {"tab": "withdrawn"}).status_code == 404
