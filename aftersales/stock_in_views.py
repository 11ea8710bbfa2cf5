"""Stock-In / Return, the warehouse's page: scan a parcel, find its case, receive it. Its URLs stay
in the warehouse area (`inventory:` namespace, under /stock/), next to the stock pages."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from aftersales import stock_in_selectors as selectors
from aftersales.filters import ReturnFilter
from aftersales.services import case_receive
from aftersales.stock_in_forms import ReturnReceiveForm
from core.actions import perform
from core.filters import clean_text
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.types import AppRequest
from inventory.selectors import receiving_warehouses

LAST_WAREHOUSE = "stock_in_warehouse"  # session key: the warehouse this user last stocked a parcel into


def _receive_form(request: AppRequest, case, data=None) -> ReturnReceiveForm:
    return ReturnReceiveForm(
        data,
        case=case,
        lines=selectors.return_lines(case=case),
        warehouses=receiving_warehouses(tenant=request.tenant),
        last_warehouse_id=request.session.get(LAST_WAREHOUSE),
    )


@require_GET
@vary_on_headers("HX-Request")
@area_required("inventory")
def stock_in(request: AppRequest) -> HttpResponse:
    """Stock-In / Return: scan a code to find the case its parcel belongs to; with no code, the
    cases waiting for their parcel."""
    code = clean_text(request.GET.get("q", ""))
    context: dict = {"q": code}
    if code:
        scan = selectors.return_scan(tenant=request.tenant, user=request.user, code=code)
        context["scan"] = scan
        if len(scan.waiting) == 1 and not scan.others:  # the usual scan: receive it right here
            context["case"] = scan.waiting[0]
            context["form"] = _receive_form(request, scan.waiting[0])
    else:
        waiting = selectors.returns_waiting(tenant=request.tenant, user=request.user, params=request.GET)
        context.update(page_context(request, waiting))
        selectors.mark_stocked_elsewhere(tenant=request.tenant, cases=context["page"])
        context["filters"] = ReturnFilter(request.GET, tenant=request.tenant, user=request.user).form
    return render_page(request, "aftersales/stock_in.html", context, partial="scan-results")


@require_http_methods(["GET", "POST"])
@area_required("inventory")
def return_receive(request: AppRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(selectors.return_qs(tenant=request.tenant, user=request.user), pk=case_id)
    refusal = selectors.stock_in_refusal(case, request.user)
    if request.method == "GET" and refusal:
        return render(
            request,
            "aftersales/return_receive.html",
            {"case": case, "refusal": refusal, "lines": selectors.return_lines(case=case)},
        )
    # a POST always goes to the service: it locks the case and is the one to say "already received"
    form = _receive_form(request, case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        warehouse, items = form.cleaned_data["warehouse"], form.item_count()
        received = perform(
            request,
            lambda: case_receive(case=case, actor=request.user, warehouse=warehouse, received=form.received()),
            success=lambda case: (
                f"Case {case.number} received: {items} item{pluralize(items)} into "
                f"{warehouse.name}; it is now in {case.get_status_display()}."
            ),
            redirect_to="inventory:index",
            form=form,
        )
        if received:
            if request.session.get(LAST_WAREHOUSE) != warehouse.pk:  # a session write only when it changes
                request.session[LAST_WAREHOUSE] = warehouse.pk  # the next parcel most likely goes there too
            return received
    return render(request, "aftersales/return_receive.html", {"case": case, "form": form})
