"""The After-Sales Refund page, Confirm Refund / Reject, Create Refund Order and the payment proof."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from guardian.shortcuts import assign_perm

from accounts.permissions import Perm
from aftersales.models import CaseStatus
from aftersales.services import case_confirm, case_confirm_and_stock_in
from channels.permissions import ACCESS_STORE
from refunds.models import RefundOrder, RefundStatus
from refunds.services import refund_confirm, refund_reject
from tests.factories import (
    PASSWORD,
    PDF_MINIMAL,
    PNG_1PX,
    UserFactory,
    WarehouseFactory,
    make_case,
    make_refund,
    shipped_order,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _case(owner, **kwargs):
    return make_case(order=shipped_order(tenant=owner.tenant), actor=owner, **kwargs)


def _received(owner):
    """A Return & Refund case of 50.00 MYR whose parcel is back (Received Return)."""
    case = _case(owner)
    case_confirm_and_stock_in(case=case, actor=owner, warehouse=WarehouseFactory(tenant=owner.tenant))
    case.refresh_from_db()
    return case


def _refund(owner, amount=None):
    return make_refund(case=_received(owner), amount=amount)


def _tab_counts(html: str) -> dict[str, int]:
    """The tab strip as the user reads it: label -> live count."""
    found = re.findall(r'data-tab="\w+"[^>]*>\s*([^<]+?)\s*<span[^>]*tab-count">(\d+)</span>', html)
    return {label: int(count) for label, count in found}


def _case_page(case) -> str:
    try:
        return reverse("aftersales:detail", args=[case.pk])
    except NoReverseMatch:  # the case detail page is not there yet: Create Refund Order lands on the list
        return reverse("refunds:index")


def _upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _create_form(**overrides) -> dict:
    return {
        "amount": "50.00",
        "method": "bank_transfer",
        "payment_info": "Maybank 1234 5678, A. Buyer",
        "note": "",
        **overrides,
    }


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_tabs_with_live_counts_and_the_processing_rows(owner, finance, login):
    # given two refunds processing, one confirmed and one rejected, and another tenant's refund
    processing = [_refund(owner), _refund(owner, amount=Decimal("12.50"))]
    confirmed, rejected = _refund(owner), _refund(owner)
    refund_confirm(refund=confirmed, actor=owner)
    refund_reject(refund=rejected, actor=owner, reason="Account closed")
    elsewhere = make_refund()
    # when finance opens After-Sales Refund
    response = login(finance).get(reverse("refunds:index"))
    html = response.content.decode()
    # then the tabs count this tenant's refunds, and the first tab lists the processing ones
    assert response.status_code == 200
    assert _tab_counts(html) == {"Refund Processing": 2, "Confirmed": 1, "Rejected": 1, "All": 4}
    for refund in processing:
        assert f'id="refund-{refund.pk}"' in html
        assert refund.case.number in html and refund.case.order.number in html
    assert f'id="refund-{confirmed.pk}"' not in html and f'id="refund-{elsewhere.pk}"' not in html
    assert "RM\u00a012.50" in html and "Bank Transfer" in html and "Return &amp; Refund" in html
    assert html.count(">Confirm Refund</button>") == 2 and html.count(">Reject</a>") == 2
    case = processing[1].case
    assert f"Confirm the refund of RM\u00a012.50 on the Return &amp; Refund case {case.number}?" in html


def test_the_decided_tabs_show_who_decided_and_the_reason(owner, finance, login):
    rejected = _refund(owner)
    refund_reject(refund=rejected, actor=owner, reason="Account closed")
    html = login(finance).get(reverse("refunds:index"), {"tab": "rejected"}).content.decode()
    row = html[html.index(f'id="refund-{rejected.pk}"') :]
    assert "Reason: Account closed" in row and owner.username in row
    assert ">Confirm Refund</button>" not in html


def test_a_tab_is_swapped_by_htmx_as_the_panel_only(owner, finance, login):
    confirmed = _refund(owner)
    refund_confirm(refund=confirmed, actor=owner)
    response = login(finance).get(reverse("refunds:index"), {"tab": "confirmed"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    assert html.lstrip().startswith('<div id="refund-panel">') and "<html" not in html
    assert f'id="refund-{confirmed.pk}"' in html
    assert login(finance).get(reverse("refunds:index"), {"tab": "voided"}).status_code == 404


@pytest.mark.parametrize("field", ["refund", "case", "order"])
def test_search_finds_a_refund_by_its_number_its_case_or_its_order(owner, finance, login, field):
    wanted, other = _refund(owner), _refund(owner)
    query = {"refund": wanted.number, "case": wanted.case.number, "order": wanted.case.order.number}[field]
    html = login(finance).get(reverse("refunds:index"), {"q": query}).content.decode()
    assert f'id="refund-{wanted.pk}"' in html and f'id="refund-{other.pk}"' not in html
    assert _tab_counts(html)["Refund Processing"] == 1


def test_a_store_restricted_sub_account_sees_only_its_stores_refunds(owner, login):
    # given refunds in two stores, and finance restricted to the first store
    mine, theirs = _refund(owner), _refund(owner)
    clerk = UserFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND], all_stores=False)
    assign_perm(ACCESS_STORE, clerk, mine.case.store)
    client = login(clerk)
    # then the other store's refund is neither listed nor reachable
    html = client.get(reverse("refunds:index")).content.decode()
    assert f'id="refund-{mine.pk}"' in html and f'id="refund-{theirs.pk}"' not in html
    assert _tab_counts(html)["Refund Processing"] == 1
    assert client.post(reverse("refunds:confirm", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("refunds:create", args=[theirs.case_id])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RefundStatus.PROCESSING


# --- Confirm Refund and Reject ------------------------------------------------------------------


def test_confirm_refund_from_the_list_completes_the_case(owner, finance, login):
    refund = _refund(owner)
    client = login(finance)
    # when finance clicks Confirm Refund on the Refund Processing tab
    response = client.post(reverse("refunds:confirm", args=[refund.pk]) + "?tab=processing")
    # then it lands back on that tab, which says what happened and no longer lists the refund
    assert response.status_code == 302 and response.url == reverse("refunds:index") + "?tab=processing"
    html = client.get(response.url).content.decode()
    assert f"Refund {refund.number} confirmed: case {refund.case.number} is After-Sales Completed." in html
    assert f'id="refund-{refund.pk}"' not in html
    refund.refresh_from_db()
    assert (refund.status, refund.decided_by, refund.case.status) == (
        RefundStatus.CONFIRMED,
        finance,
        CaseStatus.COMPLETED,
    )
    assert finance.username in client.get(reverse("refunds:index"), {"tab": "confirmed"}).content.decode()


def test_a_second_confirm_says_it_is_already_confirmed(owner, finance, login):
    refund = _refund(owner)
    client = login(finance)
    client.post(reverse("refunds:confirm", args=[refund.pk]))
    response = client.post(reverse("refunds:confirm", args=[refund.pk]), follow=True)
    said = f"Refund order {refund.number} is Confirmed: Confirm Refund is not possible now."
    assert said in response.content.decode()
    assert refund.case.events.filter(type="refund_confirmed").count() == 1


def test_reject_from_the_list_asks_a_reason_and_sends_the_case_back(owner, finance, login):
    refund = _refund(owner)
    client = login(finance)
    url = reverse("refunds:reject", args=[refund.pk]) + "?tab=processing"
    # when finance clicks Reject, the small form loads into the row
    inline = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="reason"' in inline and "<html" not in inline
    # and submitting it without a reason says so, and changes nothing
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and "Give the reason for rejecting." in response.content.decode()
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSING
    # with a reason, the case goes back to Received Return for a new payment slip
    response = client.post(url, {"reason": "Wrong account number"})
    assert response.status_code == 302 and response.url == reverse("refunds:index") + "?tab=processing"
    html = client.get(response.url).content.decode()
    assert (
        f"Refund {refund.number} rejected: case {refund.case.number} is back in Received Return for a new payment slip."
        in html
    )
    refund.refresh_from_db()
    assert (refund.status, refund.reject_reason, refund.decided_by) == (
        RefundStatus.REJECTED,
        "Wrong account number",
        finance,
    )
    assert refund.case.status == CaseStatus.RECEIVED_RETURN


def test_reject_of_a_decided_refund_shows_why_on_the_form(owner, finance, login):
    refund = _refund(owner)
    refund_confirm(refund=refund, actor=owner)
    client = login(finance)
    url = reverse("refunds:reject", args=[refund.pk])
    assert f"Refund {refund.number} is already confirmed." in client.get(url).content.decode()
    response = client.post(url, {"reason": "Too late"})
    assert response.status_code == 200
    assert f"Refund {refund.number} is already confirmed." in response.content.decode()
    refund.refresh_from_db()
    assert refund.status == RefundStatus.CONFIRMED


# --- who may -------------------------------------------------------------------------------------


def test_a_role_without_after_sales_refund_gets_403_on_every_refunds_url(owner, login):
    refund = _refund(owner)
    case = _received(owner)
    operator = UserFactory(tenant=owner.tenant, perms=[Perm.MANUAL_AFTERSALES])
    client = login(operator)
    calls = [
        ("get", reverse("refunds:index")),
        ("get", reverse("refunds:create", args=[case.pk])),
        ("post", reverse("refunds:create", args=[case.pk])),
        ("post", reverse("refunds:confirm", args=[refund.pk])),
        ("get", reverse("refunds:reject", args=[refund.pk])),
        ("post", reverse("refunds:reject", args=[refund.pk])),
        ("get", reverse("refunds:proof", args=[refund.pk])),
    ]
    for method, url in calls:
        data = {"reason": "x"} if method == "post" else {}
        assert getattr(client, method)(url, data).status_code == 403, url
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSING
    assert not case.refunds.exists()


def test_a_role_with_only_after_sales_refund_works_the_page(owner, finance, login):
    refund = _refund(owner)
    client = login(finance)
    assert client.get(reverse("refunds:index")).status_code == 200
    assert client.get(reverse("refunds:create", args=[_received(owner).pk])).status_code == 200
    assert client.get(reverse("refunds:reject", args=[refund.pk])).status_code == 200
    assert client.post(reverse("refunds:confirm", args=[refund.pk])).status_code == 302
    refund.refresh_from_db()
    assert refund.status == RefundStatus.CONFIRMED


# --- Create Refund Order -------------------------------------------------------------------------


def test_create_refund_order_shows_the_case_money_and_its_slips(owner, finance, login):
    # given a received case whose first slip was rejected
    first = _refund(owner)
    refund_reject(refund=first, actor=owner, reason="Wrong bank")
    case = first.case
    # when finance opens Create Refund Order
    response = login(finance).get(reverse("refunds:create", args=[case.pk]))
    html = response.content.decode()
    # then the figures, the history and a form prefilled with what is left are shown
    assert response.status_code == 200
    assert "Returned total" in html and "RM\u00a050.00" in html
    assert re.search(r'data-testid="left-to-refund">RM\u00a050\.00<', html)
    assert first.number in html and "Rejected" in html and "Reason: Wrong bank" in html
    assert 'name="amount"' in html and 'value="50.00"' in html and 'enctype="multipart/form-data"' in html
    assert f"on the Return &amp; Refund case {case.number}?" in html


def test_create_refund_order_creates_the_slip_and_moves_the_case(owner, finance, login, media):
    case = _received(owner)
    client = login(finance)
    form = _create_form(amount="40.00", proof=_upload("transfer.png", PNG_1PX))
    response = client.post(reverse("refunds:create", args=[case.pk]), form)
    assert response.status_code == 302 and response.url == _case_page(case)
    refund = RefundOrder.objects.get(case=case)
    assert (refund.amount, refund.method, refund.created_by, refund.status) == (
        Decimal("40.00"),
        "bank_transfer",
        finance,
        RefundStatus.PROCESSING,
    )
    assert refund.payment_info == "Maybank 1234 5678, A. Buyer"
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUND_PROCESSING
    html = client.get(reverse("refunds:index")).content.decode()
    assert f"Refund order {refund.number} created for 40.00 MYR: case {case.number} is in Refund Processing." in html
    assert reverse("refunds:proof", args=[refund.pk]) in html


BAD_INPUT = {
    "zero": ({"amount": "0"}, "The refund amount must be more than 0."),
    "negative": ({"amount": "-5.00"}, "The refund amount must be more than 0."),
    "above refundable": (
        {"amount": "50.01"},
        "The refund amount 50.01 MYR is more than the refundable 50.00 MYR left to refund on case",
    ),
    "not a number": ({"amount": "ten"}, "Enter a number, e.g. 12.50."),
    "no bank details": ({"payment_info": " "}, "Give the bank name, account number and holder"),
    "text renamed .png": (
        {"proof": ("slip.png", b"just some text, not a picture\n" * 10, "image/png")},
        "is not an image or a PDF",
    ),
}


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_on_create_refund_order_is_shown_and_nothing_is_written(
    owner, finance, login, media, overrides, message
):
    case = _received(owner)
    if "proof" in overrides:
        overrides = {**overrides, "proof": _upload(*overrides["proof"])}
    else:  # a valid proof rides along: it must not be stored for a refused form
        overrides = {**overrides, "proof": _upload("transfer.png", PNG_1PX)}
    response = login(finance).post(reverse("refunds:create", args=[case.pk]), _create_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RefundOrder.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED_RETURN
    assert not list(media.rglob("*.*"))


def test_a_proof_over_the_size_cap_is_refused(owner, finance, login, media, monkeypatch):
    monkeypatch.setattr("core.uploads.MB", 10)  # the cap is 10 "MB": 100 bytes here
    case = _received(owner)
    big = _upload("transfer.png", PNG_1PX + b"\0" * 200)
    response = login(finance).post(reverse("refunds:create", args=[case.pk]), _create_form(proof=big))
    assert response.status_code == 200
    assert "“transfer.png” is larger than 10 MB." in response.content.decode()
    assert not RefundOrder.objects.filter(case=case).exists()
    assert not list(media.rglob("*.*"))


@pytest.mark.parametrize(
    ("name", "content", "content_type", "disposition"),
    [
        ("transfer.png", PNG_1PX, "image/png", "inline"),
        ("slip.pdf", PDF_MINIMAL, "application/pdf", "attachment"),
    ],
    ids=["picture", "pdf"],
)
def test_a_valid_proof_is_stored_and_served_sandboxed_a_picture_shown_a_pdf_downloaded(
    owner, finance, login, name, content, content_type, disposition
):
    case = _received(owner)
    client = login(finance)
    client.post(reverse("refunds:create", args=[case.pk]), _create_form(proof=_upload(name, content, "text/plain")))
    refund = RefundOrder.objects.get(case=case)
    response = client.get(reverse("refunds:proof", args=[refund.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert name not in refund.proof.name
    assert b"".join(response.streaming_content) == content
    # and it is not reachable at a media URL
    assert client.get(f"/media/{refund.proof.name}").status_code == 404


def test_a_pdf_named_png_is_served_as_a_pdf(owner, finance, login):
    case = _received(owner)
    client = login(finance)
    client.post(reverse("refunds:create", args=[case.pk]), _create_form(proof=_upload("slip.png", PDF_MINIMAL)))
    refund = RefundOrder.objects.get(case=case)
    assert refund.proof.name.endswith(".pdf")
    assert client.get(reverse("refunds:proof", args=[refund.pk]))["Content-Type"] == "application/pdf"


def test_a_refund_without_proof_has_no_proof_page(owner, finance, login):
    refund = _refund(owner)
    assert login(finance).get(reverse("refunds:proof", args=[refund.pk])).status_code == 404


def test_a_case_not_ready_for_a_refund_says_why_and_offers_no_form(owner, finance, login):
    # given a case still To Confirm, and one already in Refund Processing
    to_confirm = _case(owner)
    processing = _refund(owner).case
    client = login(finance)
    for case, state in ((to_confirm, CaseStatus.TO_CONFIRM), (processing, CaseStatus.REFUND_PROCESSING)):
        url = reverse("refunds:create", args=[case.pk])
        html = client.get(url).content.decode()
        assert f"Case {case.number} is {state.label}: Create Refund Order is not possible now." in html
        assert 'name="amount"' not in html
        # and a POST anyway writes nothing
        response = client.post(url, _create_form(amount="1.00"))
        assert response.status_code == 200
        case.refresh_from_db()
        assert case.status == state
    assert RefundOrder.objects.filter(case=processing).count() == 1
    assert not RefundOrder.objects.filter(case=to_confirm).exists()


def test_a_refund_only_case_rejected_goes_back_to_confirm_refund(owner, finance, login):
    case = case_confirm(case=_case(owner, type="refund_only"), actor=owner)
    client = login(finance)
    client.post(reverse("refunds:create", args=[case.pk]), _create_form(method="cash", payment_info=""))
    refund = RefundOrder.objects.get(case=case)
    response = client.post(reverse("refunds:reject", args=[refund.pk]), {"reason": "Buyer wants e-wallet"}, follow=True)
    assert f"case {case.number} is back in Confirm Refund for a new payment slip." in response.content.decode()
    # and a new slip can be made at once
    assert 'name="amount"' in client.get(reverse("refunds:create", args=[case.pk])).content.decode()


# --- cost and admin -----------------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_many_rows(owner, finance, login):
    client = login(finance)
    _refund(owner)
    client.get(reverse("refunds:index"))  # warm the session and the user's permission cache
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("refunds:index"))
    for _ in range(4):
        _refund(owner)
    with CaptureQueriesContext(connection) as five:
        html = client.get(reverse("refunds:index")).content.decode()
    assert html.count('<tr id="refund-') == 5
    assert len(five) == len(one)


def test_the_admin_shows_refunds_but_changes_none(owner, client, django_user_model):
    refund = _refund(owner)
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD))
    assert client.get(reverse("admin:refunds_refundorder_changelist")).status_code == 200
    assert client.get(reverse("admin:refunds_refundorder_change", args=[refund.pk])).status_code == 200
    assert client.get(reverse("admin:refunds_refundorder_add")).status_code == 403
    change = client.post(reverse("admin:refunds_refundorder_change", args=[refund.pk]), {"amount": "1.00"})
    assert change.status_code == 403
    assert client.post(reverse("admin:refunds_refundorder_delete", args=[refund.pk])).status_code == 403
    refund.refresh_from_db()
    assert (refund.amount, refund.status) == (Decimal("50.00"), RefundStatus.PROCESSING)
