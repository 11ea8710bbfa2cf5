"""After-Sales Refund: finance confirms or rejects the payment slips; Create Refund Order on a case."""

from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from aftersales.models import Case
from aftersales.selectors import case_qs
from aftersales.services import check_transition
from core.actions import perform
from core.errors import Refused
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.tabs import build_tabs
from core.types import AppRequest
from core.uploads import proof_response
from refunds import selectors, services
from refunds.extra_tabs import tabs_for
from refunds.filters import RefundFilter
from refunds.forms import RefundCreateForm, RefundRejectForm
from refunds.models import RefundStatus


def _back_query(query: QueryDict) -> str:
    """The tab and search of the After-Sales Refund page, carried through a Confirm or Reject."""
    back = {}
    if query.get("tab") in selectors.REFUND_TABS:
        back["tab"] = query["tab"]
    if search := RefundFilter(query).applied.get("q"):
        back["q"] = search
    return urlencode(back)


def _index_url(query: QueryDict) -> str:
    back = _back_query(query)
    return reverse("refunds:index") + (f"?{back}" if back else "")


@require_GET
@vary_on_headers("HX-Request")
@area_required("refunds")
def refund_list(request: AppRequest) -> HttpResponse:
    counts = selectors.refund_tab_counts(tenant=request.tenant, user=request.user, params=request.GET)
    extras = {extra.key: extra for extra in tabs_for(request)}  # e.g. From Suppliers (distribution)
    labels = {**selectors.REFUND_TABS, **{key: extra.label for key, extra in extras.items()}}
    counts |= {key: extra.count(request) for key, extra in extras.items()}
    tab, tabs = build_tabs(request.GET, labels=labels, counts=counts)
    context = {"tabs": tabs, "tab": tab, "filters": RefundFilter(request.GET).form}
    if tab in extras:
        context["extra_panel"] = extras[tab].panel(request)  # render_to_string's: escaped by its template
    else:
        refunds = selectors.refund_list(tenant=request.tenant, user=request.user, status=tab, params=request.GET)
        context |= {
            "back_query": _back_query(request.GET),
            **page_context(request, refunds, count=counts[tab]),  # the tab count is the total
        }
    return render_page(request, "refunds/refund_list.html", context, partial="refund-panel")


@require_POST
@area_required("refunds")
def refund_confirm(request: AppRequest, refund_id: int) -> HttpResponse:
    refund = get_object_or_404(selectors.refund_qs(tenant=request.tenant, user=request.user), pk=refund_id)
    return perform(
        request,
        lambda: services.refund_confirm(refund=refund, actor=request.user),
        # the case loaded after the commit: its new state
        success=lambda done: (
            f"Refund {done.number} confirmed: case {done.case.number} is {done.case.get_status_display()}."
        ),
        redirect_to=_index_url(request.GET),
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@area_required("refunds")
def refund_reject(request: AppRequest, refund_id: int) -> HttpResponse:
    refund = get_object_or_404(
        selectors.refund_qs(tenant=request.tenant, user=request.user).select_related("case"), pk=refund_id
    )
    # ids of its own: several rows of the list may have their Reject form open at once
    form = RefundRejectForm(request.POST if request.method == "POST" else None, auto_id=f"refund-{refund.pk}-%s")
    if request.method == "POST" and form.is_valid():
        rejected = perform(
            request,
            lambda: services.refund_reject(refund=refund, actor=request.user, reason=form.cleaned_data["reason"]),
            # the case loaded after the commit: its new state
            success=lambda done: (
                f"Refund {done.number} rejected: case {done.case.number} is back in "
                f"{done.case.get_status_display()} for a new payment slip."
            ),
            redirect_to=_index_url(request.GET),
            form=form,
        )
        if rejected:
            return rejected
    return render_page(
        request,
        "refunds/refund_reject.html",
        {
            "refund": refund,
            "form": form,
            "processing": refund.status == RefundStatus.PROCESSING,
            "back_query": _back_query(request.GET),
            "index_url": _index_url(request.GET),
        },
        partial="reject-form",
    )


def _create_refusal(case: Case, user) -> str:
    """Why no refund order can be created on the case now ('' when it can)."""
    try:
        check_transition(case, user, "request_refund")
    except Refused as refusal:
        return str(refusal)
    return ""


@require_http_methods(["GET", "POST"])
@area_required("refunds")
def refund_create(request: AppRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(
        case_qs(tenant=request.tenant, user=request.user).select_related("order__buyer", "store", "exchange_order"),
        pk=case_id,
    )
    refusal = _create_refusal(case, request.user)
    form = None
    if not refusal:
        post = request.method == "POST"
        form = RefundCreateForm(request.POST if post else None, request.FILES if post else None, case=case)
        if post and form.is_valid():
            data = form.cleaned_data
            created = perform(  # refused: nothing written, and the proof not stored
                request,
                lambda: services.refund_create(
                    case=case,
                    actor=request.user,
                    amount=data["amount"],
                    method=data["method"],
                    payment_info=data["payment_info"],
                    proof=data["proof"],
                    note=data["note"],
                ),
                success=lambda refund: (
                    f"Refund order {refund.number} created for {refund.amount} {refund.currency}: "
                    f"case {case.number} is in {refund.case.get_status_display()}."
                ),
                redirect_to=reverse("aftersales:detail", kwargs={"case_id": case.pk}),
                form=form,
            )
            if created:
                return created
    return render(
        request,
        "refunds/refund_create.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal,
            "refunded": case.refunded(),
            "left": form.left if form else case.refund_left(),
            "room": form.room if form else None,
            "slips": selectors.case_slips(case=case),
        },
    )


@require_GET
@area_required("refunds")
def refund_proof(request: AppRequest, refund_id: int) -> FileResponse:
    """The payment proof, only through the tenant-scoped refund (never a public media URL)."""
    refund = get_object_or_404(selectors.refund_qs(tenant=request.tenant, user=request.user), pk=refund_id)
    if not refund.proof:
        raise Http404("This refund order has no payment proof.")
    return proof_response(refund.proof, name=f"{refund.number} proof")
