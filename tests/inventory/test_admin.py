import pytest
from django.urls import reverse

from inventory.models import ComboItem, MovementReason, StockMovement
from inventory.services import stock_move
from tests.factories import PASSWORD, SKUFactory, TenantFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD))
    return client


def test_the_stock_ledger_and_levels_are_read_only_in_the_admin(admin_client):
    # given a movement
    sku = SKUFactory()
    movement, _ = stock_move(
        sku=sku,
        warehouse=WarehouseFactory(tenant=sku.tenant),
        quantity=5,
        reason=MovementReason.OPENING,
        source="Opening",
        source_key="opening:1",
    )
    # then both lists show, and nothing can be added, changed or deleted
    for model in ("stockmovement", "stocklevel"):
        assert admin_client.get(reverse(f"admin:inventory_{model}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:inventory_{model}_add")).status_code == 403
    change = admin_client.post(reverse("admin:inventory_stockmovement_change", args=[movement.pk]), {"quantity": 50})
    assert change.status_code == 403
    assert admin_client.post(reverse("admin:inventory_stockmovement_delete", args=[movement.pk])).status_code == 403
    assert StockMovement.objects.get(pk=movement.pk).quantity == 5


def _combo_form(tenant, component) -> dict:
    return {
        "tenant": tenant.pk,
        "code": "COMBO-1",
        "name": "Case + screen",
        "is_combo": "on",
        "components-TOTAL_FORMS": "1",
        "components-INITIAL_FORMS": "0",
        "components-0-component": component.pk,
        "components-0-quantity": "2",
    }


def test_a_combo_made_in_the_admin_gives_its_items_its_tenant(admin_client):
    tenant = TenantFactory()
    component = SKUFactory(tenant=tenant)
    response = admin_client.post(reverse("admin:inventory_sku_add"), _combo_form(tenant, component))
    assert response.status_code == 302
    item = ComboItem.objects.get(component=component)
    assert (item.tenant, item.combo.tenant, item.quantity) == (tenant, tenant, 2)


def test_a_combo_cannot_hold_another_tenants_sku(admin_client):
    response = admin_client.post(reverse("admin:inventory_sku_add"), _combo_form(TenantFactory(), SKUFactory()))
    assert response.status_code == 200
    assert "belongs to another tenant" in response.content.decode()
    assert not ComboItem.objects.exists()
