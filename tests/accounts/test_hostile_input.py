"""Hostile values on the accounts pages are refused with a message or ignored, never a 500."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

HOSTILE = ["\x00", "a\x00b", "²", "x" * 5000, "😀@x.test", "' OR 1=1 --"]


@pytest.mark.parametrize("value", HOSTILE, ids=["nul", "inner-nul", "superscript", "long", "emoji", "sql"])
def test_no_500_on_the_accounts_pages(value, client, tenant, login):
    owner = login(UserFactory(tenant=tenant, owner=True))
    anonymous = [
        ("accounts:login", {"username": value, "password": value}),
        ("admin:login", {"username": value, "password": value}),
        ("accounts:password-reset", {"email": value}),
    ]
    for name, data in anonymous:
        assert client.post(reverse(name), data).status_code < 500, name
    for url in (f"/accounts/reset/{value}/{value}/", "/accounts/reset/MQ/%00/", "/accounts/reset/%00/set-password/"):
        assert client.get(url).status_code < 500, url
        assert client.post(url, {"new_password1": value, "new_password2": value}).status_code < 500, url
    change = {"old_password": value, "new_password1": value, "new_password2": value}
    assert owner.post(reverse("accounts:password-change"), change).status_code < 500
    assert owner.get(reverse("settings:history"), {"page": value}).status_code == 200
    create = {"username": value, "email": value, "password": value}
    assert owner.post(reverse("settings:subaccount-create"), create).status_code == 200
