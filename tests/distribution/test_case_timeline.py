"""The distributor's case page tells the supplier's side of its return: each step of its Return &
Stock-in - Distribution record in the case's timeline, in time order, never naming the supplier's users."""

import re

import pytest
from django.db.models import F
from django.urls import reverse

from aftersales.services import case_cancel
from distribution.models import StockOut
from distribution.services.bigshop import supplier_return_receive
from distribution.services.refunds import distributor_refund_create
from tests.distribution.helpers import make_bridge, pushed_return
from tests.factories import UserFactory, make_case, shipped_order

pytestmark = pytest.mark.django_db


def _timeline(page: str) -> list[str]:
    """The timeline's rows as the user reads them, tags and spaces squeezed out."""
    block = page.split('id="case-timeline"', 1)[1].split("</ol>", 1)[0]
    rows = block.split("<li")[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def _received(supplier_return, clerk) -> None:
    received = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
    supplier_return_receive(
        supplier_return=supplier_return, actor=clerk, warehouse=supplier_return.warehouse, received=received
    )
    supplier_return.refresh_from_db()


def _refunded(supplier_return, clerk) -> None:
    StockOut.objects.filter(pk=supplier_return.stock_out_id).update(settled_amount=F("amount"))  # paid for
    distributor_refund_create(supplier_return=supplier_return, actor=clerk, method="customer_balance")


def test_the_case_timeline_shows_each_step_of_the_supplier_in_time_order_without_its_users(login):
    bridge = make_bridge()
    clerk = UserFactory(
        tenant=bridge.supplier.tenant,
        username="supplier-clerk-ana",
        perms=["accounts.return_stockin", "accounts.aftersales_refund"],
    )
    push, supplier_return = pushed_return(bridge)
    _received(supplier_return, clerk)
    _refunded(supplier_return, clerk)
    page = login(bridge.distributor).get(reverse("aftersales:detail", args=[push.case_id])).content.decode()
    rows = _timeline(page)
    steps = [
        "Created",
        "Added to To Push",
        "Pushed to the supplier",
        "Received by the supplier",
        "Refund order created",
    ]
    found = [next(i for i, row in enumerate(rows) if step in row) for step in steps]
    assert found == sorted(found), rows
    pushed = next(row for row in rows if "Pushed to the supplier" in row)
    assert supplier_return.number in pushed and bridge.distributor.username in pushed  # its note, its user
    received = next(row for row in rows if "Received by the supplier" in row)
    assert "stocked in" in received and "supplier" in received
    assert "Customer Balance" in next(row for row in rows if "Refund order created" in row)
    assert "supplier-clerk-ana" not in page and bridge.supplier.username not in page
    link = page.split('data-testid="case-link"', 1)[1].split("</div>", 1)[0]
    assert reverse("distribution:push-detail", args=[push.pk]) in link and "Pushed" in link


def test_a_refused_recall_is_on_the_case_timeline(login):
    bridge = make_bridge()
    push, supplier_return = pushed_return(bridge)
    received = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=supplier_return.warehouse, received=received
    )
    case_cancel(case=push.case, actor=bridge.distributor, reason="Buyer kept it")
    rows = _timeline(login(bridge.distributor).get(reverse("aftersales:detail", args=[push.case_id])).content.decode())
    refused = next(row for row in rows if "Recall refused" in row)
    assert "it cannot be recalled" in refused


def test_the_link_to_the_record_needs_the_distribution_permission_and_other_cases_have_none(login):
    bridge = make_bridge()
    push, _ = pushed_return(bridge)
    clerk = UserFactory(tenant=bridge.distributor.tenant, perms=["accounts.manual_aftersales"])
    page = login(clerk).get(reverse("aftersales:detail", args=[push.case_id])).content.decode()
    assert "Pushed to the supplier" in page and "Return &amp; Stock-in - Distribution" in page
    assert reverse("distribution:push-detail", args=[push.pk]) not in page
    plain = make_case(order=shipped_order(tenant=bridge.distributor.tenant), actor=bridge.distributor)
    page = login(bridge.distributor).get(reverse("aftersales:detail", args=[plain.pk])).content.decode()
    assert 'data-testid="case-link"' not in page


def test_the_case_page_reads_the_supplier_steps_in_a_fixed_number_of_queries(login):
    bridge = make_bridge()
    push, supplier_return = pushed_return(bridge)
    _received(supplier_return, bridge.supplier)  # the case in Received Return, its actions fixed
    client = login(bridge.distributor)
    url = reverse("aftersales:detail", args=[push.case_id])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _refunded(supplier_return, bridge.supplier)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)  # more steps, no more queries
