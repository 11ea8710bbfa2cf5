import pytest
from django.urls import reverse

from accounts.models import Tenant
from accounts.permissions import Perm
from core.navigation import AREAS
from tests.factories import PASSWORD, UserFactory


def test_login_by_username_or_email_lands_on_dashboard(client, owner):
    for identifier in (owner.username, owner.email.upper()):
        response = client.post(reverse("accounts:login"), {"username": identifier, "password": PASSWORD})
        assert response.status_code == 302 and response.url == reverse("core:home")
        assert client.get(reverse("core:home")).context["user"] == owner
        client.logout()


def test_wrong_password_and_disabled_account_cannot_log_in(client, tenant):
    disabled = UserFactory(tenant=tenant, is_active=False)
    for username, password in [(disabled.username, PASSWORD), ("nobody", PASSWORD)]:
        response = client.post(reverse("accounts:login"), {"username": username, "password": password})
        assert response.status_code == 200
        assert "enter a correct username and password" in response.content.decode()


def test_pages_are_private(client, db):
    response = client.get(reverse("settings:subaccount-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("perm", list(Perm))
def test_a_role_opens_exactly_its_areas(perm, tenant, login):
    # given a sub-account whose role holds one permission, in a tenant that is also a supplier (BigShop's
    # area is a supplier's only: tests/distribution/test_pages.py)
    Tenant.objects.filter(pk=tenant.pk).update(is_supplier=True)
    client = login(UserFactory(tenant=tenant, perms=[perm]))
    # then the areas needing it answer 200, every other area 403
    for area in AREAS.values():
        expected = 200 if perm in area.perms else 403
        assert client.get(reverse(area.url_name)).status_code == expected, (perm, area.key)
    nav = [area.key for area in client.get(reverse("core:home")).context["nav_areas"]]
    assert nav == [area.key for area in AREAS.values() if perm in area.perms]


def test_sub_account_without_role_sees_no_area(tenant, login):
    client = login(UserFactory(tenant=tenant))
    home = client.get(reverse("core:home"))
    assert home.context["nav_areas"] == []
    assert "Your role opens no area yet" in home.content.decode()
    assert all(client.get(reverse(a.url_name)).status_code == 403 for a in AREAS.values())


def test_main_account_opens_every_area(owner, login):
    Tenant.objects.filter(pk=owner.tenant_id).update(is_supplier=True)  # BigShop: a supplier's area
    client = login(owner)
    assert all(client.get(reverse(a.url_name)).status_code == 200 for a in AREAS.values())


@pytest.mark.parametrize("name", ["subaccount-list", "subaccount-create", "role-list", "role-create"])
def test_only_the_main_account_manages_sub_accounts_and_roles(name, tenant, login):
    # even a sub-account holding every product permission, Settings included
    client = login(UserFactory(tenant=tenant, perms=list(Perm)))
    assert client.get(reverse(f"settings:{name}")).status_code == 403
    assert client.post(reverse(f"settings:{name}"), {"name": "x", "username": "x"}).status_code in (403, 405)


def test_platform_admin_without_tenant_gets_403_not_a_crash(db, login, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD)
    client = login(admin)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("settings:index")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200
