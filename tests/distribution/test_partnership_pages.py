import pytest
from django.urls import reverse

from distribution.models import Partnership, PartnershipStatus, PartnerWarehouse, SkuMapping
from tests.factories import SKUFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def test_two_companies_set_up_a_partnership_in_the_browser(login):
    distributor, supplier = UserFactory(owner=True), UserFactory(owner=True)
    # the distributor invites the supplier by its company name
    login(distributor).post(reverse("distribution:partnership-invite"), {"partner": supplier.tenant.name})
    partnership = Partnership.objects.get()
    assert (partnership.distributor, partnership.supplier) == (distributor.tenant, supplier.tenant)
    page = login(supplier).get(reverse("distribution:partnership", args=[partnership.pk])).content.decode()
    assert "Accept" in page
    login(supplier).post(reverse("distribution:partnership-accept", args=[partnership.pk]))
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.ACTIVE
    # the supplier picks the warehouse it ships from; the distributor maps a SKU to the supplier's
    warehouse = WarehouseFactory(tenant=supplier.tenant)
    login(supplier).post(
        reverse("distribution:partnership-warehouse", args=[partnership.pk]), {"warehouse": warehouse.pk}
    )
    assert PartnerWarehouse.objects.get().supplier_warehouse == warehouse
    mine, theirs = SKUFactory(tenant=distributor.tenant), SKUFactory(tenant=supplier.tenant)
    login(distributor).post(
        reverse("distribution:partnership-sku", args=[partnership.pk]), {"sku": mine.code, "supplier_code": theirs.code}
    )
    assert SkuMapping.objects.get().supplier_sku == theirs
    # each side's page shows its own warehouse row of the link, not the other's
    seen = login(distributor).get(reverse("distribution:partnership", args=[partnership.pk])).content.decode()
    assert PartnerWarehouse.objects.get().distributor_warehouse.name in seen and theirs.code in seen


def test_an_unknown_company_and_a_warehouse_of_another_tenant_are_refused(login):
    distributor = UserFactory(owner=True)
    answer = login(distributor).post(
        reverse("distribution:partnership-invite"), {"partner": "No such\x00 company"}, follow=True
    )
    assert answer.status_code == 200 and not Partnership.objects.exists()
    supplier = UserFactory(owner=True)
    login(distributor).post(reverse("distribution:partnership-invite"), {"partner": supplier.tenant.name})
    partnership = Partnership.objects.get()
    login(supplier).post(reverse("distribution:partnership-accept", args=[partnership.pk]))
    foreign = WarehouseFactory(tenant=distributor.tenant)
    url = reverse("distribution:partnership-warehouse", args=[partnership.pk])
    login(supplier).post(url, {"warehouse": foreign.pk})
    login(distributor).post(url, {"warehouse": foreign.pk})  # the distributor is not the one choosing
    assert not PartnerWarehouse.objects.exists()
