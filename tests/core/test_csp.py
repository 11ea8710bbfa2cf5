"""Content-Security-Policy: scripts only from our static files, so injected markup runs nothing."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import make_case, shipped_order

TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", re.IGNORECASE)
HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_pages_forbid_inline_scripts_and_eval(owner, login):
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    client = login(owner)
    for url in ["/", reverse("aftersales:detail", args=[case.pk]), reverse("refunds:index")]:
        policy = directives(client.get(url))
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
    assert directives(Client().get(reverse("accounts:login")))["script-src"] == ["'self'"]


TEMPLATES = sorted(p.relative_to(settings.BASE_DIR).as_posix() for p in settings.BASE_DIR.glob("templates/**/*.html"))


@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_hold_no_inline_script_or_event_handler(template):
    text = (settings.BASE_DIR / template).read_text()
    assert not INLINE_SCRIPT.search(text), "move the script to static/js"
    for tag in TAG.findall(text):
        assert not HANDLER.search(tag), f"use a data- attribute and a listener in static/js/app.js: {tag}"
        assert "javascript:" not in tag.lower(), tag


def test_rendered_pages_hold_no_inline_script_or_event_handler(owner, login):
    order = shipped_order(tenant=owner.tenant)
    case = make_case(order=order, actor=owner)
    client = login(owner)
    urls = [
        "/",
        reverse("aftersales:detail", args=[case.pk]),
        f"{reverse('aftersales:create')}?order={order.pk}",
        reverse("orders:detail", args=[order.pk]),
        reverse("inventory:index"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not INLINE_SCRIPT.search(response.text), url
        assert not [tag for tag in TAG.findall(response.text) if HANDLER.search(tag)], url
