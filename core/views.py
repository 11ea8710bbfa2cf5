from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.navigation import AREAS, area_required
from core.types import AppRequest


@require_GET
def home(request: AppRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
@login_not_required
def health(request: AppRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def area_placeholder(key: str, coming: list[str]):
    """The page of an area not built yet: it says so plainly, and what will come."""

    @require_GET
    @area_required(key)
    def view(request: AppRequest) -> HttpResponse:
        return render(request, "core/area_placeholder.html", {"area": AREAS[key], "coming": coming})

    return view
