"""Finding 5 of issue 8: deactivating a tenant shuts its users out, at once and at the next login."""

from django.urls import reverse

from accounts.models import AccountEvent, Tenant
from tests.factories import PASSWORD, TenantFactory, UserFactory


def _log_in(client, login: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": login, "password": password})


def test_deactivating_a_tenant_in_the_admin_logs_its_users_out_and_refuses_their_logins(
    client, tenant, login, django_user_model
):
    # given a sub-account at work, and a user of another tenant at work too
    sub = UserFactory(tenant=tenant)
    other = UserFactory(tenant=TenantFactory())
    assert _log_in(client, sub.username).status_code == 302
    other_client = login(other)
    assert client.get(reverse("core:home")).status_code == 200
    # when the platform operator unticks "active" on the tenant in the admin
    root = django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD)
    admin = login(root)
    response = admin.post(reverse("admin:accounts_tenant_change", args=[tenant.pk]), {"name": tenant.name})
    assert response.status_code == 302
    assert not Tenant.objects.get(pk=tenant.pk).is_active
    # then the sub-account's next request is sent to the login page
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    # and logging in again is refused, saying why
    refused = _log_in(client, sub.email)
    assert refused.status_code == 200
    assert "account has been deactivated, so none of its users can log in" in refused.content.decode()
    # while a wrong password still says only that
    assert "deactivated" not in _log_in(client, sub.username, "wrong").content.decode()
    # the other tenant works on
    assert other_client.get(reverse("core:home")).status_code == 200
    # and the change is on the tenant's history, by the operator
    event = AccountEvent.objects.get(tenant=tenant)
    assert (event.type, event.actor) == (AccountEvent.Type.TENANT_DEACTIVATED, root)


def test_reactivating_lets_them_back_in(client, tenant, login, django_user_model):
    owner = UserFactory(tenant=tenant, owner=True)
    admin = login(django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD))
    changelist = reverse("admin:accounts_tenant_changelist")
    admin.post(changelist, {"action": "deactivate", "_selected_action": [tenant.pk]})
    assert _log_in(client, owner.username).status_code == 200
    admin.post(changelist, {"action": "reactivate", "_selected_action": [tenant.pk]})
    assert _log_in(client, owner.username).status_code == 302
    assert list(AccountEvent.objects.filter(tenant=tenant).values_list("type", flat=True)) == [
        AccountEvent.Type.TENANT_REACTIVATED,
        AccountEvent.Type.TENANT_DEACTIVATED,
    ]


def test_a_session_opened_before_is_refused_by_every_page(tenant, login):
    owner = UserFactory(tenant=tenant, owner=True)
    client = login(owner)
    Tenant.objects.filter(pk=tenant.pk).update(is_active=False)
    for name in ("core:home", "settings:subaccount-list", "aftersales:index"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), name
