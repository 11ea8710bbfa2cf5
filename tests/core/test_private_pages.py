"""A logged-in user's pages: never cached, and a session that lasts a working day, sliding."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.middleware import SESSION_RENEWED_AT
from tests.factories import make_case, shipped_order

PAGES = ["core:home", "aftersales:index", "refunds:index", "orders:index", "inventory:index", "settings:index"]


@pytest.mark.parametrize("name", PAGES)
def test_every_authenticated_page_is_private_and_never_stored(owner, login, name):
    response = login(owner).get(reverse(name))
    assert response.status_code == 200
    assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}


def test_htmx_partials_and_error_pages_of_a_logged_in_user_are_not_stored_either(owner, login):
    client = login(owner)
    case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
    partial = client.get(reverse("aftersales:detail", args=[case.pk]), headers={"HX-Request": "true"})
    missing = client.get(reverse("aftersales:detail", args=[case.pk + 1000]))
    assert (partial.status_code, missing.status_code) == (200, 404)
    assert "no-store" in partial["Cache-Control"]
    assert "no-store" in missing["Cache-Control"]


def test_the_session_lasts_ten_hours_from_the_last_request(owner, login):
    client = login(owner)
    # given five hours went by since the last request
    session = client.session
    session[SESSION_RENEWED_AT] = int(time.time()) - 5 * 60 * 60
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=timezone.now() + timedelta(hours=5))
    # when the operator clicks again
    response = client.get(reverse("aftersales:index"))
    # then the day starts over from this request, in the database and in the cookie
    assert Session.objects.get(pk=session.session_key).expire_date > timezone.now() + timedelta(hours=9, minutes=59)
    assert response.cookies["sessionid"]["max-age"] == 10 * 60 * 60  # persistent: closing the tab keeps it


def test_clicks_within_a_minute_do_not_rewrite_the_session(owner, login):
    client = login(owner)
    for name in PAGES[:3]:
        assert "sessionid" not in client.get(reverse(name)).cookies


def test_a_session_idle_for_more_than_a_working_day_logs_out(owner, login):
    client = login(owner)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
