import re

import pytest
from playwright.sync_api import expect

from accounts.permissions import Perm
from tests.browser.waits import loads, swaps
from tests.factories import PASSWORD, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_tab_click_swaps_the_list_in_place_and_back_restores_it(page, log_in, owner):
    # given two active sub-accounts and a disabled one
    for name in ("alice", "bob"):
        UserFactory(tenant=owner.tenant, username=name)
    UserFactory(tenant=owner.tenant, username="carol", is_active=False)
    log_in(owner.username, PASSWORD)
    with loads(page):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    with loads(page):
        page.get_by_role("link", name="Sub-accounts").click()
    panel = page.locator("#subaccount-panel")
    expect(page.get_by_role("tab", name="Active 2")).to_have_attribute("aria-selected", "true")
    page.evaluate("window.__notReloaded = true")  # gone if the browser loads a whole new page

    # when the Disabled tab is clicked
    with swaps(page):
        page.get_by_role("tab", name="Disabled 1").click()

    # then the list is swapped by htmx, the address bar follows, the page was not reloaded
    expect(page).to_have_url(re.compile(r"\?tab=disabled$"))
    expect(panel.get_by_role("link", name="carol")).to_be_visible()
    expect(panel.get_by_role("link", name="alice")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True

    # and the back button brings the Active list back
    page.go_back()
    expect(page.get_by_role("tab", name="Active 2")).to_have_attribute("aria-selected", "true")
    expect(panel.get_by_role("link", name="alice")).to_be_visible()

    # and a reload of a tab's URL shows that tab
    page.goto("/settings/sub-accounts/?tab=disabled")
    expect(page.get_by_role("tab", name="Disabled 1")).to_have_attribute("aria-selected", "true")


def test_main_account_makes_a_role_and_a_restricted_sub_account_who_then_sees_only_its_area(page, log_in, owner):
    StoreFactory(tenant=owner.tenant, name="Shopee MY")
    StoreFactory(tenant=owner.tenant, name="Lazada MY")
    log_in(owner.username, PASSWORD)

    # a role with one permission
    page.goto("/settings/roles/new/")
    page.get_by_label("Name").fill("Refund desk")
    page.get_by_label(Perm.AFTERSALES_REFUND.label).check()
    with loads(page):
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name=re.compile("Refund desk"))).to_contain_text(Perm.AFTERSALES_REFUND.label)

    # a sub-account with that role, restricted to one store
    page.goto("/settings/sub-accounts/new/")
    page.get_by_label("Username").fill("dina")
    page.get_by_label("Email").fill("dina@example.test")
    page.get_by_label("Password").fill("Refunds-2026!")
    page.get_by_label("Role").select_option(label="Refund desk")
    page.get_by_label("All stores").uncheck()
    page.get_by_label("Shopee MY").check()
    with loads(page):
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Sub-account dina created.")
    expect(page.locator("#subaccount-panel")).to_contain_text("Some stores")

    # the sub-account logs in and sees After-Sales Refund, and After-Sales (to create refund orders)
    with loads(page):
        page.get_by_role("button", name="Log out").click()
    log_in("dina@example.test", "Refunds-2026!")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(["Dashboard", "After-Sales", "After-Sales Refund"])
    response = page.goto("/settings/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
