"""Picking a SKU in a SKU picker as a seller does: type part of its code or name, wait for the
options the server sends, then take the one with the code using the keyboard."""

from playwright.sync_api import Locator, expect


def pick_sku(field: Locator, typed: str, code: str) -> Locator:
    """Type `typed` into the picker `field`, arrow down to the option `code`, press Enter; returns
    that option as it was shown (before the list closed)."""
    field.fill(typed)
    options = field.page.locator(f"#{field.get_attribute('id')}-options")
    option = options.locator(f"[data-code='{code}']")
    expect(option).to_be_visible()
    shown = option.inner_text()
    codes = options.locator("[data-code]").evaluate_all("(all) => all.map((o) => o.dataset.code)")
    for _ in range(codes.index(code) + 1):
        field.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    field.press("Enter")
    expect(field).to_have_value(code)
    return shown
