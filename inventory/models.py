from django.db import models

from core.models import TimeStamped
from core.tenancy import TenantOwned


class WarehouseKind(models.TextChoices):
    OWN = "own", "Own warehouse"
    THIRD_PARTY = "third_party", "Third-party warehouse"
    SUPPLIER = "supplier", "Supplier warehouse"


class Warehouse(TenantOwned, TimeStamped):
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=WarehouseKind.choices, default=WarehouseKind.OWN)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint("tenant", "code", name="warehouse_code_unique_per_tenant")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
