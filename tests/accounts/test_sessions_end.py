"""A session ends for good, whichever store keeps it: logging out, a disabled sub-account and a
deactivated company account are all refused on the very next request.

Sessions are read from the database, or from a shared cache in front of it (`cached_db`, when
CACHE_URL names one); the user row, its tenant and its role are read from the database on every
request, so neither a cached session nor the user's row of the previous request lets anyone in.
"""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Tenant
from accounts.services import subaccount_set_active
from tests.factories import PASSWORD, UserFactory

ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]


@pytest.fixture(params=ENGINES, ids=["db", "cached_db"])
def engine(request, settings):
    settings.SESSION_ENGINE = request.param
    return request.param


def _logged_in(user) -> Client:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    assert client.get(reverse("aftersales:index")).status_code == 200
    return client


def _refused(client) -> bool:
    response = client.get(reverse("aftersales:index"))
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def _same_cookie(client) -> Client:
    """Another browser replaying the session cookie, as a second worker or a stolen cookie would."""
    other = Client()
    other.cookies = client.cookies.__class__(client.cookies)
    return other


def test_logging_out_ends_the_session_even_for_a_copy_of_its_cookie(engine, owner):
    client = _logged_in(owner)
    copy = _same_cookie(client)
    assert copy.get(reverse("aftersales:index")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert _refused(client) and _refused(copy)


def test_a_disabled_sub_account_is_refused_on_its_next_request(engine, owner):
    sub = UserFactory(tenant=owner.tenant, perms=["accounts.manual_aftersales"])
    client = _logged_in(sub)
    subaccount_set_active(user=sub, actor=owner, active=False)
    assert _refused(client) and _refused(_same_cookie(client))


def test_a_deactivated_company_account_is_refused_on_its_next_request(engine, owner):
    client = _logged_in(owner)
    Tenant.objects.filter(pk=owner.tenant_id).update(is_active=False)
    assert _refused(client)


def test_a_role_taken_away_applies_on_the_next_request(engine, owner):
    sub = UserFactory(tenant=owner.tenant, perms=["accounts.manual_aftersales"])
    client = _logged_in(sub)
    sub.role.perms = []
    sub.role.save(update_fields=["perms"])
    assert client.get(reverse("aftersales:index")).status_code == 403


def _session_writes(client, monkeypatch, at: float) -> int:
    monkeypatch.setattr("core.middleware.time.time", lambda: at)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("aftersales:index")).status_code == 200
    sqls = [query["sql"] for query in captured.captured_queries]
    return sum(sql.startswith(("UPDATE", "INSERT")) and "django_session" in sql for sql in sqls)


def test_a_busy_session_is_renewed_at_most_once_a_minute(engine, owner, monkeypatch):
    client = _logged_in(owner)
    start = time.time() + 120  # past the renewal the login stamped
    assert _session_writes(client, monkeypatch, start) == 1
    assert [_session_writes(client, monkeypatch, start + seconds) for seconds in (1, 30, 59)] == [0, 0, 0]
    assert _session_writes(client, monkeypatch, start + 60) == 1
