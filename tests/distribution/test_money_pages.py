"""The pages of the money between a supplier and its distributor: Bank Transfer with its proof, the
distributor's From Suppliers tab on After-Sales Refund, Complete without refund, Pay with balance."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts.models import Tenant
from distribution.models import BalanceMovement, DistributorRefund, InboundStatus, StockOut
from distribution.services.bigshop import supplier_return_receive
from distribution.services.refunds import distributor_refund_create
from tests.distribution.helpers import distribution_order, make_bridge, pushed_return
from tests.factories import PDF_MINIMAL, PNG_1PX, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _media(media):
    """Uploaded proofs go to a folder of each test's own."""


def _slip(name="slip.png", content=PNG_1PX, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


SETTLED = Decimal("31.50")


def _received(bridge, settled=SETTLED):
    push, supplier_return = pushed_return(bridge, lines=((D("25.00"), 2),), supplier_price=D("15.00"), fee=D("1.50"))
    StockOut.objects.filter(pk=supplier_return.stock_out_id).update(settled_amount=settled)
    received = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=supplier_return.warehouse, received=received
    )
    return push, supplier_return


def _transfer(client, supplier_return, **extra):
    data = {"method": "bank_transfer", "amount": "10.00", "bank_details": "Maybank 5140 1234", "proof": _slip()}
    return client.post(reverse("bigshop:return-refund", args=[supplier_return.pk]), {**data, **extra})


def test_a_bank_transfer_takes_its_proof_and_both_sides_open_it_through_their_own_end(login):
    bridge = make_bridge()
    push, supplier_return = _received(bridge)
    supplier = login(bridge.supplier)
    assert (
        _transfer(supplier, supplier_return, proof=_slip("transfer.pdf", PDF_MINIMAL, "application/pdf")).status_code
        == 302
    )
    refund = DistributorRefund.objects.get()
    assert refund.proof.name.endswith(".pdf") and "transfer" not in refund.proof.name  # a name of our own
    page = supplier.get(reverse("bigshop:return", args=[supplier_return.pk])).content.decode()
    assert "View proof" in page and "Maybank 5140 1234" in page
    mine = supplier.get(reverse("bigshop:return-refund-proof", args=[supplier_return.pk]))
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert b"".join(mine.streaming_content) == PDF_MINIMAL
    distributor = login(bridge.distributor)
    theirs = distributor.get(reverse("distribution:push-refund-proof", args=[push.pk]))
    assert theirs.status_code == 200 and theirs["Content-Security-Policy"] == "sandbox"
    assert "View proof" in distributor.get(reverse("distribution:push-detail", args=[push.pk])).content.decode()
    # each by the other's id: not found (the distributor never reaches the supplier's row by its id)
    Tenant.objects.filter(pk=bridge.distributor.tenant_id).update(is_supplier=True)
    assert distributor.get(reverse("bigshop:return-refund-proof", args=[supplier_return.pk])).status_code == 404
    assert supplier.get(reverse("distribution:push-refund-proof", args=[push.pk])).status_code == 404
    stranger = login(UserFactory(owner=True))
    assert stranger.get(reverse("distribution:push-refund-proof", args=[push.pk])).status_code == 404


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (_slip("slip.png", b"<html><script>alert(1)</script>", "image/png"), "is not an image or a PDF"),
        (_slip("slip.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"), "damaged picture"),
        (_slip("slip.png", b"", "image/png"), "empty"),
        (None, "Attach the proof"),
    ],
    ids=["html", "broken-png", "empty", "missing"],
)
def test_a_bad_proof_is_a_form_error_and_nothing_is_written(upload, says, login):
    bridge = make_bridge()
    _, supplier_return = _received(bridge)
    client = login(bridge.supplier)
    data = {"method": "bank_transfer", "amount": "10.00", "bank_details": "Maybank 5140 1234"}
    if upload is not None:
        data["proof"] = upload
    answer = client.post(reverse("bigshop:return-refund", args=[supplier_return.pk]), data)
    assert answer.status_code == 200
    assert says in " ".join(answer.context["refund_form"].errors.get("proof", [])), answer.context["refund_form"].errors
    assert not DistributorRefund.objects.exists()
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.RECEIVED


@override_settings(UPLOAD_MAX_REQUEST_SIZE=1024)
def test_a_proof_over_the_request_cap_is_a_form_error(login):
    bridge = make_bridge()
    _, supplier_return = _received(bridge)
    answer = _transfer(login(bridge.supplier), supplier_return, proof=_slip(content=PNG_1PX + b"\x00" * 4096))
    assert answer.status_code == 200 and answer.context["refund_form"].errors["proof"]
    assert not DistributorRefund.objects.exists()


def test_the_distributor_confirms_receipt_on_its_after_sales_refund_page(login):
    bridge = make_bridge()
    push, supplier_return = _received(bridge)
    _transfer(login(bridge.supplier), supplier_return)
    distributor = login(bridge.distributor)
    page = distributor.get(reverse("refunds:index"))
    counts = {tab.key: tab.count for tab in page.context["tabs"]}
    assert counts["from_suppliers"] == 1  # waiting for the Confirm receipt
    tab = distributor.get(reverse("refunds:index"), {"tab": "from_suppliers"})
    html = tab.content.decode()
    assert "Refund Processing" in html and "Maybank 5140 1234" in html and "10.00" in html
    assert "View proof" in html and "Confirm receipt" in html and supplier_return.case_number in html
    assert "Return Handling Fee" not in html and "15.00" not in html  # the supplier's figures stay its own
    answer = distributor.post(reverse("distribution:push-confirm-refund", args=[push.pk]), {"back": "refunds"})
    assert answer.status_code == 302 and answer["Location"] == reverse("refunds:index") + "?tab=from_suppliers"
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED
    done = distributor.get(reverse("refunds:index"), {"tab": "from_suppliers", "status": "completed"})
    assert "Completed" in done.content.decode() and "Confirm receipt" not in done.content.decode()
    tabs = distributor.get(reverse("refunds:index")).context["tabs"]
    assert {t.key: t.count for t in tabs}["from_suppliers"] == 0
    # the record page still confirms (nothing left to confirm now: said, not a 500)
    again = distributor.post(reverse("distribution:push-confirm-refund", args=[push.pk]), follow=True)
    assert any("no bank transfer waiting" in str(m) for m in again.context["messages"])


def test_the_from_suppliers_tab_is_a_distributors_only_and_shows_its_own_records_only(login):
    bridge = make_bridge()
    assert "from_suppliers" not in {t.key for t in login(bridge.supplier).get(reverse("refunds:index")).context["tabs"]}
    seller = login(UserFactory(owner=True))
    assert seller.get(reverse("refunds:index"), {"tab": "from_suppliers"}).status_code == 404
    _, supplier_return = _received(bridge)
    _transfer(login(bridge.supplier), supplier_return)
    other = make_bridge(supplier_tenant=bridge.supplier.tenant)  # another distributor of the same supplier
    html = login(other.distributor).get(reverse("refunds:index"), {"tab": "from_suppliers"}).content.decode()
    assert "Maybank" not in html and supplier_return.case_number not in html


def test_nothing_refundable_is_completed_without_refund_from_the_page(login):
    bridge = make_bridge()
    push, supplier_return = _received(bridge, settled=Decimal("0.00"))  # all unsettled: Refundable 0
    supplier = login(bridge.supplier)
    url = reverse("bigshop:return", args=[supplier_return.pk])
    page = supplier.get(url)
    assert page.context["figures"].refundable == 0 and "Complete without refund" in page.content.decode()
    complete = reverse("bigshop:return-complete", args=[supplier_return.pk])
    assert supplier.post(complete, {"reason": "\x00"}).context["none_form"].errors  # hostile: a form error
    answer = supplier.post(complete, {"reason": "The order is not paid yet"}, follow=True)
    assert "completed without refund" in " ".join(str(m) for m in answer.context["messages"])
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED and not BalanceMovement.objects.exists()
    detail = login(bridge.distributor).get(reverse("distribution:push-detail", args=[push.pk])).content.decode()
    assert "Completed without refund" in detail and "The order is not paid yet" in detail
    again = supplier.post(complete, {"reason": "again"}, follow=True)
    assert any(m.level_tag == "error" for m in again.context["messages"])


def test_the_distributor_pays_an_unsettled_order_from_its_balance_and_the_supplier_sees_it(login):
    bridge = make_bridge()
    _, supplier_return = _received(bridge)
    distributor_refund_create(supplier_return=supplier_return, actor=bridge.supplier, method="customer_balance")
    order = distribution_order(bridge, lines=((D("25.00"), 1),), supplier_price=D("15.00"), fee=D("1.50"))
    distributor = login(bridge.distributor)
    index = distributor.get(reverse("distribution:index")).content.decode()
    partnership_url = reverse("distribution:partnership", args=[bridge.partnership.pk])
    assert 'data-testid="balances"' in index and partnership_url in index
    page = distributor.get(partnership_url).content.decode()
    assert "30.00" in page and order.order.number in page and "16.50" in page and "Pay with balance" in page
    answer = distributor.post(reverse("distribution:order-pay-with-balance", args=[order.pk]), follow=True)
    assert "16.50" in " ".join(str(m) for m in answer.context["messages"])
    page = answer.content.decode()
    assert "13.50" in page and "Every order is settled" in page  # 30.00 - 16.50 left
    ledger = login(bridge.supplier).get(partnership_url).content.decode()
    assert "Paid stock-out" in ledger and "16.50" in ledger
    again = distributor.post(reverse("distribution:order-pay-with-balance", args=[order.pk]), follow=True)
    assert any("settled" in str(m) for m in again.context["messages"])
    assert StockOut.objects.get(distribution_order=order).settled_amount == D("16.50")


def test_pay_with_balance_is_the_distribution_roles_and_the_distributors_own(login):
    bridge = make_bridge()
    order = distribution_order(bridge)
    url = reverse("distribution:order-pay-with-balance", args=[order.pk])
    clerk = login(UserFactory(tenant=bridge.distributor.tenant, perms=["accounts.aftersales_refund"]))
    assert clerk.post(url).status_code == 403
    Tenant.objects.filter(pk=bridge.supplier.tenant_id).update(is_supplier=True)
    assert login(bridge.supplier).post(url).status_code == 404
    assert login(bridge.distributor).get(url).status_code == 405


def test_finance_of_the_distributor_confirms_a_transfer_without_the_distribution_role(login):
    bridge = make_bridge()
    push, supplier_return = _received(bridge)
    _transfer(login(bridge.supplier), supplier_return)
    finance = login(UserFactory(tenant=bridge.distributor.tenant, perms=["accounts.aftersales_refund"]))
    html = finance.get(reverse("refunds:index"), {"tab": "from_suppliers"}).content.decode()
    assert f'href="{reverse("distribution:push-detail", args=[push.pk])}"' not in html  # it cannot open it: no link
    assert finance.get(reverse("distribution:push-refund-proof", args=[push.pk])).status_code == 200
    finance.post(reverse("distribution:push-confirm-refund", args=[push.pk]), {"back": "refunds"})
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED
    nobody = login(UserFactory(tenant=bridge.distributor.tenant, perms=["accounts.return_stockin"]))
    assert nobody.get(reverse("distribution:push-refund-proof", args=[push.pk])).status_code == 403


def test_bigshop_shows_the_balance_held_and_links_it_only_for_the_distribution_role(login):
    bridge = make_bridge()
    _, supplier_return = _received(bridge)
    distributor_refund_create(supplier_return=supplier_return, actor=bridge.supplier, method="customer_balance")
    partnership_url = reverse("distribution:partnership", args=[bridge.partnership.pk])
    clerk = UserFactory(tenant=bridge.supplier.tenant, perms=["accounts.return_stockin"])
    page = login(clerk).get(reverse("bigshop:index")).content.decode()
    held = page.split('data-testid="balances"', 1)[1].split("</p>", 1)[0]
    assert bridge.distributor.tenant.name in held and "30.00" in held and partnership_url not in held
    page = login(bridge.supplier).get(reverse("bigshop:index")).content.decode()
    assert partnership_url in page.split('data-testid="balances"', 1)[1].split("</p>", 1)[0]
