"""A service's refusal about one field is said beside that field, not only in a banner: the form the
user filled is shown again with it."""

import pytest
from django.urls import reverse

from aftersales import views as case_views
from aftersales.models import CaseStatus
from inventory.models import Warehouse
from refunds.models import RefundStatus
from tests.factories import WarehouseFactory, make_case, make_refund, shipped_order

pytestmark = pytest.mark.django_db


def test_a_warehouse_closed_while_the_stock_in_form_was_open_is_refused_beside_the_warehouse(owner, login, monkeypatch):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    closed = WarehouseFactory(tenant=owner.tenant, name="Closed KL", is_active=False)
    # the form was drawn while it was still open: it offers it
    monkeypatch.setattr(case_views, "receiving_warehouses", lambda tenant: Warehouse.objects.for_tenant(tenant))
    response = login(owner).post(
        reverse("aftersales:confirm-stock-in", args=[case.pk]), {"warehouse": closed.pk, "condition": "sellable"}
    )
    assert response.status_code == 200
    assert response.context["stock_in_form"].errors["warehouse"] == [
        "Closed KL does not take returns: choose one of your own active warehouses."
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.TO_CONFIRM


def test_a_blank_reject_reason_is_said_beside_the_reason(owner, login):
    refund = make_refund(case=make_case(order=shipped_order(tenant=owner.tenant), actor=owner))
    response = login(owner).post(reverse("refunds:reject", args=[refund.pk]), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Give the reason for rejecting."]
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSING
