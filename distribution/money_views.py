"""The distributor's money with its suppliers: the suppliers' refunds on its After-Sales Refund page
(the "From Suppliers" tab refunds shows through its registration hook), their transfer proofs, and
Pay with balance on its unsettled orders."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.actions import perform
from core.navigation import AREAS, area_required
from core.paging import page_context
from core.tabs import build_tabs
from core.types import AppRequest
from core.uploads import proof_response
from distribution import selectors
from distribution.models import DistributorRefund, Partnership
from distribution.services.balance import balance_pay

FROM_SUPPLIERS = "from_suppliers"  # the After-Sales Refund page's tab key


def record_or_refund_area(view: Callable) -> Callable:
    """403 unless the user opens Distribution (the record's page) or After-Sales Refund (the From
    Suppliers tab): finance confirms a supplier's transfer without working the push records."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not any(AREAS[key].allows(request.user) for key in ("distribution", "refunds")):
            raise PermissionDenied("Your role does not include Distribution nor After-Sales Refund.")
        return view(request, *args, **kwargs)

    return wrapper


def from_suppliers_shown(request: AppRequest) -> bool:
    return Partnership.objects.as_distributor(request.tenant).exists()


def from_suppliers_count(request: AppRequest) -> int:
    """Refunds waiting for the distributor's Confirm receipt."""
    refunds = selectors.refunds_from_suppliers(tenant=request.tenant, user=request.user)
    return refunds.filter(status=DistributorRefund.Status.PROCESSING).count()


def from_suppliers_panel(request: AppRequest):
    """The "From Suppliers" tab: Refund Processing (to confirm) and Completed, each paged."""
    refunds = selectors.refunds_from_suppliers(tenant=request.tenant, user=request.user)
    counts = {key: refunds.filter(status=key).count() for key in selectors.FROM_SUPPLIER_TABS}
    status, tabs = build_tabs(request.GET, labels=selectors.FROM_SUPPLIER_TABS, counts=counts, param="status")
    paged = page_context(request, refunds.filter(status=status).order_by("-created_at", "-pk"), count=counts[status])
    context = {
        "status_tabs": tabs,
        "status": status,
        **paged,
        "rows": selectors.seen(paged["page"]),
        "records_open": AREAS["distribution"].allows(request.user),  # link each to its record's page
    }
    return render_to_string("distribution/_from_suppliers.html", context, request=request)


@require_GET
@record_or_refund_area
def push_refund_proof(request: AppRequest, push_id: int) -> HttpResponse:
    """The supplier's transfer proof, reached through the distributor's own record only."""
    push = get_object_or_404(selectors.push_qs(tenant=request.tenant, user=request.user), pk=push_id)
    proof = selectors.refund_proof_for(push=push)
    if proof is None:
        raise Http404("This refund has no transfer proof.")
    return proof_response(proof, name=f"Transfer proof {push.pk}")


@require_POST
@area_required("distribution")
def order_pay_with_balance(request: AppRequest, distribution_order_id: int) -> HttpResponse:
    """Pay with balance: what the Customer Balance covers of the order's unsettled amount."""
    orders = selectors.distribution_orders_for(tenant=request.tenant, user=request.user)
    order = get_object_or_404(orders, pk=distribution_order_id)
    return perform(
        request,
        lambda: balance_pay(distribution_order=order, actor=request.user),
        success=lambda paid: (
            f"Order {paid.order_number}: {paid.amount} {paid.currency} paid from the Customer Balance "
            f"({paid.unsettled} {paid.currency} left to pay, {paid.balance} {paid.currency} left in the balance)."
        ),
        redirect_to=reverse("distribution:partnership", args=[order.partnership_id]),
    )
