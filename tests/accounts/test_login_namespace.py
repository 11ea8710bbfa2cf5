"""Finding 3 of issue 8: a username or e-mail names one user on the whole platform, and a login by
e-mail can never pick another tenant's user."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from accounts.models import LOGIN_NAME_TAKEN, User
from accounts.services import subaccount_create, subaccount_update
from core.errors import Refused
from tests.factories import PASSWORD, TenantFactory, UserFactory


def _form(**overrides) -> dict:
    return {"username": "supops", "email": "", "password": "Long-enough-9", "all_stores": "on", **overrides}


def _logged_in_as(client, login: str, password: str = PASSWORD) -> User | None:
    response = client.post(reverse("accounts:login"), {"username": login, "password": password})
    return client.get(reverse("core:home")).context["user"] if response.status_code == 302 else None


def test_another_tenant_cannot_take_a_users_login_by_giving_it_as_an_email(client, login, db):
    # given the seller's user whose username is an e-mail address
    seller_ops = UserFactory(tenant=TenantFactory(), username="ops@seller.test", email="")
    supplier = UserFactory(tenant=TenantFactory(), owner=True)
    # when the supplier creates a sub-account with that address as its e-mail
    response = login(supplier).post(reverse("settings:subaccount-create"), _form(email="OPS@seller.test"))
    # then it is refused with a message naming no one, and nothing is created
    assert response.status_code == 200
    assert LOGIN_NAME_TAKEN in response.content.decode()
    assert not User.objects.filter(username="supops").exists()
    # and the seller's user still logs in, as itself
    assert _logged_in_as(client, "ops@seller.test") == seller_ops


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", "TAKEN-NAME"),  # another user's username, in another case
        ("username", "mail@other.test"),  # another user's e-mail as a username
        ("email", "Mail@Other.test"),  # another user's e-mail
        ("email", "taken-name@x.test"),  # fine: only the whole name counts
    ],
)
def test_the_refusal_is_the_same_whichever_tenant_holds_the_name(field, value, owner, login):
    UserFactory(tenant=TenantFactory(), username="taken-name", email="mail@other.test")
    UserFactory(tenant=owner.tenant, username="taken-here", email="mail@here.test")
    client = login(owner)
    response = client.post(reverse("settings:subaccount-create"), _form(**{field: value}))
    if value == "taken-name@x.test":
        assert response.status_code == 302
        return
    other_tenant = response.content.decode()
    own_value = value.lower().replace("taken-name", "taken-here").replace("other", "here")
    own_tenant = client.post(reverse("settings:subaccount-create"), _form(**{field: own_value})).content.decode()
    for page in (other_tenant, own_tenant):
        assert LOGIN_NAME_TAKEN in page
        assert "already exists" not in page and "Another user" not in page


def test_a_username_that_is_another_users_email_is_refused_even_on_edit(owner, login):
    UserFactory(tenant=TenantFactory(), username="boss@seller.test", email="")
    sub = UserFactory(tenant=owner.tenant)
    response = login(owner).post(
        reverse("settings:subaccount-edit", args=[sub.pk]),
        _form(username=sub.username, email="Boss@Seller.test", password=""),
    )
    assert LOGIN_NAME_TAKEN in response.content.decode()
    sub.refresh_from_db()
    assert sub.email != "Boss@Seller.test"


def test_djangos_username_rules_apply_on_the_sub_account_form(owner, login):
    response = login(owner).post(reverse("settings:subaccount-create"), _form(username="ops desk!"))
    assert "Enter a valid username" in response.content.decode()
    assert not User.objects.filter(username="ops desk!").exists()


def test_a_user_may_use_its_own_email_as_username(owner, login):
    login(owner).post(reverse("settings:subaccount-create"), _form(username="amir@shop.test", email="Amir@shop.test"))
    assert User.objects.filter(username="amir@shop.test", email="Amir@shop.test").exists()


def test_services_refuse_a_taken_name_past_the_form(owner):
    UserFactory(tenant=TenantFactory(), username="ops@seller.test", email="")
    sub = UserFactory(tenant=owner.tenant)
    with pytest.raises(Refused) as err:
        subaccount_create(
            tenant=owner.tenant,
            actor=owner,
            username="fresh",
            email="ops@seller.test",
            password="Long-enough-9",
            role=None,
            all_stores=True,
        )
    assert err.value.code == "login_name_taken" and str(err.value) == LOGIN_NAME_TAKEN
    with pytest.raises(Refused, match="cannot be used"):
        subaccount_update(user=sub, actor=owner, email="OPS@seller.test", role=None, all_stores=True)


@pytest.mark.parametrize(
    ("username", "email"),
    [
        ("OPS@SELLER.TEST", ""),  # another user's username, in another case
        ("fresh", "ops@seller.test"),  # another user's username, as an e-mail
        ("boss@seller.test", ""),  # another user's e-mail, as a username
        ("fresh", "BOSS@seller.test"),  # another user's e-mail
    ],
)
def test_the_database_refuses_a_taken_name_whatever_writes_it(username, email, db):
    UserFactory(username="ops@seller.test", email="")
    UserFactory(username="boss", email="boss@seller.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username=username, email=email)
    renamed = UserFactory(username="free", email="")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=renamed.pk).update(username=username, email=email)


def test_login_by_email_finds_only_the_user_who_has_it(client, db):
    owner = UserFactory(username="siti", email="siti@shop.test")
    UserFactory(username="siti2", email="")
    assert _logged_in_as(client, "SITI@shop.test") == owner
    client.logout()
    assert _logged_in_as(client, "Siti") == owner
    client.logout()
    assert _logged_in_as(client, "siti@shop") is None


@pytest.mark.django_db(transaction=True)
def test_two_tenants_claiming_one_name_at_the_same_moment_one_gets_it():
    from tests.concurrency import race

    # given two tenants' main accounts
    owners = [UserFactory(tenant=TenantFactory(), owner=True) for _ in range(2)]
    claims = {
        owners[0].pk: {"username": "ops@shop.test", "email": ""},
        owners[1].pk: {"username": "ops2", "email": "ops@shop.test"},
    }

    # when each creates a sub-account naming ops@shop.test at once, one as username, one as e-mail
    def create(owner):
        return subaccount_create(
            tenant=owner.tenant, actor=owner, password="Long-enough-9", role=None, all_stores=True, **claims[owner.pk]
        )

    done, refused, errors = race(create, owners)
    # then exactly one has it, and the other is told the generic refusal
    assert not errors, errors
    assert len(done) == 1 and [r.code for r in refused] == ["login_name_taken"]
    assert User.objects.filter(Q(username__iexact="ops@shop.test") | Q(email__iexact="ops@shop.test")).count() == 1


def test_the_admin_forms_refuse_a_taken_name_on_the_form(login, django_user_model):
    UserFactory(username="boss", email="boss@seller.test")
    UserFactory(username="ops@seller.test", email="")
    someone = UserFactory(username="someone", email="")
    admin = login(django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD))
    added = admin.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "BOSS@seller.test",
            "usable_password": "true",
            "password1": "Long-enough-9",
            "password2": "Long-enough-9",
        },
    )
    assert added.status_code == 200 and LOGIN_NAME_TAKEN in added.content.decode()
    changed = admin.post(
        reverse("admin:accounts_user_change", args=[someone.pk]),
        {"username": "someone", "email": "OPS@seller.test", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"},
    )
    assert changed.status_code == 200 and LOGIN_NAME_TAKEN in changed.content.decode()
    assert not User.objects.filter(username__iexact="boss@seller.test").exists()
