from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import Perm
from aftersales.services import case_receive
from core import params
from core.errors import Refused
from core.forms import add_refusal
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.types import AppRequest
from inventory import selectors
from inventory.forms import ReturnReceiveForm
from inventory.pricing import prices_for


def _receive_form(request: AppRequest, case, data=None) -> ReturnReceiveForm:
    return ReturnReceiveForm(
        data,
        case=case,
        lines=selectors.return_lines(case=case),
        warehouses=selectors.receiving_warehouses(tenant=request.tenant),
    )


@require_GET
@vary_on_headers("HX-Request")
@area_required("inventory")
def index(request: AppRequest) -> HttpResponse:
    """Stock-In / Return: scan a code to find the case its parcel belongs to; with no code, the
    cases waiting for their parcel."""
    code = params.text(request.GET, "q")
    context: dict = {"q": code}
    if code:
        scan = selectors.return_scan(tenant=request.tenant, user=request.user, code=code)
        context["scan"] = scan
        if len(scan.waiting) == 1:  # the usual scan: receive it right here
            context["case"] = scan.waiting[0]
            context["form"] = _receive_form(request, scan.waiting[0])
    else:
        context.update(page_context(request, selectors.returns_waiting(tenant=request.tenant, user=request.user)))
    return render_page(request, "inventory/index.html", context, partial="scan-results")


@require_http_methods(["GET", "POST"])
@area_required("inventory")
def return_receive(request: AppRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(selectors.return_qs(tenant=request.tenant, user=request.user), pk=case_id)
    refusal = selectors.stock_in_refusal(case)
    if request.method == "GET" and refusal:
        return render(
            request,
            "inventory/return_receive.html",
            {"case": case, "refusal": refusal, "lines": selectors.return_lines(case=case)},
        )
    # a POST always goes to the service: it locks the case and is the one to say "already received"
    form = _receive_form(request, case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        warehouse = form.cleaned_data["warehouse"]
        try:
            case = case_receive(case=case, actor=request.user, warehouse=warehouse, received=form.received())
        except Refused as refused:
            add_refusal(form, refused)
        else:
            items = form.item_count()
            messages.success(
                request,
                f"Case {case.number} received: {items} item{pluralize(items)} into {warehouse.name}; "
                f"it is now in {case.get_status_display()}.",
            )
            return redirect("inventory:index")
    return render(request, "inventory/return_receive.html", {"case": case, "form": form})


@require_GET
@vary_on_headers("HX-Request")
@area_required("inventory")
def stock(request: AppRequest) -> HttpResponse:
    query = params.text(request.GET, "q")
    warehouse = params.integer(request.GET, "warehouse")
    levels = selectors.stock_levels(tenant=request.tenant, query=query, warehouse_id=warehouse)
    return render_page(
        request,
        "inventory/stock.html",
        {
            **page_context(request, levels),
            "q": query,
            "warehouse": warehouse,
            "warehouses": selectors.warehouse_qs(tenant=request.tenant),
        },
        partial="stock-panel",
    )


@require_GET
@vary_on_headers("HX-Request")
@area_required("inventory")
def sku_ledger(request: AppRequest, sku_id: int) -> HttpResponse:
    sku = get_object_or_404(selectors.sku_qs(tenant=request.tenant), pk=sku_id)
    movements = selectors.sku_ledger(tenant=request.tenant, user=request.user, sku=sku)
    return render_page(
        request,
        "inventory/sku_ledger.html",
        {
            "sku": sku,
            "levels": selectors.sku_stock_levels(tenant=request.tenant, sku=sku),
            **page_context(request, movements),
        },
        partial="ledger-panel",
    )


PICKER_PERMS = (Perm.MANUAL_AFTERSALES, Perm.ORDER_ENTRY, Perm.SETTINGS)  # the roles whose forms pick SKUs


@require_GET
def sku_search(request: AppRequest) -> HttpResponse:
    """A SKU picker's options (static/js/sku_picker.js): the tenant's active SKUs matching `q`, with
    name, price (at the buyer's `tier`, in `currency` or the stores' usual one) and stock."""
    user = request.user
    if request.tenant is None or not any(user.has_perm(perm) for perm in PICKER_PERMS):
        raise PermissionDenied("Your role does not include choosing SKUs.")
    get = request.GET
    skus = selectors.sku_matches(tenant=request.tenant, query=params.text(get, "q"), single=get.get("single") == "1")
    tier_id = params.integer(get, "tier")
    tier = selectors.tier_qs(tenant=request.tenant).filter(pk=tier_id).first() if tier_id else None
    prices = prices_for(skus=skus, tier=tier)
    currency = params.text(get, "currency", max_length=3).upper()
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        currency = selectors.main_currency(tenant=request.tenant)
    options = [(sku, prices[sku.pk]) for sku in skus]
    return render(request, "inventory/partials/_sku_options.html", {"options": options, "currency": currency})
