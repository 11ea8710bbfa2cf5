"""Every accounts service that changes data checks its actor first: a table of service x actor -> allowed."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts import services
from accounts.models import AccountEvent, Role, User
from accounts.permissions import Perm
from core.errors import Refused
from tests.factories import PASSWORD, RoleFactory, TenantFactory, UserFactory

# Who acts: the tenant's main account, its sub-accounts (one per permission, every permission, none),
# the sub-account the action is about, another tenant's main account, the platform operator.
ACTORS = ["owner", *[f"sub:{perm.name}" for perm in Perm], "sub:ALL", "sub:NONE", "target", "other_owner", "operator"]


def _actor(kind: str, tenant, target: User, django_user_model) -> User:
    if kind == "owner":
        return UserFactory(tenant=tenant, owner=True)
    if kind == "target":
        return target
    if kind == "other_owner":
        return UserFactory(tenant=TenantFactory(), owner=True)
    if kind == "operator":
        return django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD)
    name = kind.removeprefix("sub:")
    perms = {"ALL": list(Perm), "NONE": []}[name] if name in ("ALL", "NONE") else [Perm[name]]
    return UserFactory(tenant=tenant, perms=perms)


SERVICES = {
    "subaccount_create": (
        {"owner"},
        lambda t, actor, sub, role: services.subaccount_create(
            tenant=t, actor=actor, username="fresh", email="", password="Long-enough-9", role=role, all_stores=True
        ),
    ),
    "subaccount_update": (
        {"owner"},
        lambda t, actor, sub, role: services.subaccount_update(
            user=sub, actor=actor, email="new@x.test", role=role, all_stores=True, password="Long-enough-9"
        ),
    ),
    "subaccount_set_active": (
        {"owner"},
        lambda t, actor, sub, role: services.subaccount_set_active(user=sub, actor=actor, active=False),
    ),
    "role_create": (
        {"owner"},
        lambda t, actor, sub, role: services.role_create(tenant=t, actor=actor, name="New", perms=list(Perm)),
    ),
    "role_update": (
        {"owner"},
        lambda t, actor, sub, role: services.role_update(role=role, actor=actor, name="Renamed", perms=list(Perm)),
    ),
    "role_delete": ({"owner"}, lambda t, actor, sub, role: services.role_delete(role=role, actor=actor)),
    "password_set": (
        {"target"},
        lambda t, actor, sub, role: services.password_set(user=sub, actor=actor, password="Long-enough-9"),
    ),
    "preferences_set": (
        {"target"},
        lambda t, actor, sub, role: services.preferences_set(user=sub, actor=actor, time_zone="Asia/Jakarta"),
    ),
    "tenant_set_active": (
        {"operator"},
        lambda t, actor, sub, role: services.tenant_set_active(tenant=t, actor=actor, active=False),
    ),
}


def test_the_table_names_every_service_that_writes():
    writers = {
        name
        for name, value in vars(services).items()
        if callable(value) and not name.startswith("_") and getattr(value, "__module__", "") == services.__name__
    }
    assert writers == set(SERVICES)


@pytest.mark.parametrize("actor_kind", ACTORS)
@pytest.mark.parametrize("service", list(SERVICES))
def test_only_the_allowed_actor_passes(service, actor_kind, tenant, django_user_model):
    # given a sub-account and an unused role of the tenant
    allowed, call = SERVICES[service]
    sub = UserFactory(tenant=tenant)
    role = RoleFactory(tenant=tenant)
    actor = _actor(actor_kind, tenant, sub, django_user_model)
    before = (AccountEvent.objects.count(), Role.objects.count(), User.objects.count())
    if actor_kind in allowed:
        # when the allowed actor calls it, it is done and recorded
        call(tenant, actor, sub, role)
        assert AccountEvent.objects.count() == before[0] + 1
    else:
        # any other is refused before anything is written
        with pytest.raises((PermissionDenied, Refused)):
            call(tenant, actor, sub, role)
        assert (AccountEvent.objects.count(), Role.objects.count(), User.objects.count()) == before
        sub.refresh_from_db()
        assert sub.is_active and sub.check_password(PASSWORD) and sub.email != "new@x.test"
        assert sub.time_zone != "Asia/Jakarta"
