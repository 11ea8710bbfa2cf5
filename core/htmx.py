from django.http import HttpResponse
from django.shortcuts import render


def render_page(request, template: str, context: dict, *, partial: str) -> HttpResponse:
    """The whole page, or only its `partial` for an htmx swap.

    A history-restore request (back button after the cache missed) wants the whole page.
    Views using this must vary on HX-Request, so no cache serves a partial as a page.
    """
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{template}#{partial}"
    return render(request, template, context)
