import pytest
from celery._state import _set_task_join_will_block
from django.test import Client

from accounts.permissions import Perm
from tests.factories import TenantFactory, UserFactory
from tests.sandbox_fixtures import app, sandbox, sandbox_url, shop, token  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _not_inside_a_task():
    """Celery's eager mode sets a process-wide "inside a task" flag around each run and puts back what
    it found; two live-server threads running tasks at once can put back each other's True, and a
    later result.get() in this process (never a worker) would then refuse to wait. Each test starts
    outside any task."""
    _set_task_join_will_block(False)


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


@pytest.fixture
def finance(owner):
    """A sub-account of the owner's tenant whose role is After-Sales Refund."""
    return UserFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND])


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of this test only (modules that upload use it for every test)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
