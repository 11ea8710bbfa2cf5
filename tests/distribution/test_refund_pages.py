from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from distribution.models import InboundStatus, StockOut
from distribution.services.bigshop import supplier_return_receive
from tests.distribution.helpers import make_bridge, pushed_return
from tests.factories import PNG_1PX

pytestmark = pytest.mark.django_db
D = Decimal


def _slip(name="slip.png", content=PNG_1PX):
    return SimpleUploadedFile(name, content, content_type="image/png")


def _received(bridge):
    push, supplier_return = pushed_return(bridge, lines=((D("25.00"), 2),), supplier_price=D("15.00"), fee=D("1.50"))
    StockOut.objects.filter(pk=supplier_return.stock_out_id).update(settled_amount=D("31.50"))  # all settled
    received = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
    supplier_return_receive(
        supplier_return=supplier_return, actor=bridge.supplier, warehouse=supplier_return.warehouse, received=received
    )
    return push, supplier_return


def test_the_supplier_refunds_to_balance_and_the_distributor_sees_the_balance_not_the_figures(login):
    bridge = make_bridge()
    supplier = login(bridge.supplier)
    supplier.post(reverse("bigshop:charges"), {"per_order": "2.00", "per_item": "0.50"})
    push, supplier_return = _received(bridge)
    url = reverse("bigshop:return", args=[supplier_return.pk])
    page = supplier.get(url)
    assert page.context["figures"].refundable == D("27.00")  # 30.00 - 0 unsettled - 0 exchange - 3.00 fee
    answer = supplier.post(
        reverse("bigshop:return-refund", args=[supplier_return.pk]),
        {"method": "customer_balance", "amount": "27.00"},
        follow=True,
    )
    assert any("created" in str(m) for m in answer.context["messages"])
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED
    assert "27.00" in supplier.get(reverse("bigshop:index")).content.decode()  # the balance it holds
    distributor = login(bridge.distributor)
    assert distributor.get(reverse("distribution:index")).context["balances"][0]["balance"] == D("27.00")
    detail = distributor.get(reverse("distribution:push-detail", args=[push.pk])).content.decode()
    assert "27.00" in detail and "Refund order created" in detail
    assert "Return Handling Fee" not in detail and "15.00" not in detail  # the supplier's figures stay its own


def test_hostile_refund_input_is_refused_never_a_500(login):
    bridge = make_bridge()
    _, supplier_return = _received(bridge)
    client = login(bridge.supplier)
    url = reverse("bigshop:return-refund", args=[supplier_return.pk])
    hostile = [
        {"method": "cash", "amount": "1"},
        {"method": "customer_balance", "amount": "1e999"},
        {"method": "customer_balance", "amount": "30.01"},
        {"method": "bank_transfer", "amount": "1"},
        {"method": "customer_balance", "amount": "1\x00"},
    ]
    for data in hostile:
        answer = client.post(url, data)
        assert answer.status_code == 200 and answer.context["refund_form"].errors, data
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.RECEIVED


def test_a_bank_transfer_is_confirmed_by_the_distributor(login):
    bridge = make_bridge()
    push, supplier_return = _received(bridge)
    login(bridge.supplier).post(
        reverse("bigshop:return-refund", args=[supplier_return.pk]),
        {"method": "bank_transfer", "amount": "10.00", "bank_details": "Maybank 5140 1234", "proof": _slip()},
    )
    distributor = login(bridge.distributor)
    detail = distributor.get(reverse("distribution:push-detail", args=[push.pk])).content.decode()
    assert "Maybank 5140 1234" in detail and "Confirm receipt" in detail
    distributor.post(reverse("distribution:push-confirm-refund", args=[push.pk]))
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.COMPLETED
