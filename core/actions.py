"""One user action from a view, written once: call the service; its refusal is said (as a message, or
beside the form's field it is about), its success said and the user sent on (post/redirect/get)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django_htmx.http import HttpResponseClientRedirect

from core.errors import Refused


def add_refusal(form: Form, refusal: Refused) -> None:
    """The refusal beside the field it is about: the form's own `add_refusal`, else the field its
    `REFUSAL_FIELDS` (refusal code -> field) names, else the row its `refusal_field` finds for a
    refusal about one line, else the refusal's own `field` figure; above the form when none is a field."""
    if hasattr(form, "add_refusal"):
        form.add_refusal(refusal)
        return
    field = getattr(form, "REFUSAL_FIELDS", {}).get(refusal.code)
    if field is None and hasattr(form, "refusal_field"):
        field = form.refusal_field(refusal)
    field = field or refusal.figures.get("field")
    form.add_error(field if field in form.fields else None, refusal.message)


def perform(
    request,
    service: Callable[[], Any],
    *,
    success: str | Callable[[Any], str | None],
    redirect_to: Any,
    form: Form | None = None,
) -> HttpResponse | None:
    """Run `service()`. Done: `success` is said (a text, or a function of what the service returned
    giving the text, or None when it said more itself) and the answer is the redirect to `redirect_to`
    (what `redirect()` takes, or a function of what the service returned, then given with a `form`).
    Refused: with a `form`, the refusal goes on it and None is returned, for the view to show the form
    again; without one, it is said as an error and the user is redirected all the same.

    An htmx request is sent on with HX-Redirect, a page load: a 302 would be followed by the XHR and
    the whole page swapped into the request's target."""
    try:
        result = service()
    except Refused as refusal:
        if form is not None:
            add_refusal(form, refusal)
            return None
        messages.error(request, refusal.message)
        to = redirect_to
    else:
        if said := success(result) if callable(success) else success:
            messages.success(request, said)
        to = redirect_to(result) if callable(redirect_to) else redirect_to
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(resolve_url(to))
    return redirect(to)
