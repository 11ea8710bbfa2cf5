"""Account, role and store-access changes are recorded (who, when, what) and the main account reads them."""

from django.urls import reverse

from accounts.models import AccountEvent, User
from accounts.permissions import Perm
from tests.factories import RoleFactory, StoreFactory, TenantFactory, UserFactory


def test_changes_made_in_settings_are_listed_newest_first_with_who_and_what(owner, login):
    # given a role and two stores
    finance = RoleFactory(tenant=owner.tenant, name="Finance", perms=[Perm.AFTERSALES_REFUND])
    shopee = StoreFactory(tenant=owner.tenant, name="Shopee MY")
    StoreFactory(tenant=owner.tenant, name="Lazada MY")
    client = login(owner)
    # when the main account creates a sub-account, restricts it to a store, gives it a role, disables it
    form = {"username": "amir", "email": "amir@shop.test", "password": "Long-enough-9", "all_stores": "on"}
    client.post(reverse("settings:subaccount-create"), form)
    amir = User.objects.get(username="amir")
    edit = {**form, "password": "", "all_stores": "", "stores": [shopee.pk], "role": finance.pk}
    client.post(reverse("settings:subaccount-edit", args=[amir.pk]), edit)
    client.post(reverse("settings:subaccount-toggle", args=[amir.pk]))
    client.post(reverse("settings:role-edit", args=[finance.pk]), {"name": "Refunds", "perms": [Perm.CANCEL_ORDERS]})
    # then the history shows each, newest first, with who and what changed
    page = client.get(reverse("settings:history"))
    events = list(page.context["page"].object_list)
    assert [e.type for e in events] == [
        AccountEvent.Type.ROLE_CHANGED,
        AccountEvent.Type.SUBACCOUNT_DISABLED,
        AccountEvent.Type.SUBACCOUNT_CHANGED,
        AccountEvent.Type.SUBACCOUNT_CREATED,
    ]
    assert {e.actor for e in events} == {owner}
    assert events[2].changes == [
        {"field": "Role", "from": "No role", "to": "Finance"},
        {"field": "Stores", "from": "All stores", "to": "Shopee MY"},
    ]
    assert events[0].changes == [
        {"field": "Name", "from": "Finance", "to": "Refunds"},
        {"field": "Permissions", "from": "After-Sales Refund", "to": "Cancel Orders"},
    ]
    text = page.content.decode()
    assert "Sub-account changed" in text and "All stores → Shopee MY" in text and owner.username in text
    assert 'href="/settings/history/"' in client.get(reverse("settings:index")).content.decode()


def test_the_history_is_paginated_and_shows_only_the_tenants_own(owner, login):
    other = TenantFactory()
    AccountEvent.objects.create(tenant=other, type=AccountEvent.Type.ROLE_CREATED, subject="Not yours")
    for n in range(55):
        AccountEvent.objects.create(tenant=owner.tenant, type=AccountEvent.Type.ROLE_CREATED, subject=f"Role {n}")
    client = login(owner)
    first = client.get(reverse("settings:history"))
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].object_list[0].subject == "Role 54"
    second = client.get(reverse("settings:history") + "?" + first.context["page"].next_query)
    assert [e.subject for e in second.context["page"].object_list] == [f"Role {n}" for n in range(4, -1, -1)]
    assert "Not yours" not in first.content.decode() + second.content.decode()


def test_only_the_main_account_reads_the_history(tenant, login):
    client = login(UserFactory(tenant=tenant, perms=list(Perm)))
    assert client.get(reverse("settings:history")).status_code == 403
