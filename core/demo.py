"""Demo data, built by `manage.py seed_demo`. Each app adds a step; every step is idempotent
(natural keys with get_or_create), so running the command twice changes nothing."""

from dataclasses import dataclass, field

DEMO_PASSWORD = "demo12345"


@dataclass
class Demo:
    """What earlier steps made, for the later steps to build on."""

    seller: object = None
    supplier: object = None
    users: dict = field(default_factory=dict)
    stores: dict = field(default_factory=dict)
    warehouses: dict = field(default_factory=dict)
    tiers: dict = field(default_factory=dict)
    skus: dict = field(default_factory=dict)


def steps():
    from accounts.demo import seed_accounts
    from aftersales.demo import seed_cases
    from channels.demo import seed_stores
    from inventory.demo import seed_catalogue, seed_warehouses
    from orders.demo import seed_orders

    return [seed_accounts, seed_stores, seed_warehouses, seed_catalogue, seed_orders, seed_cases]
