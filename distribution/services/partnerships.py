"""Partnerships: invited by one tenant, accepted by the other, terminated by either. Which supplier
warehouses it ships from (the supplier says), and which supplier SKU each of the distributor's
SKUs is (the distributor says)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Tenant
from accounts.permissions import Perm, require_perm
from core.errors import Refused
from core.tenancy import require_same_tenant
from distribution.models import Partnership, PartnershipStatus, PartnerWarehouse, SkuMapping
from inventory.models import SKU, Warehouse, WarehouseKind

P = PartnershipStatus


def lock_partnership(partnership: Partnership, actor) -> Partnership:
    """The partnership locked, as one of its two tenants sees it (another tenant: not found)."""
    return Partnership.objects.for_tenant(actor.tenant).select_for_update().get(pk=partnership.pk)


@transaction.atomic
def partnership_invite(*, actor, partner: Tenant, as_distributor: bool) -> Partnership:
    """Invite `partner`: the actor's tenant is the distributor (`as_distributor`) or the supplier."""
    require_perm(actor, Perm.SETTINGS)
    tenant = actor.tenant
    if partner is None or partner.pk == tenant.pk or not partner.is_active:
        raise Refused("Invite another active company account.", code="bad_partner", field="partner")
    distributor, supplier = (tenant, partner) if as_distributor else (partner, tenant)
    try:
        with transaction.atomic():
            return Partnership.objects.create(distributor=distributor, supplier=supplier, invited_by=tenant)
    except IntegrityError:
        raise Refused(
            f"{distributor} and {supplier} already have a partnership invited or active.", code="already_partners"
        ) from None


@transaction.atomic
def partnership_accept(*, partnership: Partnership, actor) -> Partnership:
    """The invited tenant accepts: the cooperation period starts now."""
    require_perm(actor, Perm.SETTINGS)
    partnership = lock_partnership(partnership, actor)
    if partnership.invitee_id() != actor.tenant_id:
        raise Refused("Only the invited company accepts an invitation.", code="not_invitee")
    if partnership.status != P.INVITED:
        raise Refused(f"This partnership is {partnership.get_status_display()}.", code="wrong_state")
    partnership.status, partnership.started_at = P.ACTIVE, timezone.now()
    partnership.save(update_fields=["status", "started_at", "updated_at"])
    Tenant.objects.filter(pk=partnership.supplier_id, is_supplier=False).update(is_supplier=True)
    return partnership


@transaction.atomic
def partnership_terminate(*, partnership: Partnership, actor) -> Partnership:
    """Either side ends it. Returns of orders placed before the end may still be pushed."""
    require_perm(actor, Perm.SETTINGS)
    partnership = lock_partnership(partnership, actor)
    if partnership.status != P.ACTIVE:
        raise Refused(f"This partnership is {partnership.get_status_display()}.", code="wrong_state")
    partnership.status, partnership.ended_at = P.TERMINATED, timezone.now()
    partnership.save(update_fields=["status", "ended_at", "updated_at"])
    return partnership


@transaction.atomic
def partner_warehouse_add(*, partnership: Partnership, actor, warehouse: Warehouse) -> PartnerWarehouse:
    """The supplier ships the partnership's orders from `warehouse`; the distributor gets a warehouse
    row of kind Supplier warehouse to name it on its orders."""
    require_perm(actor, Perm.SETTINGS)
    partnership = lock_partnership(partnership, actor)
    if actor.tenant_id != partnership.supplier_id:
        raise Refused("The supplier chooses the warehouses it ships from.", code="not_supplier")
    require_same_tenant(partnership.supplier_id, warehouse)
    if warehouse.kind == WarehouseKind.SUPPLIER or not warehouse.is_active:
        raise Refused(f"{warehouse.name} cannot ship distribution orders.", code="bad_warehouse", field="warehouse")
    found = PartnerWarehouse.objects.filter(partnership=partnership, supplier_warehouse=warehouse).first()
    if found:
        return found
    mirror = Warehouse.objects.create(
        tenant_id=partnership.distributor_id,
        name=f"{partnership.supplier.name} · {warehouse.name}"[:120],
        code=f"SUP{partnership.pk}-{warehouse.pk}"[:20],
        kind=WarehouseKind.SUPPLIER,
    )
    return PartnerWarehouse.objects.create(
        partnership=partnership, supplier_warehouse=warehouse, distributor_warehouse=mirror
    )


@transaction.atomic
def sku_map(*, partnership: Partnership, actor, sku: SKU, supplier_code: str) -> SkuMapping:
    """The distributor's `sku` is the supplier's SKU `supplier_code` (a combo is split into its
    sub-SKUs, which are mapped one by one)."""
    require_perm(actor, Perm.DISTRIBUTION)
    partnership = lock_partnership(partnership, actor)
    if actor.tenant_id != partnership.distributor_id:
        raise Refused("The distributor maps its SKUs to the supplier's.", code="not_distributor")
    require_same_tenant(partnership.distributor_id, sku)
    if sku.is_combo:
        raise Refused(f"{sku.code} is a combo: map its sub-SKUs.", code="combo_not_mapped", field="sku")
    # the supplier's SKU is found by its code only: nothing else of it is read here
    supplier_sku = SKU.objects.for_tenant(partnership.supplier).filter(code=supplier_code.strip(), is_combo=False)
    found = supplier_sku.first()
    if found is None:
        raise Refused(
            f"{partnership.supplier} has no SKU {supplier_code.strip()!r}.",
            code="no_supplier_sku",
            field="supplier_code",
        )
    mapping, _ = SkuMapping.objects.update_or_create(
        partnership=partnership, sku=sku, defaults={"tenant_id": partnership.distributor_id, "supplier_sku": found}
    )
    return mapping
