"""Finding 4 of issue 8: a user changes their password, or resets it by e-mail."""

import re

from django.urls import reverse

from accounts.models import AccountEvent
from tests.factories import PASSWORD, TenantFactory, UserFactory

NEW = "Brand-new-pass-42"


def _logs_in(client, login: str, password: str) -> bool:
    return client.post(reverse("accounts:login"), {"username": login, "password": password}).status_code == 302


def test_a_logged_in_user_changes_their_password_and_stays_logged_in(client, tenant):
    sub = UserFactory(tenant=tenant)
    assert _logs_in(client, sub.username, PASSWORD)
    assert 'href="/accounts/password/"' in client.get(reverse("core:home")).content.decode()
    # a wrong current password is refused on the form
    wrong = client.post(
        reverse("accounts:password-change"),
        {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200 and "Your old password was entered incorrectly" in wrong.content.decode()
    # the right one changes it
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 200  # still logged in
    client.logout()
    assert not _logs_in(client, sub.username, PASSWORD)
    assert _logs_in(client, sub.username, NEW)
    event = AccountEvent.objects.get(tenant=tenant)
    assert (event.type, event.actor, event.subject) == (AccountEvent.Type.PASSWORD_CHANGED, sub, sub.username)


def test_a_forgotten_password_is_reset_from_a_link_sent_by_email(client, tenant, mailoutbox):
    sub = UserFactory(tenant=tenant, email="dina@shop.test")
    # when the user asks for a link
    response = client.post(reverse("accounts:password-reset"), {"email": "DINA@shop.test"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    # then one mail goes to the address, with a link
    (mail,) = mailoutbox
    assert mail.to == ["dina@shop.test"] and sub.username in mail.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.body).group(1)
    # which asks for a new password and sets it
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Password set" in done.content.decode()
    assert _logs_in(client, sub.username, NEW)
    # the link works once
    client.logout()
    assert client.get(link).status_code == 404


def test_reset_says_the_same_for_an_unknown_address_and_sends_nothing(client, db, mailoutbox):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@shop.test"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert mailoutbox == []


def test_a_reset_lifts_the_lockout_of_the_account(client, tenant, mailoutbox, settings):
    sub = UserFactory(tenant=tenant, email="dina@shop.test")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"), {"username": sub.username, "password": "guess"}, REMOTE_ADDR=f"10.1.0.{n}"
        )
    assert not _logs_in(client, sub.username, PASSWORD)
    client.post(reverse("accounts:password-reset"), {"email": sub.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert _logs_in(client, sub.username, NEW)


def test_no_reset_mail_for_a_deactivated_company(client, mailoutbox, db):
    UserFactory(tenant=TenantFactory(is_active=False), email="gone@shop.test")
    client.post(reverse("accounts:password-reset"), {"email": "gone@shop.test"})
    assert mailoutbox == []


def test_a_forged_or_foreign_reset_link_is_404_and_changes_nothing(client, tenant):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    victim, other = UserFactory(tenant=tenant), UserFactory(tenant=tenant)
    uid = urlsafe_base64_encode(force_bytes(victim.pk))
    for token in ("set-password", "abc-123", default_token_generator.make_token(other)):
        url = reverse("accounts:password-reset-confirm", args=[uid, token])
        assert client.get(url).status_code == 404
        assert client.post(url, {"new_password1": NEW, "new_password2": NEW}).status_code == 404
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)
