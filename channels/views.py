from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from channels import selectors
from channels.filters import StoreFilter
from core.navigation import area_required
from core.paging import page_context
from core.types import AppRequest


@require_GET
@area_required("settings")
def store_list(request: AppRequest) -> HttpResponse:
    """Settings > Stores, read-only: stores are connected by the channel integration, not typed in."""
    stores = selectors.store_list(tenant=request.tenant, params=request.GET)
    context = {**page_context(request, stores), "filters": StoreFilter(request.GET).form}
    return render(request, "settings/store_list.html", context)
