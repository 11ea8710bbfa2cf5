"""core.numbering: the counter lives in the transaction that uses the number."""

import pytest
from django.db import transaction

from core.numbering import next_number
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def test_a_rolled_back_document_gives_its_number_back():
    tenant = TenantFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        taken = next_number(tenant_id=tenant.pk, prefix="AS")
        raise RuntimeError("the document was not saved")
    assert next_number(tenant_id=tenant.pk, prefix="AS") == taken


def test_prefixes_count_apart():
    tenant = TenantFactory()
    assert [next_number(tenant_id=tenant.pk, prefix=p)[-6:] for p in ("AS", "RF", "AS")] == [
        "000001",
        "000001",
        "000002",
    ]
