from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from channels.selectors import store_qs
from core import params
from core.navigation import area_required
from core.paging import page_context
from core.types import AppRequest


@require_GET
@area_required("settings")
def store_list(request: AppRequest) -> HttpResponse:
    """Settings > Stores, read-only: stores are connected by the channel integration, not typed in."""
    query = params.text(request.GET, "q")
    stores = store_qs(tenant=request.tenant)
    if query:
        stores = stores.filter(Q(name__icontains=query) | Q(external_id__icontains=query) | Q(site__icontains=query))
    context = {**page_context(request, stores.order_by("name", "pk")), "q": query}
    return render(request, "settings/store_list.html", context)
