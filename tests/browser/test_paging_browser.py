"""The case list's pager in a browser: Next, Last, Previous and First swap the panel, push a URL that
reloads to the same rows, and disable the ends the page is at."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftersales.models import Case
from core.paging import PAGE_SIZE
from orders.models import OrderStatus
from tests.browser.waits import loads, swaps
from tests.factories import PASSWORD, OrderFactory, StoreFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = PAGE_SIZE * 2 + 20
DASH = "\N{EN DASH}"


def _cases(tenant, n: int) -> list[str]:
    """n cases To Confirm, newest first, one minute apart; their numbers."""
    store, now = StoreFactory(tenant=tenant), timezone.now()
    orders = [OrderFactory(tenant=tenant, store=store, status=OrderStatus.SHIPPED) for _ in range(n)]
    cases = Case.objects.bulk_create(
        Case(tenant=tenant, number=f"AS{i:05d}", store=store, order=order, type="refund_only", currency="MYR")
        for i, order in enumerate(orders)
    )
    for i, case in enumerate(cases):
        case.created_at = now - timedelta(minutes=i)
    Case.objects.bulk_update(cases, ["created_at"])
    return [case.number for case in cases]


def test_next_last_previous_and_first_on_the_case_list(page, log_in, owner):
    numbers = _cases(owner.tenant, ROWS)
    log_in(owner.username, PASSWORD)
    with loads(page):
        page.goto("/after-sales/")
    pager = page.get_by_role("navigation", name="Pages")
    rows = page.locator("#case-panel tbody tr")
    expect(pager).to_contain_text(f"Rows 1{DASH}{PAGE_SIZE} of {ROWS} cases")
    expect(pager.get_by_text("Previous")).not_to_have_attribute("href", re.compile("."))
    expect(rows.first).to_contain_text(numbers[0])

    with swaps(page):
        pager.get_by_role("link", name="Next").click()
    expect(pager).to_contain_text(f"Rows {PAGE_SIZE + 1}{DASH}{2 * PAGE_SIZE} of {ROWS}")
    expect(rows.first).to_contain_text(numbers[PAGE_SIZE])
    expect(page).to_have_url(re.compile(r"after="))

    with swaps(page):
        pager.get_by_role("link", name="Last").click()
    expect(pager).to_contain_text(f"Rows {ROWS - PAGE_SIZE + 1}{DASH}{ROWS} of {ROWS}")
    expect(rows.last).to_contain_text(numbers[-1])  # the oldest case ends the last page
    expect(pager.get_by_text("Next")).not_to_have_attribute("href", re.compile("."))
    expect(page).to_have_url(re.compile(r"page=last"))

    with swaps(page):
        pager.get_by_role("link", name="Previous").click()
    shown = ROWS - 2 * PAGE_SIZE
    expect(pager).to_contain_text(f"Rows {shown + 1}{DASH}{shown + PAGE_SIZE} of {ROWS}")
    expect(rows.first).to_contain_text(numbers[shown])

    # the pushed URL is a bookmark: a reload shows the same rows
    with loads(page):
        page.reload()
    expect(rows.first).to_contain_text(numbers[shown])

    with swaps(page):
        page.get_by_role("navigation", name="Pages").get_by_role("link", name="First").click()
    expect(pager).to_contain_text(f"Rows 1{DASH}{PAGE_SIZE} of {ROWS}")
    expect(rows.first).to_contain_text(numbers[0])
