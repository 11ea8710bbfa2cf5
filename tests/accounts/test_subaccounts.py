import pytest
from django.urls import reverse
from guardian.shortcuts import get_perms

from accounts.models import Role, User
from accounts.permissions import Perm
from channels.permissions import ACCESS_STORE
from channels.selectors import stores_for_user
from tests.factories import PASSWORD, RoleFactory, StoreFactory, UserFactory


def _logs_in(client, login: str, password: str) -> bool:
    response = client.post(reverse("accounts:login"), {"username": login, "password": password})
    return response.status_code == 302


def _form(**overrides) -> dict:
    return {
        "username": "amir",
        "email": "amir@example.test",
        "password": "Long-enough-9",
        "all_stores": "on",
        **overrides,
    }


def test_main_account_creates_a_sub_account_who_can_log_in_with_its_role(client, owner, login):
    # given
    role = RoleFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND])
    # when
    response = login(owner).post(reverse("settings:subaccount-create"), _form(role=role.pk))
    # then
    assert response.status_code == 302
    amir = User.objects.get(username="amir")
    assert (amir.tenant, amir.role, amir.is_owner) == (owner.tenant, role, False)
    assert _logs_in(client, "amir@example.test", "Long-enough-9")
    assert client.get(reverse("refunds:index")).status_code == 200
    assert client.get(reverse("inventory:index")).status_code == 403


def test_sub_account_restricted_to_some_stores_through_guardian(owner, login):
    shopee, lazada, tiktok = (StoreFactory(tenant=owner.tenant) for _ in range(3))
    other_tenant_store = StoreFactory()
    client = login(owner)

    client.post(reverse("settings:subaccount-create"), _form(all_stores="", stores=[shopee.pk, lazada.pk]))

    amir = User.objects.get(username="amir")
    assert set(stores_for_user(user=amir)) == {shopee, lazada}
    assert ACCESS_STORE.split(".")[1] in get_perms(amir, shopee)
    assert not amir.has_perm(ACCESS_STORE, tiktok)
    assert not amir.has_perm(ACCESS_STORE, other_tenant_store)

    # when the restriction is changed to one store, the other grant goes
    client.post(
        reverse("settings:subaccount-edit", args=[amir.pk]), _form(all_stores="", stores=[tiktok.pk], password="")
    )
    amir = User.objects.get(pk=amir.pk)
    assert set(stores_for_user(user=amir)) == {tiktok}

    # and "All stores" opens every store of the tenant, not another tenant's
    client.post(reverse("settings:subaccount-edit", args=[amir.pk]), _form(password=""))
    amir = User.objects.get(pk=amir.pk)
    assert set(stores_for_user(user=amir)) == {shopee, lazada, tiktok}
    assert amir.has_perm(ACCESS_STORE, lazada) and not amir.has_perm(ACCESS_STORE, other_tenant_store)


def test_bad_input_is_refused_on_the_form_and_nothing_is_written(owner, login):
    taken = UserFactory(tenant=owner.tenant)
    foreign_role = RoleFactory()  # another tenant's role, id forged into the form
    foreign_store = StoreFactory()
    client = login(owner)
    cases = [
        ("That username or e-mail cannot be used", _form(username=taken.username.upper())),
        ("That username or e-mail cannot be used", _form(email=taken.email)),
        ("This password is too short", _form(password="short")),
        ("Pick at least one store", _form(all_stores="")),
        ("That role cannot be chosen (any more)", _form(role=foreign_role.pk)),
        ("One of the stores you chose cannot be chosen (any more).", _form(all_stores="", stores=[foreign_store.pk])),
    ]
    for message, data in cases:
        response = client.post(reverse("settings:subaccount-create"), data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert not User.objects.filter(username="amir").exists()


def test_edit_keeps_password_when_blank_and_changes_it_when_given(client, owner, login):
    sub = UserFactory(tenant=owner.tenant)
    login(owner).post(reverse("settings:subaccount-edit", args=[sub.pk]), _form(username="ignored", password=""))
    sub.refresh_from_db()
    assert sub.username != "ignored" and sub.check_password(PASSWORD)
    login(owner).post(reverse("settings:subaccount-edit", args=[sub.pk]), _form(password="Another-pass-77"))
    sub.refresh_from_db()
    assert sub.check_password("Another-pass-77")


def test_disabled_sub_account_cannot_log_in_and_moves_to_the_disabled_tab(client, owner, login):
    sub = UserFactory(tenant=owner.tenant)
    seller = login(owner)
    seller.post(reverse("settings:subaccount-toggle", args=[sub.pk]))
    assert not _logs_in(client, sub.username, PASSWORD)
    listing = seller.get(reverse("settings:subaccount-list") + "?tab=disabled")
    assert [u.pk for u in listing.context["users"]] == [sub.pk]
    assert {t.key: t.count for t in listing.context["tabs"]} == {"active": 0, "disabled": 1, "all": 1}
    everyone = seller.get(reverse("settings:subaccount-list") + "?tab=all")
    assert [u.pk for u in everyone.context["users"]] == [sub.pk]
    seller.post(reverse("settings:subaccount-toggle", args=[sub.pk]))
    assert _logs_in(client, sub.username, PASSWORD)


def test_roles_are_created_edited_and_not_deleted_while_in_use(owner, login):
    client = login(owner)
    client.post(
        reverse("settings:role-create"),
        {"name": "Returns desk", "perms": [Perm.RETURN_STOCKIN, Perm.MANUAL_AFTERSALES]},
    )
    role = Role.objects.get(tenant=owner.tenant, name="Returns desk")
    assert role.perms == [Perm.MANUAL_AFTERSALES, Perm.RETURN_STOCKIN]

    duplicate = client.post(reverse("settings:role-create"), {"name": "returns DESK", "perms": []})
    assert "A role with this name exists." in duplicate.content.decode()

    client.post(reverse("settings:role-edit", args=[role.pk]), {"name": "Returns desk", "perms": [Perm.CANCEL_ORDERS]})
    role.refresh_from_db()
    assert role.perms == [Perm.CANCEL_ORDERS]

    sub = UserFactory(tenant=owner.tenant, role=role)
    response = client.post(reverse("settings:role-delete", args=[role.pk]), follow=True)
    assert "still given to sub-accounts" in response.content.decode()
    sub.delete()
    client.post(reverse("settings:role-delete", args=[role.pk]))
    assert not type(role).objects.filter(pk=role.pk).exists()


def test_role_change_takes_effect_on_the_next_request(owner, login):
    role = RoleFactory(tenant=owner.tenant, perms=[Perm.RETURN_STOCKIN])
    sub_client = login(UserFactory(tenant=owner.tenant, role=role))
    assert sub_client.get(reverse("inventory:index")).status_code == 200
    login(owner).post(reverse("settings:role-edit", args=[role.pk]), {"name": role.name, "perms": [Perm.DISTRIBUTION]})
    assert sub_client.get(reverse("inventory:index")).status_code == 403
    assert sub_client.get(reverse("distribution:index")).status_code == 200


def test_services_refuse_a_role_or_store_of_another_tenant_even_past_the_form(owner):
    import pytest

    from accounts.services import subaccount_create
    from core.errors import Refused

    for role, stores in [(RoleFactory(), []), (None, [StoreFactory()])]:
        with pytest.raises(Refused, match="belongs to another account"):
            subaccount_create(
                tenant=owner.tenant,
                actor=owner,
                username="forged",
                email="",
                password="x-Long-pass-1",
                role=role,
                all_stores=not stores,
                stores=stores,
            )
    assert not User.objects.filter(username="forged").exists()


def test_a_role_still_given_is_refused_with_its_code(owner):
    from accounts.services import role_delete
    from core.errors import Refused

    role = RoleFactory(tenant=owner.tenant)
    UserFactory(tenant=owner.tenant, role=role)
    with pytest.raises(Refused) as refused:
        role_delete(role=role, actor=owner)
    assert refused.value.code == "role_in_use"
    assert Role.objects.filter(pk=role.pk).exists()
