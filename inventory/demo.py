import random
from decimal import Decimal

from core.demo import Demo
from inventory.models import SKU, ComboItem, CustomerTier, MovementReason, TierPrice, Warehouse, WarehouseKind
from inventory.services import stock_move

WAREHOUSES = [  # tenant attr, code, name, kind
    ("seller", "KL-01", "Kuala Lumpur Main", WarehouseKind.OWN),
    ("seller", "JKT-3PL", "Jakarta 3PL", WarehouseKind.THIRD_PARTY),
    ("supplier", "SUP-PG", "Penang Supplier Warehouse", WarehouseKind.OWN),
]
DEFAULT_RETURN = {"KL-01", "SUP-PG"}  # proposed first on the stock-in forms

TIERS = {  # name: selling price as a multiple of the wholesale price (MYR)
    "Retail": Decimal("2.00"),
    "Gold": Decimal("1.75"),
    "Reseller": Decimal("1.35"),
}

SKUS = [  # code, name, wholesale price (MYR)
    ("CASE-IP15-CLR", "iPhone 15 Clear Case (MagSafe)", "6.50"),
    ("CASE-IP15-BLK", "iPhone 15 Silicone Case, Black", "7.20"),
    ("CASE-S24-CLR", "Galaxy S24 Clear Case", "5.90"),
    ("CASE-S24-BLK", "Galaxy S24 Rugged Armor Case, Black", "8.40"),
    ("SCRN-IP15", "iPhone 15 Tempered Glass Screen Protector", "2.30"),
    ("SCRN-S24", "Galaxy S24 Tempered Glass Screen Protector", "2.30"),
    ("CBL-USBC-1M", "USB-C to USB-C Cable 1m, 60W", "4.80"),
    ("CBL-USBC-2M", "USB-C to USB-C Cable 2m, 100W Braided", "8.90"),
    ("CBL-LTG-1M", "USB-C to Lightning Cable 1m, MFi", "9.50"),
    ("CHG-20W", "20W USB-C PD Wall Charger (UK plug)", "11.90"),
    ("CHG-65W", "65W GaN 3-Port Charger", "39.00"),
    ("CHG-CAR-36W", "36W Dual-Port Car Charger", "12.50"),
    ("WCH-15W", "15W Magnetic Wireless Charger", "18.00"),
    ("EAR-TWS-PRO", "TWS Pro Wireless Earbuds, ANC", "45.00"),
    ("EAR-TWS-LITE", "TWS Lite Wireless Earbuds", "22.00"),
    ("EAR-WIRED-C", "USB-C Wired Earphones with Mic", "7.90"),
    ("PB-10K", "10000mAh Slim Power Bank, 22.5W", "28.00"),
    ("PB-20K", "20000mAh Power Bank, 65W PD", "55.00"),
    ("HLD-CAR-MAG", "Magnetic Car Vent Phone Holder", "9.80"),
    ("STD-DESK", "Foldable Aluminium Desk Phone Stand", "12.00"),
    ("TRI-SELFIE", "Selfie Stick Tripod with Bluetooth Remote", "16.50"),
]

COMBOS = [  # code, name, wholesale price (MYR), [(component code, quantity)]
    ("BDL-IP15-PROTECT", "iPhone 15 Protection Bundle (case + 2 screen protectors)", "10.00",
     [("CASE-IP15-CLR", 1), ("SCRN-IP15", 2)]),
    ("BDL-CHARGE-KIT", "Fast Charging Kit (20W charger + 2 cables)", "24.00",
     [("CHG-20W", 1), ("CBL-USBC-1M", 1), ("CBL-LTG-1M", 1)]),
    ("BDL-USBC-3PK", "USB-C Cable 1m, 3-Pack", "13.00", [("CBL-USBC-1M", 3)]),
]  # fmt: skip

# SKUs sold at tier prices (the others sell at the marketplace price to everyone).
TIER_PRICED = ["CASE-IP15-CLR", "CASE-S24-CLR", "SCRN-IP15", "CBL-USBC-1M", "CHG-20W", "EAR-TWS-LITE", "PB-10K",
               "BDL-IP15-PROTECT", "BDL-CHARGE-KIT"]  # fmt: skip

OPENING_STOCK = {"KL-01": (80, 400), "JKT-3PL": (15, 150)}  # warehouse code: on-hand range per SKU


def seed_warehouses(demo: Demo) -> None:
    for tenant_attr, code, name, kind in WAREHOUSES:
        warehouse, _ = Warehouse.objects.get_or_create(
            tenant=getattr(demo, tenant_attr),
            code=code,
            defaults={"name": name, "kind": kind, "is_default_return": code in DEFAULT_RETURN},
        )
        demo.warehouses[code] = warehouse


def seed_catalogue(demo: Demo) -> None:
    """Demo Seller's tiers, SKUs (with three combos), tier prices and opening stock in both of its
    warehouses. Quantities come from a fixed seed, so every run asks for the same rows."""
    rng = random.Random(42)
    tenant = demo.seller
    for name in TIERS:
        demo.tiers[name], _ = CustomerTier.objects.get_or_create(tenant=tenant, name=name)
    for code, name, price in SKUS:
        demo.skus[code], _ = SKU.objects.get_or_create(
            tenant=tenant, code=code, defaults={"name": name, "wholesale_price": Decimal(price)}
        )
    for code, name, price, components in COMBOS:
        combo, _ = SKU.objects.get_or_create(
            tenant=tenant, code=code, defaults={"name": name, "wholesale_price": Decimal(price), "is_combo": True}
        )
        demo.skus[code] = combo
        for component, quantity in components:
            ComboItem.objects.get_or_create(
                tenant=tenant, combo=combo, component=demo.skus[component], defaults={"quantity": quantity}
            )
    for code in TIER_PRICED:
        sku = demo.skus[code]
        for name, markup in TIERS.items():
            TierPrice.objects.get_or_create(
                tenant=tenant,
                tier=demo.tiers[name],
                sku=sku,
                defaults={"price": (sku.wholesale_price * markup).quantize(Decimal("0.10"))},
            )
    for code, (low, high) in OPENING_STOCK.items():
        warehouse = demo.warehouses[code]
        for sku_code, _, _ in SKUS:  # combos hold no stock of their own: they move their sub-SKUs
            sku = demo.skus[sku_code]
            stock_move(
                sku=sku,
                warehouse=warehouse,
                quantity=rng.randint(low, high),
                reason=MovementReason.OPENING,
                source="Opening stock",
                source_key=f"opening:{sku.code}:{warehouse.code}",
            )
