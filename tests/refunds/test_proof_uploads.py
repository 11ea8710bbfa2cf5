"""The payment proof on Create Refund Order: the same caps as buyer evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.services import case_confirm_and_stock_in
from refunds.models import RefundOrder
from refunds.services import refund_create
from tests.factories import PNG_1PX, WarehouseFactory, make_case, png_bomb, shipped_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _received(owner):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    case_confirm_and_stock_in(case=case, actor=owner, warehouse=WarehouseFactory(tenant=owner.tenant))
    return case


def _create(client, case, proof: SimpleUploadedFile):
    form = {"amount": "50.00", "method": "cash", "payment_info": "", "note": "", "proof": proof}
    return client.post(reverse("refunds:create", args=[case.pk]), form)


def test_a_decompression_bomb_as_payment_proof_is_refused(owner, finance, login, media):
    case = _received(owner)
    response = _create(login(finance), case, SimpleUploadedFile("slip.png", png_bomb(), "image/png"))
    assert response.status_code == 200
    assert "“slip.png” has too many pixels" in response.content.decode()
    assert not RefundOrder.objects.exists() and not list(media.rglob("*.*"))


def test_a_proof_sent_in_a_request_over_the_cap_is_refused_on_the_form(owner, finance, login, media, settings):
    settings.UPLOAD_MAX_REQUEST_SIZE = 1024 * 1024
    case = _received(owner)
    big = SimpleUploadedFile("slip.png", PNG_1PX + b"\0" * 1_200_000, "image/png")
    response = _create(login(finance), case, big)
    assert response.status_code == 200
    assert "at most 1 MB can be sent at once" in response.content.decode()
    assert not RefundOrder.objects.exists() and not list(media.rglob("*.*"))


def test_a_proof_given_to_the_service_by_name_is_stored_under_a_random_one(owner):
    case = _received(owner)
    proof = SimpleUploadedFile("evil.html", PNG_1PX, "text/html")
    refund = refund_create(case=case, actor=owner, amount=case.refund_left(), method="cash", proof=proof)
    assert "evil" not in refund.proof.name and not refund.proof.name.endswith(".html")
