from core.demo import Demo
from inventory.models import Warehouse, WarehouseKind

WAREHOUSES = [  # tenant attr, code, name, kind
    ("seller", "KL-01", "Kuala Lumpur Main", WarehouseKind.OWN),
    ("seller", "JKT-3PL", "Jakarta 3PL", WarehouseKind.THIRD_PARTY),
    ("supplier", "SUP-PG", "Penang Supplier Warehouse", WarehouseKind.OWN),
]


def seed_warehouses(demo: Demo) -> None:
    for tenant_attr, code, name, kind in WAREHOUSES:
        warehouse, _ = Warehouse.objects.get_or_create(
            tenant=getattr(demo, tenant_attr), code=code, defaults={"name": name, "kind": kind}
        )
        demo.warehouses[code] = warehouse
