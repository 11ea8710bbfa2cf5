"""Under the Content-Security-Policy: the confirmations of irreversible buttons and htmx still
work from static files, and the browser reports no violation."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from aftersales.services import case_confirm
from tests.browser.waits import loads, swaps
from tests.factories import PASSWORD, make_case, shipped_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_confirmations_and_htmx_work_with_no_policy_violation(page, log_in, owner):
    violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    page.on("pageerror", lambda error: violations.append(str(error)))
    returned = make_case(
        order=shipped_order(tenant=owner.tenant, number="SHP-CSP-1"), actor=owner, return_tracking_number="SPXCSP-1"
    )
    refund_only = make_case(
        order=shipped_order(tenant=owner.tenant, lines=((Decimal("14.70"), 1),)), actor=owner, type="refund_only"
    )
    case_confirm(case=refund_only, actor=owner)
    log_in(owner.username, PASSWORD)

    # Cancel on the confirmation leaves the case as it was
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.goto(f"/after-sales/{returned.pk}/")
    page.get_by_role("button", name="Confirm After-Sales", exact=True).click()
    expect(page.get_by_test_id("case-status")).to_have_text("To Confirm")
    assert asked == [f"Confirm After-Sales on the Return & Refund case {returned.number} (RM\xa050.00)?"]
    # OK goes through
    page.once("dialog", lambda dialog: dialog.accept())
    with loads(page):
        page.get_by_role("button", name="Confirm After-Sales", exact=True).click()
    expect(page.get_by_test_id("case-status")).to_have_text("Confirm Return")

    # the scanner page: htmx swaps the match in and pushes the URL; the field selects its text
    page.goto("/stock/")
    scan = page.get_by_label("Tracking number, case number or order number")
    scan.fill("SPXCSP-1")
    with swaps(page):
        scan.press("Enter")
    expect(page.locator(f"#case-{returned.pk}")).to_be_visible()
    expect(page).to_have_url("/stock/?q=SPXCSP-1")
    page.reload()
    expect(scan).to_be_focused()
    assert page.evaluate("() => [document.activeElement.selectionStart, document.activeElement.selectionEnd]") == [
        0,
        len("SPXCSP-1"),
    ]

    # the refund confirmation reads the amount typed in the form
    page.goto(f"/refunds/new/{refund_only.pk}/")
    page.locator("[name=amount]").fill("12.30")
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Create Refund Order").click()
    expect(page.get_by_role("button", name="Create Refund Order")).to_be_visible()
    assert asked[-1].startswith("Create a refund order of 12.30 MYR on the Refund-Only case")
    assert refund_only.refunds.count() == 0

    assert violations == []


def test_the_admin_works_under_the_policy(page):
    from accounts.models import User

    User.objects.create_superuser(username="root", email="root@example.com", password=PASSWORD)
    violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    with loads(page):
        page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/admin/")
    page.goto("/admin/inventory/warehouse/add/")
    expect(page.locator("#warehouse_form")).to_be_visible()
    page.goto("/admin/aftersales/case/")
    expect(page.locator("#changelist")).to_be_visible()
    assert violations == []
