"""Finding 4 of issue 8: repeated wrong passwords lock the account, and the address, on both login pages."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LIMIT = settings.AXES_FAILURE_LIMIT


def _post(client, url: str, login: str, password: str, ip: str = "10.0.0.1"):
    return client.post(url, {"username": login, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("url_name", ["accounts:login", "admin:login"])
def test_fifty_wrong_passwords_then_the_right_one_is_refused(url_name, client, django_user_model):
    # given a user who may use this login page
    user = django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD)
    url = reverse(url_name)
    # when 50 wrong passwords are tried, then the right one
    for _ in range(50):
        _post(client, url, "root", "wrong-guess")
    response = _post(client, url, "root", PASSWORD)
    # then the right one is refused with a page saying what to do, and no one is logged in
    assert response.status_code == 429
    page = response.content.decode()
    assert "Log-in paused" in page and "Reset it by e-mail" in page and "root" not in page
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:home")).status_code == 302
    assert user.username in AccessAttempt.objects.values_list("username", flat=True)


def test_the_account_is_locked_whatever_address_and_spelling_the_guesses_use(client, owner):
    for n in range(LIMIT):
        login = owner.email.upper() if n % 2 else owner.username
        _post(client, reverse("accounts:login"), login, "wrong-guess", ip=f"10.0.1.{n}")
    assert _post(client, reverse("accounts:login"), owner.username, PASSWORD, ip="10.0.2.1").status_code == 429


def test_the_address_is_locked_whatever_names_it_tries(client, tenant):
    victim = UserFactory(tenant=tenant)
    for n in range(LIMIT):
        _post(client, reverse("accounts:login"), f"guess{n}", "wrong-guess", ip="10.0.3.3")
    assert _post(client, reverse("accounts:login"), victim.username, PASSWORD, ip="10.0.3.3").status_code == 429
    # the same user from another address is not held up
    assert _post(client, reverse("accounts:login"), victim.username, PASSWORD, ip="10.0.4.4").status_code == 302


def test_a_few_typos_do_not_lock_and_a_success_clears_them(client, owner):
    for _ in range(LIMIT - 1):
        _post(client, reverse("accounts:login"), owner.username, "typo")
    assert _post(client, reverse("accounts:login"), owner.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        _post(client, reverse("accounts:login"), owner.username, "typo")
    assert _post(client, reverse("accounts:login"), owner.username, PASSWORD).status_code == 302


def test_the_platform_operator_unlocks_an_account_in_the_admin(client, owner, login, django_user_model):
    for n in range(LIMIT):
        _post(client, reverse("accounts:login"), owner.username, "wrong-guess", ip=f"10.0.5.{n}")
    assert _post(client, reverse("accounts:login"), owner.username, PASSWORD, ip="10.0.6.1").status_code == 429
    admin = login(django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD))
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_login", "_selected_action": [owner.pk]},
        follow=True,
    )
    assert "failed attempt record(s) cleared" in response.content.decode()
    assert _post(client, reverse("accounts:login"), owner.username, PASSWORD, ip="10.0.6.1").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(client, tenant, settings):
    settings.AXES_TRUSTED_PROXY_COUNT = 1
    victim = UserFactory(tenant=tenant)
    proxy = "172.16.0.1"
    for n in range(LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": f"guess{n}", "password": "x"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.9.9",  # the first is the client's claim, the last the proxy's
        )
    # the attacker's address is locked, not the proxy's (everyone's)
    response = client.post(
        reverse("accounts:login"),
        {"username": victim.username, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="10.8.8.8",
    )
    assert response.status_code == 302


def test_logging_into_ones_own_account_between_guesses_does_not_reset_the_count_against_another(client, tenant):
    victim, attacker = UserFactory(tenant=tenant), UserFactory(tenant=tenant)
    for _ in range(LIMIT - 1):
        _post(client, reverse("accounts:login"), victim.username, "wrong-guess")
    assert _post(client, reverse("accounts:login"), attacker.username, PASSWORD).status_code == 302
    client.logout()
    _post(client, reverse("accounts:login"), victim.username, "wrong-guess")
    # the victim's account is locked, even from an address the attacker never used
    assert _post(client, reverse("accounts:login"), victim.username, PASSWORD, ip="10.0.7.7").status_code == 429
