"""Tokens sealed at rest: the database holds ciphertext, the model the plain value; key rotation."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from channels.models import Connection
from core import secrets
from tests.factories import StoreFactory


@pytest.fixture
def fresh_keys(settings):
    def use(*keys):
        settings.TOKEN_KEYS = list(keys)
        secrets._fernet.cache_clear()

    yield use
    secrets._fernet.cache_clear()


@pytest.mark.django_db
def test_the_database_never_holds_the_plain_token():
    store = StoreFactory()
    Connection.objects.create(tenant=store.tenant, store=store, access_token="tok-123", refresh_token="ref-456")
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM sales_channels_connection")
        stored = cursor.fetchone()
    assert "tok-123" not in stored[0] and "ref-456" not in stored[1]
    assert Connection.objects.get().access_token == "tok-123"


@pytest.mark.django_db
def test_an_old_key_still_opens_after_a_new_one_goes_in_front(fresh_keys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    fresh_keys(old)
    store = StoreFactory()
    Connection.objects.create(tenant=store.tenant, store=store, access_token="tok-123")
    fresh_keys(new, old)
    assert Connection.objects.get().access_token == "tok-123"
    fresh_keys(new)  # the old key dropped: the token reads as empty, and the store asks to re-authorize
    assert Connection.objects.get().access_token == ""
