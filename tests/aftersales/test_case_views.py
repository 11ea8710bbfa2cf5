"""The After-Sales pages as a user sees them: list, Create After-Sales Order, the case page."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Perm
from aftersales import services
from aftersales.models import Case, CaseAttachment, CaseStatus, CaseType
from inventory.models import StockLevel
from orders.models import OrderStatus
from tests.factories import (
    PDF_MINIMAL,
    PNG_1PX,
    SKUFactory,
    UserFactory,
    WarehouseFactory,
    make_attachment,
    make_case,
    shipped_order,
)

S = CaseStatus
pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- list ------------------------------------------------------------------------------------------


def test_list_tabs_count_cases_per_state_and_search_finds_by_every_number(owner, login):
    tenant = owner.tenant
    waiting = make_case(order=shipped_order(tenant=tenant, tracking_number="SPX-ORDER-1"), actor=owner)
    services.case_update(case=waiting, actor=owner, return_tracking_number="RET-777", assignee=None, notes="")
    confirmed = make_case(order=shipped_order(tenant=tenant), actor=owner, type=CaseType.REFUND_ONLY)
    services.case_confirm(case=confirmed, actor=owner)
    client = login(owner)

    page = client.get(reverse("aftersales:index"))
    tabs = {tab.key: tab.count for tab in page.context["tabs"]}
    assert [tab.label for tab in page.context["tabs"]] == [
        "To Confirm",
        "Confirm Return",
        "Confirm Refund",
        "Confirm Exchange",
        "Received Return",
        "Refund Processing",
        "After-Sales Completed",
        "Cancelled",
        "All",
    ]
    assert tabs[S.TO_CONFIRM] == 1 and tabs[S.CONFIRM_REFUND] == 1 and tabs[S.COMPLETED] == 0
    assert waiting.number in page.content.decode() and confirmed.number not in page.content.decode()

    for query in (waiting.number, waiting.order.number, "RET-777", "SPX-ORDER-1", waiting.order.buyer.name):
        found = client.get(reverse("aftersales:index"), {"q": query, "tab": S.TO_CONFIRM})
        assert [c.pk for c in found.context["page"]] == [waiting.pk], query
    by_type = client.get(reverse("aftersales:index"), {"type": CaseType.EXCHANGE})
    assert {tab.count for tab in by_type.context["tabs"]} == {0}


def test_the_list_is_a_fixed_number_of_queries(owner, login, django_assert_num_queries):
    def add_cases(n):
        for _ in range(n):
            case = make_case(
                order=shipped_order(tenant=owner.tenant),
                actor=owner,
                type=CaseType.EXCHANGE,
                exchange=[(SKUFactory(tenant=owner.tenant), 1)],
            )
            services.case_confirm(case=case, actor=owner)
            services.case_generate_exchange_order(case=case, actor=owner)  # refundable reads its amount

    def queries_for_the_list() -> int:
        client = login(owner)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("aftersales:index"), {"tab": S.CONFIRM_EXCHANGE})
        assert response.status_code == 200
        return len(captured), len(response.context["page"])

    add_cases(1)
    one = queries_for_the_list()
    add_cases(5)
    six = queries_for_the_list()
    assert (one[1], six[1]) == (1, 6)
    assert one[0] == six[0]


def test_tab_switch_by_htmx_returns_only_the_panel(owner, login):
    response = login(owner).get(reverse("aftersales:index"), {"tab": S.CANCELLED}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="case-panel">') and "<html" not in html


def test_bulk_confirm_gives_each_case_its_own_result(owner, login):
    first, second = (make_case(order=shipped_order(tenant=owner.tenant), actor=owner) for _ in range(2))
    already = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    services.case_confirm(case=already, actor=owner)
    response = login(owner).post(
        reverse("aftersales:bulk-confirm"), {"case": [first.pk, second.pk, already.pk]}, follow=True
    )
    text = " ".join(_messages(response))
    assert f"Confirmed 2: {first.number}, {second.number}." in text or f"{second.number}, {first.number}" in text
    assert f"{already.number}: Case {already.number} is Confirm Return" in text
    assert {c.status for c in Case.objects.filter(pk__in=[first.pk, second.pk])} == {S.CONFIRM_RETURN}


# --- Create After-Sales Order ------------------------------------------------------------------------


def test_create_finds_the_order_and_says_why_an_order_is_not_eligible(owner, login):
    eligible = shipped_order(tenant=owner.tenant, number="SHP-OK-1")
    new = shipped_order(tenant=owner.tenant, number="SHP-NEW-1")
    new.sync(status=OrderStatus.NEW)  # the platform says so
    new.save()
    client = login(owner)
    ok = client.get(reverse("aftersales:create"), {"q": "SHP-OK-1"}).content.decode()
    assert f'href="?order={eligible.pk}"' in ok
    refused = client.get(reverse("aftersales:create"), {"q": "SHP-NEW-1"}).content.decode()
    assert "is New: after-sales cases are entered for To Pickup, Shipped, Completed, Cancelled orders" in refused
    assert f'href="?order={new.pk}"' not in refused


def _form_data(order, **extra) -> dict:
    item = order.items.get()
    return {"type": CaseType.RETURN_REFUND, f"item_{item.pk}_on": "on", f"item_{item.pk}_qty": "2", **extra}


def test_create_a_case_with_an_added_sku_a_hand_adjusted_amount_and_evidence(owner, login):
    order = shipped_order(tenant=owner.tenant)  # one line: 2 x 25.00
    extra = SKUFactory(tenant=owner.tenant, wholesale_price=Decimal("4.00"))
    item = order.items.get()
    data = _form_data(
        order,
        **{
            f"item_{item.pk}_amount": "35.00",
            "add_0_sku": extra.code,
            "add_0_qty": "3",
            "reason": "Damaged in transit",
            "return_tracking_number": "SPXRET1",
            "evidence": [
                SimpleUploadedFile("box.png", PNG_1PX, "image/png"),
                SimpleUploadedFile("note.pdf", PDF_MINIMAL, "application/pdf"),
            ],
        },
    )
    response = login(owner).post(f"{reverse('aftersales:create')}?order={order.pk}", data)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("aftersales:detail", args=[case.pk])
    assert case.returned_total == Decimal("47.00")  # 35.00 by hand + 3 x 4.00, within the 50.00 paid
    assert case.return_tracking_number == "SPXRET1" and case.reason == "Damaged in transit"
    assert sorted(case.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"qty": "3"}, "Only 2 units of "),
        ({"qty": "0"}, "At least 1."),
        ({"qty": "-1"}, "At least 1."),
        ({"amount": "-3"}, "Cannot be negative."),
        ({"type": CaseType.EXCHANGE}, "An exchange needs at least one exchange item."),
        ({"evidence": SimpleUploadedFile("fake.png", b"just text, not a picture", "image/png")}, "is not a photo"),
    ],
)
def test_bad_input_on_create_shows_the_message_and_writes_nothing(change, message, owner, login):
    order = shipped_order(tenant=owner.tenant)
    item = order.items.get()
    data = _form_data(order)
    for key, value in change.items():
        data[{"qty": f"item_{item.pk}_qty", "amount": f"item_{item.pk}_amount"}.get(key, key)] = value
    response = login(owner).post(f"{reverse('aftersales:create')}?order={order.pk}", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


def test_a_finance_user_cannot_open_create(tenant, login):
    finance = UserFactory(tenant=tenant, perms=[Perm.AFTERSALES_REFUND])
    assert login(finance).get(reverse("aftersales:create")).status_code == 403


# --- the case page -------------------------------------------------------------------------------------


def test_case_page_shows_the_actions_the_users_role_allows(owner, login):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    operator = UserFactory(tenant=owner.tenant, perms=[Perm.MANUAL_AFTERSALES])
    finance = UserFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND])
    url = reverse("aftersales:detail", args=[case.pk])
    as_operator = login(operator).get(url).content.decode()
    assert "Confirm After-Sales</button>" in as_operator and "Confirm After-Sales and Stock-In" in as_operator
    as_finance = login(finance).get(url).content.decode()
    assert "Confirm After-Sales</button>" not in as_finance and "Cancel case" not in as_finance
    assert login(finance).post(reverse("aftersales:confirm", args=[case.pk])).status_code == 403
    case.refresh_from_db()
    assert case.status == S.TO_CONFIRM


def test_confirm_and_stock_in_from_the_case_page(owner, login):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    warehouse = WarehouseFactory(tenant=owner.tenant, name="KL Returns")
    client = login(owner)
    response = client.post(
        reverse("aftersales:confirm-stock-in", args=[case.pk]),
        {"warehouse": warehouse.pk, "condition": "sellable"},
        follow=True,
    )
    assert "confirmed and stocked in: it is now in Received Return" in " ".join(_messages(response))
    html = response.content.decode()
    assert "Confirm After-Sales and Stock-In" in html and "into KL Returns: " in html  # the timeline
    assert StockLevel.objects.get(warehouse=warehouse).on_hand == 2
    again = client.post(
        reverse("aftersales:confirm-stock-in", args=[case.pk]),
        {"warehouse": warehouse.pk, "condition": "sellable"},
        follow=True,
    )
    assert "is Received Return: Confirm After-Sales and Stock-In is not possible now" in " ".join(_messages(again))
    assert StockLevel.objects.get(warehouse=warehouse).on_hand == 2


def test_cancel_without_a_reason_is_refused_on_the_form(owner, login):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    client = login(owner)
    page = client.get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    # the browser checks the reason before the confirmation dialog is asked (no novalidate, required)
    cancel_form = re.search(
        r'<form method="post" action="{}"[^>]*>'.format(reverse("aftersales:cancel", args=[case.pk])), page
    )
    assert cancel_form and "novalidate" not in cancel_form.group(0)
    assert re.search(r'<input type="text" name="reason"[^>]*required', page)

    for blank in ("", "   "):  # the server still refuses it, beside the field
        response = client.post(reverse("aftersales:cancel", args=[case.pk]), {"reason": blank})
        assert response.status_code == 200
        assert re.search(
            r'name="reason"[^>]*>\s*<div class="invalid-feedback d-block">Give the reason for cancelling.</div>',
            response.content.decode(),
        )
    case.refresh_from_db()
    assert case.status == S.TO_CONFIRM


@pytest.mark.parametrize(
    "type, label, other",
    [
        (CaseType.REFUND_ONLY, "Refund items", "Returned items"),
        (CaseType.RETURN_REFUND, "Returned items", "Refund items"),
    ],
)
def test_the_case_page_names_its_lines_one_way_per_case_type(type, label, other, owner, login):
    case = make_case(type=type, order=shipped_order(tenant=owner.tenant), actor=owner)
    page = login(owner).get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert label in page  # the heading of the lines and the total beside the money
    assert other.lower() not in page.lower()  # nor in the timeline


def test_generate_exchange_order_from_the_case_page_links_both_ways(owner, login):
    order = shipped_order(tenant=owner.tenant)
    case = make_case(type=CaseType.EXCHANGE, order=order, actor=owner, exchange=[(SKUFactory(tenant=owner.tenant), 1)])
    services.case_confirm(case=case, actor=owner)
    client = login(owner)
    response = client.post(reverse("aftersales:exchange-order", args=[case.pk]), follow=True)
    case.refresh_from_db()
    assert "waits in Order Entry > Pending Order > Waiting to Approve" in " ".join(_messages(response))
    assert case.exchange_order.number in client.get(reverse("orders:entry")).content.decode()
    order_page = client.get(reverse("orders:detail", args=[case.exchange_order.pk])).content.decode()
    assert case.number in order_page


def test_evidence_is_served_inline_to_its_tenant_with_its_real_type(owner, login):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    attachment = make_attachment(case=case)
    response = login(owner).get(reverse("aftersales:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PNG_1PX


def test_the_admin_shows_cases_read_only(admin_client):
    case = make_case()
    assert case.number in admin_client.get(reverse("admin:aftersales_case_changelist")).content.decode()
    page = admin_client.get(reverse("admin:aftersales_case_change", args=[case.pk]))
    assert page.status_code == 200 and "Created" in page.content.decode()
    assert admin_client.post(reverse("admin:aftersales_case_delete", args=[case.pk])).status_code == 403


def test_uploaded_files_have_no_public_url_even_in_debug(settings):
    import importlib

    import config.urls

    settings.DEBUG = True  # in development, static() would have routed MEDIA_URL to the files
    try:
        routes = [str(p.pattern) for p in importlib.reload(config.urls).urlpatterns]
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
    assert not [route for route in routes if route.startswith(("media", "^media"))], routes


def test_date_filters_keep_the_cases_of_the_period_and_ignore_a_date_that_is_not_one(owner, login):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    day = timezone.localdate(case.created_at).isoformat()  # the day in the app's time zone
    client = login(owner)
    for params, expected in [
        ({"from": day, "to": day}, [case.pk]),
        ({"from": "2999-01-01"}, []),
        ({"to": "2000-01-01"}, []),
        ({"from": "2026-02-30"}, [case.pk]),
        ({"from": "yesterday"}, [case.pk]),
    ]:
        response = client.get(reverse("aftersales:index"), params)
        assert [c.pk for c in response.context["page"]] == expected, params


def test_bulk_confirm_refuses_nothing_selected_and_another_tenants_case(owner, login):
    foreign = make_case()
    client = login(owner)
    empty = client.post(reverse("aftersales:bulk-confirm"), {}, follow=True)
    assert "Select cases first." in _messages(empty)
    forged = client.post(reverse("aftersales:bulk-confirm"), {"case": [foreign.pk]}, follow=True)
    assert "A case you selected is not in this list any more." in _messages(forged)
    foreign.refresh_from_db()
    assert foreign.status == S.TO_CONFIRM
