import pytest
from django.test import Client

from tests.factories import TenantFactory, UserFactory


@pytest.fixture
def tenant(db):
    return TenantFactory()


@pytest.fixture
def owner(tenant):
    return UserFactory(tenant=tenant, owner=True)


@pytest.fixture
def login():
    """login(user) -> a test client logged in as that user."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login
