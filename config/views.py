"""Pages of the whole project, which read several apps: they live above every app."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from channels.selectors import store_qs
from core.navigation import area_required
from core.types import AppRequest
from inventory.selectors import warehouse_qs


@require_GET
@area_required("settings")
def settings_index(request: AppRequest) -> HttpResponse:
    return render(
        request,
        "accounts/settings_index.html",
        {
            "stores": store_qs(tenant=request.tenant),
            "warehouses": warehouse_qs(tenant=request.tenant),
        },
    )
