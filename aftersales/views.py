from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import Perm
from accounts.selectors import tenant_users
from aftersales import selectors, services
from aftersales.filters import CaseFilter
from aftersales.forms import (
    REASONS,
    CancelForm,
    CaseCreateForm,
    CaseEditForm,
    ConfirmStockInForm,
    EvidenceForm,
)
from aftersales.limits import MAX_ADDED_UNITS, order_refund_room, with_refund_rooms
from aftersales.models import MANUAL_TYPES, CaseStatus
from aftersales.scan_sources import stocked_elsewhere
from core import machines
from core.actions import perform
from core.errors import Refused
from core.filters import clean_text, parse_int
from core.forms import SelectionForm
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.tabs import build_tabs, tab_statuses
from core.types import AppRequest
from core.uploads import file_response
from inventory.selectors import receiving_warehouses, sku_choices
from orders import selectors as order_selectors

# Writing cases needs Manual After-Sales Order; the area also opens to After-Sales Refund (finance
# creates refund orders from Received Return). Transitions check the role again in the model.
can_work_cases = permission_required(Perm.MANUAL_AFTERSALES, raise_exception=True)


@require_GET
@vary_on_headers("HX-Request")
@area_required("aftersales")
def case_list(request: AppRequest) -> HttpResponse:
    cases = selectors.case_list(tenant=request.tenant, user=request.user, params=request.GET)  # searched once
    counts = selectors.case_tab_counts(cases)
    tab, tabs = build_tabs(request.GET, labels=selectors.CASE_TABS, counts=counts)
    paged = page_context(request, cases.filter(status__in=tab_statuses(selectors.CASE_TABS, tab)), count=counts[tab])
    with_refund_rooms(paged["page"].object_list)  # the rows' Create Refund Order asks each case's room
    return render_page(
        request,
        "aftersales/case_list.html",
        {
            "tabs": tabs,
            "tab": tab,
            **paged,
            "filters": CaseFilter(request.GET, tenant=request.tenant, user=request.user).form,
            # To Confirm's rows are selected for Confirm After-Sales by those who may confirm
            "bulk": tab == CaseStatus.TO_CONFIRM and request.user.has_perm(Perm.MANUAL_AFTERSALES),
        },
        partial="case-panel",
    )


@require_POST
@area_required("aftersales")
@can_work_cases
def case_bulk_confirm(request: AppRequest) -> HttpResponse:
    """Confirm After-Sales on the selected cases, one by one: each gets its own result."""
    cases = selectors.case_qs(tenant=request.tenant, user=request.user)
    form = SelectionForm(request.POST, name="case", rows=cases, noun="case")
    if not form.is_valid():
        messages.error(request, form.error_text)
        return redirect("aftersales:index")
    done = []
    for case in form.selected:
        try:
            services.case_confirm(case=case, actor=request.user)
        except (Refused, PermissionDenied) as refusal:
            messages.error(request, f"{case.number}: {refusal}")
        else:
            done.append(case.number)
    if done:
        messages.success(request, f"Confirmed {len(done)}: " + ", ".join(done) + ".")
    return redirect(f"{reverse('aftersales:index')}?tab={CaseStatus.TO_CONFIRM}")


def _order_pick(request: AppRequest) -> HttpResponse:
    """The first step of Create After-Sales Order: search the order, each with why it takes no case."""
    query = clean_text(request.GET.get("q", ""))
    matches = order_selectors.order_list(tenant=request.tenant, user=request.user, params={"q": query})
    found = matches[:20] if query else []
    for order in found:
        order.refusal = services.order_refusal(order)
    return render(request, "aftersales/case_create_pick.html", {"q": query, "found": found})


@require_http_methods(["GET", "POST"])
@area_required("aftersales")
@can_work_cases
def case_create(request: AppRequest) -> HttpResponse:
    """Create After-Sales Order: find the order, then the type and the lines."""
    orders = order_selectors.order_qs(tenant=request.tenant, user=request.user)
    order_id = parse_int(request.GET.get("order"))
    if order_id is None:
        return _order_pick(request)
    order = get_object_or_404(orders.select_related("store", "buyer__tier"), pk=order_id)
    if refusal := services.order_refusal(order):
        messages.error(request, refusal)
        return redirect(f"{request.path}?q={order.number}")
    skus = sku_choices(tenant=request.tenant)  # inactive SKUs are not offered; the order's own lines still are
    form = CaseCreateForm(
        request.POST or None,
        request.FILES or None,
        order=order,
        returnable=services.returnable_by_sku(order),
        skus=skus,
        users=tenant_users(tenant=request.tenant),
        can_over_refund=request.user.has_perm(Perm.OVER_REFUND),
        initial={"type": request.GET.get("type") if request.GET.get("type") in MANUAL_TYPES else MANUAL_TYPES[0]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = perform(
            request,
            lambda: services.case_create(
                tenant=request.tenant,
                actor=request.user,
                order=order,
                type=data["type"],
                returned=form.returned,
                exchange=form.exchange,
                reason=data["reason"],
                notes=data["notes"],
                return_tracking_number=data["return_tracking_number"],
                assignee=data["assignee"],
                attachments=data["evidence"],
                over_refund_note=data.get("over_refund_note", ""),
            ),
            success=lambda case: f"{case.get_type_display()} case {case.number} created: it is in To Confirm.",
            redirect_to=lambda case: reverse("aftersales:detail", kwargs={"case_id": case.pk}),
            form=form,
        )
        if created:
            return created
    return render(
        request,
        "aftersales/case_create.html",
        {
            "order": order,
            "form": form,
            "reasons": REASONS,
            "room": order_refund_room(order),
            "max_added_units": MAX_ADDED_UNITS,
        },
    )


def _case(request: AppRequest, case_id: int):
    return get_object_or_404(
        selectors.case_qs(tenant=request.tenant, user=request.user).select_related(
            "store", "order__buyer", "order__warehouse", "assignee", "created_by", "exchange_order"
        ),
        pk=case_id,
    )


STOCK_IN_ACTIONS = ("receive", "confirm_and_stock_in")


@require_GET
@area_required("aftersales")
def case_detail(request: AppRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    return render(request, "aftersales/case_detail.html", _detail_context(request, case))


def _detail_context(request: AppRequest, case, **forms) -> dict:
    users = tenant_users(tenant=request.tenant)
    actions = machines.actions(case, request.user)
    elsewhere = stocked_elsewhere(tenant=request.tenant, cases=[case]).get(case.pk, "")
    if elsewhere:  # another party (the supplier) stocks this parcel in: no Stock-In button here
        actions = {name: a for name, a in actions.items() if name not in STOCK_IN_ACTIONS}
    return {
        "case": case,
        "actions": actions,
        "stocked_elsewhere": elsewhere,
        "stock_in_form": forms.get("stock_in_form")
        or ConfirmStockInForm(warehouses=receiving_warehouses(tenant=request.tenant)),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "edit_form": forms.get("edit_form") or CaseEditForm(instance=case, users=users),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        **selectors.case_detail_context(case=case),
    }


def _act(request: AppRequest, case_id: int, action, success: str, form_class=None, form_name="", **form_kwargs):
    """Run one case action from a POST: the form (if any), the service, then the case page again.
    A refusal re-renders the page with the message; success redirects (post/redirect/get)."""
    case = _case(request, case_id)
    form = form_class(request.POST, **form_kwargs) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, "Check the form below.")
        return render(request, "aftersales/case_detail.html", _detail_context(request, case, **{form_name: form}))
    to = reverse("aftersales:detail", kwargs={"case_id": case.pk})
    done = perform(
        request,
        lambda: action(case, form.cleaned_data if form else {}),
        success=lambda result: success.format(case=case, result=result),
        redirect_to=to,
        form=form,
    )
    if done is not None:
        return done
    if form.non_field_errors():  # a refusal about the case, not about what was typed: said, page again
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect(to)
    return render(request, "aftersales/case_detail.html", _detail_context(request, case, **{form_name: form}))


@require_POST
@area_required("aftersales")
def case_confirm(request: AppRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda case, _: services.case_confirm(case=case, actor=request.user),
        "Case {case.number} confirmed: it is now in {result.status.label}.",
    )


@require_POST
@area_required("aftersales")
def case_confirm_stock_in(request: AppRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda case, data: services.case_confirm_and_stock_in(
            case=case, actor=request.user, warehouse=data["warehouse"], condition=data["condition"]
        ),
        "Case {case.number} confirmed and stocked in: it is now in Received Return.",
        ConfirmStockInForm,
        "stock_in_form",
        warehouses=receiving_warehouses(tenant=request.tenant),
    )


@require_POST
@area_required("aftersales")
def case_exchange_order(request: AppRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda case, _: services.case_generate_exchange_order(case=case, actor=request.user),
        "Exchange order {result.number} generated: it waits in Order Entry > Pending Order > Waiting to Approve.",
    )


@require_POST
@area_required("aftersales")
def case_complete(request: AppRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda case, _: services.case_complete(case=case, actor=request.user),
        "Case {case.number} is After-Sales Completed.",
    )


@require_POST
@area_required("aftersales")
def case_cancel(request: AppRequest, case_id: int) -> HttpResponse:
    return _act(
        request,
        case_id,
        lambda case, data: services.case_cancel(case=case, actor=request.user, reason=data["reason"]),
        "Case {case.number} cancelled.",
        CancelForm,
        "cancel_form",
    )


@require_POST
@area_required("aftersales")
@can_work_cases
def case_edit(request: AppRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    return _act(
        request,
        case_id,
        lambda case, data: services.case_update(case=case, actor=request.user, **data),
        "Case {case.number} saved.",
        CaseEditForm,
        "edit_form",
        instance=case,
        users=tenant_users(tenant=request.tenant),
    )


@require_POST
@area_required("aftersales")
@can_work_cases
def attachment_add(request: AppRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "aftersales/case_detail.html", _detail_context(request, case, evidence_form=form))

    def add_all() -> None:  # refused when the case closed meanwhile: the page then shows it without the form
        for upload, content_type in form.cleaned_data["evidence"]:
            services.attachment_add(case=case, actor=request.user, upload=upload, content_type=content_type)

    return perform(
        request,
        add_all,
        success=f"Evidence added to case {case.number}.",
        redirect_to=reverse("aftersales:detail", kwargs={"case_id": case.pk}),
    )


@require_GET
@area_required("aftersales")
def attachment(request: AppRequest, attachment_id: int) -> FileResponse:
    """Evidence is served only to the case's tenant, never from a public media URL."""
    found = get_object_or_404(selectors.attachment_qs(tenant=request.tenant, user=request.user), pk=attachment_id)
    return file_response(found.file, content_type=found.content_type, name=found.name)
