"""Partnerships, as each side sees them: invite, accept, terminate; the supplier's warehouses it
ships from; the distributor's SKU mapping. Every write is a service that checks the role."""

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Tenant
from core.actions import perform
from core.errors import Refused
from core.filters import clean_text, parse_int
from core.navigation import area_required
from core.types import AppRequest
from distribution import selectors, services
from distribution.models import PartnerWarehouse, SkuMapping
from inventory.models import SKU, Warehouse, WarehouseKind


@require_GET
@area_required("distribution")
def partnership_list(request: AppRequest) -> HttpResponse:
    partnerships = selectors.partnership_qs(tenant=request.tenant).select_related("invited_by")
    return render(request, "distribution/partnerships.html", {"partnerships": partnerships})


@require_POST
@area_required("distribution")
def partnership_invite(request: AppRequest) -> HttpResponse:
    name = clean_text(request.POST.get("partner", ""), max_length=120)
    partner = Tenant.objects.filter(name=name, is_active=True).first() if name else None
    as_distributor = request.POST.get("role") != "supplier"
    return perform(
        request,
        lambda: services.partnership_invite(actor=request.user, partner=partner, as_distributor=as_distributor),
        success=f"{name} is invited: the partnership starts when it accepts.",
        redirect_to="distribution:partnerships",
    )


def _partnership(request: AppRequest, partnership_id: int):
    return get_object_or_404(selectors.partnership_qs(tenant=request.tenant), pk=partnership_id)


@require_POST
@area_required("distribution")
def partnership_accept(request: AppRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    return perform(
        request,
        lambda: services.partnership_accept(partnership=partnership, actor=request.user),
        success="Partnership accepted: its cooperation period starts now.",
        redirect_to=reverse("distribution:partnership", args=[partnership.pk]),
    )


@require_POST
@area_required("distribution")
def partnership_terminate(request: AppRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    return perform(
        request,
        lambda: services.partnership_terminate(partnership=partnership, actor=request.user),
        success="Partnership terminated: returns of orders from its cooperation period can still be pushed.",
        redirect_to=reverse("distribution:partnership", args=[partnership.pk]),
    )


def _shipping_candidates(tenant):
    return Warehouse.objects.for_tenant(tenant).exclude(kind=WarehouseKind.SUPPLIER).filter(is_active=True)


@require_GET
@area_required("distribution")
def partnership_detail(request: AppRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    tenant = request.tenant
    is_supplier = partnership.supplier_id == tenant.pk
    links = PartnerWarehouse.objects.filter(partnership=partnership)
    # each side reads only its own warehouse of each link, and only its own SKU mappings
    context = {
        "partnership": partnership,
        "is_supplier": is_supplier,
        "warehouses": Warehouse.objects.for_tenant(tenant).filter(
            pk__in=links.values("supplier_warehouse" if is_supplier else "distributor_warehouse")
        ),
        "own_warehouses": _shipping_candidates(tenant) if is_supplier else [],
        "mappings": SkuMapping.objects.for_tenant(tenant).filter(partnership=partnership).select_related("sku"),
        **_balance_context(request, partnership, is_supplier),
    }
    return render(request, "distribution/partnership_detail.html", context)


def _balance_context(request: AppRequest, partnership, is_supplier: bool) -> dict:
    """Customer Balance: each side's own ledger; the distributor's unsettled orders, to pay from it."""
    ledger = selectors.ledger(tenant=request.tenant, partnership=partnership)
    sums = ledger.values("currency").annotate(balance=Sum("amount")).order_by("currency")
    unsettled = [] if is_supplier else selectors.unsettled_orders(
        tenant=request.tenant, user=request.user, partnership=partnership
    )  # fmt: skip
    held = {row["currency"]: row["balance"] for row in sums}
    return {
        "balances": [{"currency": c, "balance": b} for c, b in held.items()],
        "ledger": ledger[:50],
        "unsettled": [(row, held.get(row.currency, 0) > 0) for row in unsettled],
    }


@require_POST
@area_required("distribution")
def partner_warehouse_add(request: AppRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    here = reverse("distribution:partnership", args=[partnership.pk])
    warehouse = Warehouse.objects.for_tenant(request.tenant).filter(pk=parse_int(request.POST.get("warehouse"))).first()
    if warehouse is None:
        messages.error(request, "Choose one of your warehouses.")
        return redirect(here)
    return perform(
        request,
        lambda: services.partner_warehouse_add(partnership=partnership, actor=request.user, warehouse=warehouse),
        success=f"{warehouse.name} ships this partnership's orders.",
        redirect_to=here,
    )


@require_POST
@area_required("distribution")
def sku_map(request: AppRequest, partnership_id: int) -> HttpResponse:
    partnership = _partnership(request, partnership_id)
    here = reverse("distribution:partnership", args=[partnership.pk])
    code = clean_text(request.POST.get("sku", ""), max_length=60)
    sku = SKU.objects.for_tenant(request.tenant).filter(code=code).first() if code else None
    supplier_code = clean_text(request.POST.get("supplier_code", ""), max_length=60)

    def mapped():
        if sku is None:
            raise Refused(f"You have no SKU {code!r}.", code="no_sku")
        return services.sku_map(partnership=partnership, actor=request.user, sku=sku, supplier_code=supplier_code)

    return perform(request, mapped, success=lambda m: f"{m.sku} is mapped to {m.supplier_sku}.", redirect_to=here)
