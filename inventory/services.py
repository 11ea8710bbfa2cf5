from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import F

from accounts.models import Tenant
from accounts.permissions import Perm, require_perm
from core.errors import Refused
from core.limits import MAX_AMOUNT, MAX_LINE_QUANTITY
from core.tenancy import require_same_tenant
from inventory.events import catalogue_changed, snapshot
from inventory.models import (
    SKU,
    ComboItem,
    Condition,
    CustomerTier,
    MovementReason,
    StockLevel,
    StockMovement,
    TierPrice,
    Warehouse,
    WarehouseKind,
)


def inactive_message(sku: SKU) -> str:
    return f"{sku.code} is inactive: it is not offered for new orders and cases."


def refuse_inactive(sku: SKU, **figures) -> None:
    """New orders, cases and combos take active SKUs only (documents that already hold one keep it)."""
    if not sku.is_active:
        raise Refused(inactive_message(sku), code="sku_inactive", **figures)


def expand_combo(sku: SKU, quantity: int) -> list[tuple[SKU, int]]:
    """A combo moves its sub-SKUs; any other SKU moves itself."""
    if not sku.is_combo:
        return [(sku, quantity)]
    return [(item.component, item.quantity * quantity) for item in sku.components.select_related("component")]


def stock_move(
    *,
    sku: SKU,
    warehouse: Warehouse,
    quantity: int,
    reason: MovementReason,
    source: str,
    source_key: str,
    actor=None,
    condition: Condition = Condition.SELLABLE,
    case: models.Model | None = None,
    order: models.Model | None = None,
) -> tuple[StockMovement, bool]:
    """Record one ledger movement and apply it to on-hand, once per `source_key`. `case` or
    `order` is the document it came from (None for an opening count or an adjustment), passed in by
    the app above that owns it: the ledger imports neither.

    Returns (movement, created). A second call with the same key, sequential or concurrent (the
    unique constraint makes the later insert wait, then fail, and it finds the first), changes nothing.
    """
    require_same_tenant(sku.tenant_id, warehouse, case, order)
    movement = StockMovement(
        tenant_id=sku.tenant_id,
        source_key=source_key,
        sku=sku,
        warehouse=warehouse,
        condition=condition,
        quantity=quantity,
        reason=reason,
        source=source,
        actor=actor,
        case=case,
        order=order,
    )
    try:
        _record(movement)
    except IntegrityError:  # the key is taken: this movement was made already (else the error stands)
        first = StockMovement.objects.filter(tenant_id=sku.tenant_id, source_key=source_key).first()
        if first is None:
            raise
        return first, False
    return movement, True


@transaction.atomic
def _record(movement: StockMovement) -> None:
    """Insert first, ask after: the usual new movement is an INSERT and an UPDATE (not a lookup, an
    insert in its own savepoint and a lookup of its level: bench/scan_path.py)."""
    movement.save(force_insert=True)
    key = {"tenant_id": movement.tenant_id, "sku": movement.sku, "warehouse": movement.warehouse}
    level = StockLevel.objects.filter(**key, condition=movement.condition)
    if not level.update(on_hand=F("on_hand") + movement.quantity):  # the first movement of this stock
        StockLevel.objects.get_or_create(**key, condition=movement.condition)
        level.update(on_hand=F("on_hand") + movement.quantity)


# --- Settings > Products, Customer tiers, Warehouses: the seller's own catalogue --------------------


@dataclass(frozen=True)
class SKUInput:
    """What the SKU form gives. `tier_prices` maps each tier to its price (None: no tier price, the
    wholesale price applies); `components` are a combo's sub-SKUs and quantities."""

    code: str
    name: str
    wholesale_price: Decimal | None
    is_active: bool = True
    tier_prices: dict[CustomerTier, Decimal | None] = field(default_factory=dict)
    components: list[tuple[SKU, int]] = field(default_factory=list)


def _refuse_out_of_bounds(price: Decimal | None, what: str) -> None:
    if price is not None and not (0 <= price <= MAX_AMOUNT):
        raise Refused(f"{what} must be between 0 and {MAX_AMOUNT:,}.", code="price_out_of_bounds", price=price)


def _check_components(*, tenant_id: int, combo: SKU | None, is_combo: bool, components: list[tuple[SKU, int]]) -> None:
    """A combo holds one level of plain SKUs (stock_move's expand_combo expands once): never itself,
    never another combo, each SKU once, each quantity within a line's bound."""
    if not is_combo:
        if components:
            raise Refused("Only a combo holds sub-SKUs.", code="not_a_combo")
        return
    if not components:
        raise Refused("A combo holds at least one sub-SKU.", code="combo_empty")
    require_same_tenant(tenant_id, *(sku for sku, _ in components))
    held = set(combo.components.values_list("component_id", flat=True)) if combo is not None else set()
    seen = set()
    for line, (sku, quantity) in enumerate(components):  # `line` and `field` say which row a refusal is about
        if combo is not None and sku.pk == combo.pk:
            raise Refused("A combo cannot contain itself.", code="combo_contains_itself", line=line, field="sku")
        if sku.is_combo:
            raise Refused(
                f"{sku.code} is a combo: a combo holds single SKUs only.", code="combo_in_combo", line=line, field="sku"
            )
        if sku.pk not in held:  # a part that became inactive may stay in the combo that holds it
            refuse_inactive(sku, line=line, field="sku")
        if sku.pk in seen:
            message = f"{sku.code} is listed twice: put the total on one line."
            raise Refused(message, code="combo_duplicate", line=line, field="sku")
        if not (1 <= quantity <= MAX_LINE_QUANTITY):
            raise Refused(
                f"{sku.code}: a quantity is between 1 and {MAX_LINE_QUANTITY:,}.",
                code="quantity_out_of_bounds",
                line=line,
                field="quantity",
            )
        seen.add(sku.pk)


def _check_sku(*, tenant_id: int, sku: SKU | None, is_combo: bool, data: SKUInput) -> None:
    _refuse_out_of_bounds(data.wholesale_price, "The wholesale price")
    for tier, price in data.tier_prices.items():
        require_same_tenant(tenant_id, tier)
        _refuse_out_of_bounds(price, f"The {tier.name} price")
    taken = SKU.objects.filter(tenant_id=tenant_id, code__iexact=data.code)
    if sku is not None:
        taken = taken.exclude(pk=sku.pk)
    if taken.exists():
        raise Refused(f"There is already a SKU {data.code}.", code="duplicate_code")
    _check_components(tenant_id=tenant_id, combo=sku, is_combo=is_combo, components=data.components)


def _save_sku_rows(sku: SKU, data: SKUInput) -> None:
    """The SKU's tier prices and combo lines, as the form left them."""
    for tier, price in data.tier_prices.items():
        if price is None:
            TierPrice.objects.filter(tenant_id=sku.tenant_id, tier=tier, sku=sku).delete()
        else:
            TierPrice.objects.update_or_create(tenant_id=sku.tenant_id, tier=tier, sku=sku, defaults={"price": price})
    kept = [component.pk for component, _ in data.components]
    ComboItem.objects.filter(tenant_id=sku.tenant_id, combo=sku).exclude(component_id__in=kept).delete()
    for component, quantity in data.components:
        ComboItem.objects.update_or_create(
            tenant_id=sku.tenant_id, combo=sku, component=component, defaults={"quantity": quantity}
        )


def _unique(save, message: str, code: str):
    """Run `save`; a concurrent twin that won the unique constraint is refused like a known one."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        raise Refused(message, code=code) from None


@transaction.atomic
def sku_create(*, tenant, actor, data: SKUInput, is_combo: bool = False) -> SKU:
    """Settings > Products > Create SKU: the SKU with its tier prices and, for a combo, its sub-SKUs."""
    require_perm(actor, Perm.SETTINGS)
    require_same_tenant(tenant.pk, actor)
    _check_sku(tenant_id=tenant.pk, sku=None, is_combo=is_combo, data=data)
    sku = _unique(
        lambda: SKU.objects.create(
            tenant=tenant,
            code=data.code,
            name=data.name,
            wholesale_price=data.wholesale_price,
            is_combo=is_combo,
            is_active=data.is_active,
        ),
        f"There is already a SKU {data.code}.",
        "duplicate_code",
    )
    _save_sku_rows(sku, data)
    catalogue_changed(item=sku, actor=actor, before=None)
    return sku


@transaction.atomic
def sku_update(*, sku: SKU, actor, data: SKUInput) -> SKU:
    """Settings > Products > edit: whether it is a combo stays as created (old documents moved its stock
    one way or the other); everything else may change. Old orders and cases keep their own prices."""
    require_perm(actor, Perm.SETTINGS)
    require_same_tenant(sku.tenant_id, actor)
    sku = SKU.objects.select_for_update().get(pk=sku.pk)
    before = snapshot(sku)
    _check_sku(tenant_id=sku.tenant_id, sku=sku, is_combo=sku.is_combo, data=data)
    sku.code, sku.name, sku.wholesale_price, sku.is_active = data.code, data.name, data.wholesale_price, data.is_active
    _unique(
        lambda: sku.save(update_fields=["code", "name", "wholesale_price", "is_active", "updated_at"]),
        f"There is already a SKU {data.code}.",
        "duplicate_code",
    )
    _save_sku_rows(sku, data)
    catalogue_changed(item=sku, actor=actor, before=before)
    return sku


def _check_tier_name(*, tenant_id: int, tier: CustomerTier | None, name: str) -> None:
    taken = CustomerTier.objects.filter(tenant_id=tenant_id, name__iexact=name)
    if tier is not None:
        taken = taken.exclude(pk=tier.pk)
    if taken.exists():
        raise Refused(f"There is already a customer tier {name}.", code="duplicate_name")


@transaction.atomic
def tier_create(*, tenant, actor, name: str) -> CustomerTier:
    require_perm(actor, Perm.SETTINGS)
    require_same_tenant(tenant.pk, actor)
    _check_tier_name(tenant_id=tenant.pk, tier=None, name=name)
    tier = _unique(
        lambda: CustomerTier.objects.create(tenant=tenant, name=name),
        f"There is already a customer tier {name}.",
        "duplicate_name",
    )
    catalogue_changed(item=tier, actor=actor, before=None)
    return tier


@transaction.atomic
def tier_update(*, tier: CustomerTier, actor, name: str) -> CustomerTier:
    require_perm(actor, Perm.SETTINGS)
    require_same_tenant(tier.tenant_id, actor)
    tier = CustomerTier.objects.select_for_update().get(pk=tier.pk)
    before = snapshot(tier)
    _check_tier_name(tenant_id=tier.tenant_id, tier=tier, name=name)
    tier.name = name
    _unique(lambda: tier.save(update_fields=["name"]), f"There is already a customer tier {name}.", "duplicate_name")
    catalogue_changed(item=tier, actor=actor, before=before)
    return tier


@dataclass(frozen=True)
class WarehouseInput:
    name: str
    code: str
    kind: str
    is_active: bool = True
    is_default_return: bool = False


SELLER_KINDS = (WarehouseKind.OWN, WarehouseKind.THIRD_PARTY)  # a supplier's warehouse comes with a partnership


def _save_warehouse(*, tenant_id: int, warehouse: Warehouse | None, data: WarehouseInput, actor) -> Warehouse:
    current_kind = warehouse.kind if warehouse else None
    if data.kind not in SELLER_KINDS and data.kind != current_kind:
        raise Refused("Choose Own warehouse or Third-party warehouse.", code="kind_not_allowed")
    if data.is_default_return and (not data.is_active or data.kind not in SELLER_KINDS):
        raise Refused(
            "The default return warehouse is one of your own or third-party warehouses, and active.",
            code="default_return_not_allowed",
        )
    taken = Warehouse.objects.filter(tenant_id=tenant_id, code__iexact=data.code)
    if warehouse is not None:
        taken = taken.exclude(pk=warehouse.pk)
    if taken.exists():
        raise Refused(f"There is already a warehouse {data.code}.", code="duplicate_code")
    if data.is_default_return:
        # the previous default steps down; the tenant's row is the lock two new defaults queue on (the
        # second then finds the first's, which a lock on the warehouse rows alone would not show it)
        Tenant.objects.select_for_update().get(pk=tenant_id)
        previous = Warehouse.objects.filter(tenant_id=tenant_id, is_default_return=True)
        if warehouse is not None:
            previous = previous.exclude(pk=warehouse.pk)
        for stepped_down in previous:
            before = snapshot(stepped_down)
            stepped_down.is_default_return = False
            stepped_down.save(update_fields=["is_default_return", "updated_at"])
            catalogue_changed(item=stepped_down, actor=actor, before=before)
    before = snapshot(warehouse) if warehouse is not None else None
    warehouse = warehouse or Warehouse(tenant_id=tenant_id)
    for name, value in asdict(data).items():
        setattr(warehouse, name, value)
    _unique(warehouse.save, f"There is already a warehouse {data.code}.", "duplicate_code")
    catalogue_changed(item=warehouse, actor=actor, before=before)
    return warehouse


@transaction.atomic
def warehouse_create(*, tenant, actor, data: WarehouseInput) -> Warehouse:
    require_perm(actor, Perm.SETTINGS)
    require_same_tenant(tenant.pk, actor)
    return _save_warehouse(tenant_id=tenant.pk, warehouse=None, data=data, actor=actor)


@transaction.atomic
def warehouse_update(*, warehouse: Warehouse, actor, data: WarehouseInput) -> Warehouse:
    require_perm(actor, Perm.SETTINGS)
    require_same_tenant(warehouse.tenant_id, actor)
    warehouse = Warehouse.objects.select_for_update().get(pk=warehouse.pk)
    return _save_warehouse(tenant_id=warehouse.tenant_id, warehouse=warehouse, data=data, actor=actor)
