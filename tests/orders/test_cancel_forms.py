"""The cancel pages as a seller uses them: whole order or chosen items said explicitly, errors beside
their fields, the third-party warehouse warning before Agree, a search landing on its tab."""

import html
import re

import pytest
from django.urls import reverse

from channels.models import Channel, OutboundAction, OutboundKind
from core.errors import Refused
from inventory.models import WarehouseKind
from orders.cancellation import shipped_by_third_party
from orders.models import Order, OrderStatus
from tests.factories import CancelRequestFactory, OrderItemFactory, StoreFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def _lazada_order(number="LZ-1"):
    store = StoreFactory(channel=Channel.LAZADA)
    first = OrderItemFactory(
        order__tenant=store.tenant,
        order__store=store,
        order__number=number,
        order__platform_status="Packed",
        quantity=2,
    )
    second = OrderItemFactory(order=first.order, quantity=3)
    return first.order, first, second


def _submit_button(page: str) -> tuple[str, str]:
    """(text, data-confirm) of the cancel form's submit button."""
    match = re.search(
        r'<button class="btn btn-danger" type="submit" data-confirm="([^"]*)"[^>]*>([^<]*)</button>', page
    )
    assert match, "no submit button"
    return html.unescape(match.group(2)), html.unescape(match.group(1))


def _items_error(page: str) -> str:
    """The error shown under the quantities (inside #cancel-items)."""
    block = page.split('id="cancel-items"', 1)[1].split("</fieldset>", 1)[0]
    match = re.search(r'<div class="invalid-feedback d-block" data-testid="items-error">([^<]*)</div>', block)
    return html.unescape(match.group(1)) if match else ""


def test_lazada_all_quantities_at_zero_with_chosen_items_is_refused_beside_the_quantities(login):
    order, first, second = _lazada_order()
    client = login(UserFactory(tenant=order.tenant, owner=True))
    response = client.post(
        reverse("orders:cancel", args=[order.pk]),
        {"reason": "Out of Stock", "scope": "items", f"qty_{first.pk}": 0, f"qty_{second.pk}": 0},
    )
    assert response.status_code == 200
    assert _items_error(response.content.decode()).startswith("Give at least one item a quantity to cancel")
    order.refresh_from_db()
    assert order.status == OrderStatus.NEW and not OutboundAction.objects.exists()


def test_lazada_whole_order_is_an_explicit_choice(login):
    order, first, _ = _lazada_order()
    client = login(UserFactory(tenant=order.tenant, owner=True))
    page = client.get(reverse("orders:cancel", args=[order.pk])).content.decode()
    assert "Cancel the whole order" in page and "Cancel chosen items" in page
    assert _submit_button(page) == (
        "Cancel order LZ-1",
        "Cancel order LZ-1 on Lazada? The platform will be told; this cannot be undone here.",
    )

    # quantities typed but "whole order" left chosen: refused, nothing cancelled
    mixed = client.post(
        reverse("orders:cancel", args=[order.pk]), {"reason": "Out of Stock", "scope": "whole", f"qty_{first.pk}": 1}
    )
    assert _items_error(mixed.content.decode()).startswith("You chose the whole order")
    assert not OutboundAction.objects.exists()

    client.post(reverse("orders:cancel", args=[order.pk]), {"reason": "Out of Stock", "scope": "whole"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert OutboundAction.objects.get().kind == OutboundKind.CANCEL_ORDER


def test_lazada_chosen_items_button_and_dialog_say_how_many(login):
    order, first, second = _lazada_order()
    client = login(UserFactory(tenant=order.tenant, owner=True))
    # the reason is missing: the page comes back with the choice made, and says what it will do
    again = client.post(
        reverse("orders:cancel", args=[order.pk]),
        {"reason": "", "scope": "items", f"qty_{first.pk}": 1, f"qty_{second.pk}": 1},
    ).content.decode()
    assert _submit_button(again) == (
        "Cancel 2 items of order LZ-1",
        "Cancel 2 items of order LZ-1 on Lazada? The platform will be told; this cannot be undone here.",
    )
    assert 'data-label-items="Cancel {items} of order LZ-1"' in again  # the words app.js switches to

    client.post(
        reverse("orders:cancel", args=[order.pk]), {"reason": "Out of Stock", "scope": "items", f"qty_{second.pk}": 2}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.cancelled_quantity, second.cancelled_quantity) == (0, 2)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.NEW
    assert OutboundAction.objects.get().kind == OutboundKind.CANCEL_ITEMS


def test_shopee_cancel_form_has_no_choice_and_names_the_order(login):
    order = OrderItemFactory(order__number="SHP-9", order__platform_status="To Process").order
    page = login(UserFactory(tenant=order.tenant, owner=True)).get(reverse("orders:cancel", args=[order.pk]))
    text = page.content.decode()
    assert "Cancel chosen items" not in text
    assert _submit_button(text)[0] == "Cancel order SHP-9"


def test_cancel_form_reason_is_checked_by_the_browser_before_the_dialog(login):
    order = OrderItemFactory(order__platform_status="To Process").order
    page = login(UserFactory(tenant=order.tenant, owner=True)).get(reverse("orders:cancel", args=[order.pk]))
    before_reason = page.content.decode().split('name="reason"', 1)[0]
    form_tag = before_reason[before_reason.rindex("<form") :].split(">", 1)[0]
    assert "novalidate" not in form_tag
    assert re.search(r'<select name="reason"[^>]*required', page.content.decode())


def test_a_service_refusal_about_a_field_is_shown_beside_that_field(login, monkeypatch):
    order = OrderItemFactory(order__platform_status="To Process").order

    def refuse(**kwargs):
        raise Refused("“Out of Stock” is not a Shopee cancellation reason.", code="unknown_reason")

    monkeypatch.setattr("orders.services.order_cancel", refuse)  # the rules changed between page and click
    response = login(UserFactory(tenant=order.tenant, owner=True)).post(
        reverse("orders:cancel", args=[order.pk]), {"reason": "Out of Stock"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["“Out of Stock” is not a Shopee cancellation reason."]}
    assert 'class="alert alert-danger"' not in response.content.decode()


def test_third_party_warning_shows_on_the_request_before_agree(login):
    tpl = WarehouseFactory(kind=WarehouseKind.THIRD_PARTY, name="Jakarta 3PL")
    shipped = CancelRequestFactory(
        order__tenant=tpl.tenant, order__warehouse=tpl, order__store__channel=Channel.TIKTOK, order__number="TT-1"
    )
    Order.objects.filter(pk=shipped.order.pk).update(shipped_at=shipped.order.ordered_at)
    not_shipped = CancelRequestFactory(order__tenant=tpl.tenant, order__warehouse=tpl, order__number="TT-2")
    client = login(UserFactory(tenant=tpl.tenant, owner=True))

    page = client.get(reverse("orders:cancel-requests")).content.decode()

    warning = "Order TT-1 has already been shipped by the third-party warehouse Jakarta 3PL"
    row = page.split(f'id="cancel-request-{shipped.pk}"', 1)[1].split("</tr>", 1)[0]
    assert warning in html.unescape(row)
    assert f'data-confirm="Agree to cancel order TT-1? {warning}' in html.unescape(row)
    other = page.split(f'id="cancel-request-{not_shipped.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "third-party" not in other
    assert shipped_by_third_party(Order.objects.get(pk=shipped.order.pk))
    assert not shipped_by_third_party(not_shipped.order)


def test_a_search_jumps_to_the_tab_holding_the_match(login):
    shipped = OrderItemFactory(order__status=OrderStatus.SHIPPED, order__tracking_number="SPX-77").order
    OrderItemFactory(order__tenant=shipped.tenant)  # a new order the search does not find
    client = login(UserFactory(tenant=shipped.tenant, owner=True))
    url = reverse("orders:index")

    response = client.get(url, {"tab": "new", "q": "SPX-77", "search": "1"})

    assert response.status_code == 302 and response["Location"] == f"{url}?tab=shipped&q=SPX-77"
    page = client.get(response["Location"])
    assert [o.pk for o in page.context["page"]] == [shipped.pk]
    assert {tab.key: tab.count for tab in page.context["tabs"]}["new"] == 0  # counts still for the search
    assert "search=" not in next(tab.url for tab in page.context["tabs"] if tab.key == "new")
    # an htmx search gets the panel of that tab, and htmx pushes the redirected URL
    partial = client.get(url, {"tab": "new", "q": "SPX-77", "search": "1"}, headers={"HX-Request": "true"}, follow=True)
    assert partial.content.decode().lstrip().startswith('<div id="order-panel">')
    assert shipped.number in partial.content.decode()


def test_a_search_stays_on_its_tab_when_it_has_matches_and_a_tab_click_is_never_moved(login):
    new = OrderItemFactory(order__tracking_number="SPX-88").order
    OrderItemFactory(order__tenant=new.tenant, order__status=OrderStatus.SHIPPED, order__tracking_number="SPX-88")
    client = login(UserFactory(tenant=new.tenant, owner=True))
    url = reverse("orders:index")
    assert client.get(url, {"tab": "new", "q": "SPX-88", "search": "1"})["Location"] == f"{url}?tab=new&q=SPX-88"
    assert client.get(url, {"tab": "completed", "q": "SPX-88", "search": "1"})["Location"] == (
        f"{url}?tab=new&q=SPX-88"  # the first tab with a match
    )
    clicked = client.get(url, {"tab": "completed", "q": "SPX-88"})
    assert clicked.status_code == 200 and "No order here." in clicked.content.decode()
