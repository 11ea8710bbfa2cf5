"""Money, time and status are shown one way on every page: babel amounts, the user's time zone, badges by meaning."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.permissions import Perm
from aftersales.models import Case
from aftersales.services import case_confirm
from core.templatetags.formats import money
from orders.models import OrderStatus
from tests.factories import OrderFactory, UserFactory, make_case, make_refund, shipped_order


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (Decimal("289000.00"), "IDR", "IDR\u00a0289,000"),  # CLDR: the rupiah has no decimals
        (Decimal("1234.5"), "MYR", "RM\u00a01,234.50"),
        (Decimal("1234.5"), "USD", "US$1,234.50"),
        (Decimal("-12.30"), "MYR", "-RM\u00a012.30"),
        (None, "MYR", "—"),
        (Decimal("0"), "", "0.00"),
    ],
)
def test_money_puts_separators_and_the_currency_on_an_amount(settings, amount, currency, shown):
    settings.MONEY_LOCALE = "en_MY"
    assert money(amount, currency) == shown


def test_money_follows_the_locale_of_the_settings(settings):
    settings.MONEY_LOCALE = "id_ID"
    assert money(Decimal("289000.00"), "IDR") == "Rp\u00a0289.000"


def test_a_list_mixing_currencies_shows_each_amount_with_its_own(login, owner):
    # given cases in MYR and IDR
    make_case(order=shipped_order(tenant=owner.tenant, lines=((Decimal("25.00"), 2),)), actor=owner)
    idr = shipped_order(tenant=owner.tenant, lines=((Decimal("144500.00"), 2),))
    idr.currency = "IDR"
    idr.save(update_fields=["currency"])
    make_case(order=idr, actor=owner)
    Case.objects.filter(order=idr).update(currency="IDR")
    # when the seller opens the case list
    html = login(owner).get(reverse("aftersales:index")).content.decode()
    # then every amount carries its currency, with separators
    assert "RM\u00a050.00" in html and "IDR\u00a0289,000" in html
    assert "289000.00" not in html


def test_a_user_in_jakarta_sees_jakarta_time_on_a_case_page(login, owner):
    # given a case created at 07:05 UTC, and a warehouse user in Jakarta (UTC+7)
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    Case.objects.filter(pk=case.pk).update(created_at=datetime(2026, 11, 28, 7, 5, tzinfo=UTC))
    owner.time_zone = "Asia/Jakarta"
    owner.save(update_fields=["time_zone"])
    # when they open the case
    html = login(owner).get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    # then the time is Jakarta's, with its zone
    assert "2026-11-28 14:05 WIB" in html


def test_a_user_in_kuala_lumpur_sees_the_same_moment_in_kuala_lumpur_time(login, owner):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    Case.objects.filter(pk=case.pk).update(created_at=datetime(2026, 11, 28, 7, 5, tzinfo=UTC))
    owner.time_zone = "Asia/Kuala_Lumpur"
    owner.save(update_fields=["time_zone"])
    html = login(owner).get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert "2026-11-28 15:05 +08" in html


def test_the_time_zone_is_not_left_active_after_the_request(login, owner):
    from django.utils import timezone

    owner.time_zone = "Asia/Jakarta"
    owner.save(update_fields=["time_zone"])
    login(owner).get(reverse("core:home"))
    assert timezone.get_current_timezone_name() != "Asia/Jakarta"


def _badge_class(html: str, label: str) -> str:
    found = re.search(r'<span class="badge ([^"]+)"[^>]*data-testid="[\w-]+">' + re.escape(label) + "</span>", html)
    assert found, f"no badge {label!r}"
    return found.group(1)


def test_the_same_meaning_has_the_same_badge_on_the_order_list_and_the_stock_in_list(login, owner):
    # given a shipped order (waiting on the courier) and a case waiting for the buyer's parcel
    order = shipped_order(tenant=owner.tenant)
    case = make_case(order=order, actor=owner)
    case_confirm(case=case, actor=owner)
    client = login(owner)
    # when the seller opens the orders' Shipped tab and the Stock-In / Return page
    orders = client.get(reverse("orders:index"), {"tab": "shipped"}).content.decode()
    returns = client.get(reverse("inventory:index")).content.decode()
    # then both wear the "waiting on others" badge, not the "waiting on us" one
    assert _badge_class(orders, "Shipped") == _badge_class(returns, "Confirm Return")
    assert "status-others" in _badge_class(returns, "Confirm Return")


def test_a_completed_case_and_a_confirmed_refund_wear_the_done_badge(login, owner):
    from refunds.services import refund_confirm

    refund = make_refund(case=make_case(order=shipped_order(tenant=owner.tenant), actor=owner))
    finance = UserFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND])
    refund_confirm(refund=refund, actor=finance)
    client = login(owner)
    case_page = client.get(reverse("aftersales:detail", args=[refund.case_id])).content.decode()
    refund_list = client.get(reverse("refunds:index"), {"tab": "confirmed"}).content.decode()
    completed = OrderFactory(tenant=owner.tenant, status=OrderStatus.COMPLETED)
    order_list = client.get(reverse("orders:index"), {"tab": "completed"}).content.decode()
    assert completed.number in order_list
    assert _badge_class(order_list, "Completed") == _badge_class(refund_list, "Confirmed")
    assert _badge_class(case_page, "After-Sales Completed") == _badge_class(refund_list, "Confirmed")
    assert "status-done" in _badge_class(case_page, "After-Sales Completed")
