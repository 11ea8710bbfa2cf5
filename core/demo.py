"""Demo data, built by `manage.py seed_demo` from the steps named in `settings.DEMO_STEPS` (each app
adds its own, config/ orders them). Every step is idempotent (natural keys with get_or_create), so
running the command twice changes nothing."""

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
