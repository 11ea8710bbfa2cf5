"""The supplier's BigShop pages: After Sales Orders - BigShop and Return & Stock-in - BigShop."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import Perm, perm_required, require_perm
from core.actions import perform
from core.errors import Refused
from core.filters import clean_text, parse_int
from core.forms import SelectionForm
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.tabs import build_tabs, status_tab_counts, tab_statuses
from core.types import AppRequest
from core.uploads import proof_response
from distribution import selectors
from distribution.filters import BigShopFilter
from distribution.forms import ChargeSettingForm, CompleteWithoutRefundForm, RefundToDistributorForm
from distribution.formulas import estimate, refund_figures
from distribution.models import DistributionSetting, DistributorRefund, InboundStatus
from distribution.scan import own_warehouses
from distribution.selectors import balances_as_supplier
from distribution.services.bigshop import supplier_return_receive, supplier_returns_receive_all
from distribution.services.refunds import charge_setting_set, distributor_refund_create, distributor_refund_none


def _filters(request: AppRequest):
    return BigShopFilter(request.GET, tenant=request.tenant, user=request.user).form


@require_GET
@vary_on_headers("HX-Request")
@area_required("bigshop")
def order_list(request: AppRequest) -> HttpResponse:
    """After Sales Orders - BigShop: every pushed return, by distributor; the type is Return & Refund.
    Confirm Return (Pending Stock-in) takes a selection straight into one of the supplier's warehouses."""
    returns = selectors.supplier_return_list(tenant=request.tenant, user=request.user, params=request.GET)
    counts = status_tab_counts(returns, selectors.ORDER_TABS)
    tab, tabs = build_tabs(request.GET, labels=selectors.ORDER_TABS, counts=counts)
    shown = returns.filter(status__in=tab_statuses(selectors.ORDER_TABS, tab))
    paged = page_context(request, shown, count=counts[tab])
    context = {
        "tabs": tabs,
        "tab": tab,
        **paged,
        "filters": _filters(request),
        "balances": balances_as_supplier(tenant=request.tenant),
        "bulk": tab == InboundStatus.PENDING and request.user.has_perm(Perm.RETURN_STOCKIN),
        "warehouses": own_warehouses(request.tenant),
    }
    return render_page(request, "distribution/bigshop_orders.html", context, partial="bigshop-panel")


@require_POST
@area_required("bigshop")
@perm_required(Perm.RETURN_STOCKIN)
def receive_selected(request: AppRequest) -> HttpResponse:
    """Confirm Return: the selected returns stocked in whole, sellable, into one of the supplier's own
    warehouses; each return gets its own result."""
    back = f"{reverse('bigshop:index')}?tab={InboundStatus.PENDING}"
    rows = selectors.supplier_return_qs(tenant=request.tenant)
    form = SelectionForm(request.POST, name="return", rows=rows, noun="return")
    if not form.is_valid():
        messages.error(request, form.error_text)
        return redirect(back)
    warehouse = own_warehouses(request.tenant).filter(pk=parse_int(request.POST.get("warehouse"))).first()
    if warehouse is None:
        messages.error(request, "Choose one of your own active warehouses to stock the returns in to.")
        return redirect(back)
    done = supplier_returns_receive_all(returns=form.selected, actor=request.user, warehouse=warehouse)
    for supplier_return, refusal in done:
        if refusal:
            messages.error(request, f"{supplier_return.number}: {refusal}")
        else:
            messages.success(
                request, f"{supplier_return.number}: stocked in to {warehouse.name}; it is in Received Return."
            )
    return redirect(back)


@require_GET
@vary_on_headers("HX-Request")
@area_required("bigshop")
def return_list(request: AppRequest) -> HttpResponse:
    """Return & Stock-in - BigShop: Pending Stock-in, Received Return, Recalled."""
    returns = selectors.supplier_return_list(tenant=request.tenant, user=request.user, params=request.GET)
    counts = status_tab_counts(returns, selectors.BIGSHOP_TABS)
    tab, tabs = build_tabs(request.GET, labels=selectors.BIGSHOP_TABS, counts=counts)
    paged = page_context(request, returns.filter(status=tab), count=counts[tab])
    context = {"tabs": tabs, "tab": tab, **paged, "filters": _filters(request)}
    return render_page(request, "distribution/bigshop_returns.html", context, partial="bigshop-panel")


def _received(request: AppRequest, lines) -> dict[int, tuple[int, int]]:
    """The quantities typed per line; anything but digits counts as a refusal, never a 500."""
    received = {}
    for line in lines:
        raw = [request.POST.get(f"{kind}-{line.pk}", "") or "0" for kind in ("sellable", "damaged")]
        numbers = [parse_int(value, max_value=10**6) for value in raw]
        if None in numbers:
            raise Refused(f"{line.sku.code}: type whole numbers of items.", code="not_a_number")
        received[line.pk] = (numbers[0], numbers[1])
    return received


@require_http_methods(["GET", "POST"])
@area_required("bigshop")
def return_detail(request: AppRequest, return_id: int) -> HttpResponse:
    supplier_return = get_object_or_404(_returns(request), pk=return_id)
    if request.method == "POST":
        return _receive(request, supplier_return, list(supplier_return.lines.select_related("sku")))
    return _detail(request, supplier_return)


def _detail(request: AppRequest, supplier_return, **forms) -> HttpResponse:
    """The return's page; `forms`: a refused refund form, shown again with its errors."""
    context = {
        "supplier_return": supplier_return,
        "lines": list(supplier_return.lines.select_related("sku")),
        "warehouses": own_warehouses(request.tenant),
        "events": selectors.supplier_return_timeline(supplier_return=supplier_return),
        "pending": supplier_return.status == InboundStatus.PENDING,
        **_refund_context(supplier_return, **forms),
    }
    return render(request, "distribution/bigshop_return.html", context)


@perm_required(Perm.RETURN_STOCKIN)
def _receive(request: AppRequest, supplier_return, lines) -> HttpResponse:
    """Stock-In: the quantities per line into one of the supplier's own warehouses; from the scan
    page (Stock-In / Return), back to it."""
    here = done = reverse("bigshop:return", args=[supplier_return.pk])
    if request.POST.get("back") == "scan":  # done: ready for the next parcel; refused: the same scan again
        done = reverse("inventory:index")
        here = f"{done}?{urlencode({'q': clean_text(request.POST.get('q', ''))})}"
    warehouse_id = parse_int(request.POST.get("warehouse"))
    warehouse = own_warehouses(request.tenant).filter(pk=warehouse_id).first()
    try:
        if warehouse is None:
            raise Refused("Choose one of your own active warehouses.", code="no_warehouse")
        supplier_return_receive(
            supplier_return=supplier_return, actor=request.user, warehouse=warehouse, received=_received(request, lines)
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(here)
    messages.success(request, f"Return {supplier_return.number} stocked in: it is in Received Return.")
    return redirect(done)


def _refund_context(supplier_return, form=None, none_form=None) -> dict:
    if supplier_return.status == InboundStatus.PENDING:
        return {"estimate": estimate(supplier_return)}
    if supplier_return.status != InboundStatus.RECEIVED:
        return {"refund_order": DistributorRefund.objects.filter(supplier_return=supplier_return).first()}
    figures = refund_figures(supplier_return)
    if figures.refundable <= 0:  # nothing to refund: the return is completed without refund
        return {"figures": figures, "none_form": none_form or CompleteWithoutRefundForm()}
    form = form or RefundToDistributorForm(refundable=figures.refundable, currency=supplier_return.currency)
    return {"figures": figures, "refund_form": form}


@require_POST
@area_required("bigshop")
@perm_required(Perm.AFTERSALES_REFUND)
def return_refund(request: AppRequest, return_id: int) -> HttpResponse:
    """Create Refund Order (to the distributor), from Received Return; a Bank Transfer with its proof."""
    supplier_return = get_object_or_404(_returns(request), pk=return_id)
    if supplier_return.status != InboundStatus.RECEIVED:
        messages.error(request, f"Return {supplier_return.number} is {supplier_return.get_status_display()}.")
        return redirect("bigshop:return", supplier_return.pk)
    figures = refund_figures(supplier_return)
    form = RefundToDistributorForm(
        request.POST, request.FILES, refundable=figures.refundable, currency=supplier_return.currency
    )
    if form.is_valid():
        data = form.cleaned_data
        done = perform(  # refused: nothing written, and the proof not stored
            request,
            lambda: distributor_refund_create(
                supplier_return=supplier_return,
                actor=request.user,
                method=data["method"],
                amount=data["amount"],
                bank_details=data["bank_details"],
                proof=data["proof"],
            ),
            success=lambda refund: f"Refund order {refund.number} created ({refund.get_method_display()}).",
            redirect_to=reverse("bigshop:return", args=[supplier_return.pk]),
            form=form,
        )
        if done:
            return done
    return _detail(request, supplier_return, form=form)


@require_POST
@area_required("bigshop")
@perm_required(Perm.AFTERSALES_REFUND)
def return_complete(request: AppRequest, return_id: int) -> HttpResponse:
    """Complete without refund: Received Return with a Refundable of 0, the reason on both timelines."""
    supplier_return = get_object_or_404(_returns(request), pk=return_id)
    if supplier_return.status != InboundStatus.RECEIVED:
        messages.error(request, f"Return {supplier_return.number} is {supplier_return.get_status_display()}.")
        return redirect("bigshop:return", supplier_return.pk)
    form = CompleteWithoutRefundForm(request.POST)
    if form.is_valid():
        done = perform(
            request,
            lambda: distributor_refund_none(
                supplier_return=supplier_return, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            success=lambda refund: f"Return {supplier_return.number} completed without refund ({refund.number}).",
            redirect_to=reverse("bigshop:return", args=[supplier_return.pk]),
            form=form,
        )
        if done:
            return done
    return _detail(request, supplier_return, none_form=form)


@require_GET
@area_required("bigshop")
def return_refund_proof(request: AppRequest, return_id: int) -> HttpResponse:
    """The transfer proof of the supplier's own refund order, through its own return only."""
    supplier_return = get_object_or_404(selectors.supplier_return_qs(tenant=request.tenant), pk=return_id)
    refund = DistributorRefund.objects.for_tenant(request.tenant).filter(supplier_return=supplier_return).first()
    if refund is None or not refund.proof:
        raise Http404("This return's refund order has no transfer proof.")
    return proof_response(refund.proof, name=f"{refund.number} proof")


def _returns(request: AppRequest):
    return selectors.supplier_return_qs(tenant=request.tenant).select_related(
        "partnership__distributor", "warehouse", "received_warehouse", "stock_out"
    )


@require_http_methods(["GET", "POST"])
@area_required("bigshop")
def charge_setting(request: AppRequest) -> HttpResponse:
    """Distribution Charge Setting: the return handling fee, per order and per item."""
    setting = DistributionSetting.objects.for_tenant(request.tenant).first()
    initial = {"per_order": setting.return_fee_per_order, "per_item": setting.return_fee_per_item} if setting else {}
    form = ChargeSettingForm(request.POST or None, initial=initial or {"per_order": 0, "per_item": 0})
    if request.method == "POST":
        require_perm(request.user, Perm.SETTINGS)
        if form.is_valid():
            done = perform(
                request,
                lambda: charge_setting_set(
                    actor=request.user, per_order=form.cleaned_data["per_order"], per_item=form.cleaned_data["per_item"]
                ),
                success="Distribution Charge Setting saved.",
                redirect_to="bigshop:charges",
                form=form,
            )
            if done:
                return done
    return render(request, "distribution/bigshop_charges.html", {"form": form})
