"""Preferences: each user picks the time zone their pages show times in."""

import pytest
from django.urls import reverse

from accounts.models import AccountEvent

pytestmark = pytest.mark.django_db


def test_a_user_sets_their_time_zone_and_the_history_records_it(login, owner):
    client = login(owner)
    response = client.post(reverse("accounts:preferences"), {"time_zone": "Asia/Jakarta"}, follow=True)
    owner.refresh_from_db()
    assert owner.time_zone == "Asia/Jakarta"
    assert "Preferences saved" in response.content.decode()
    event = AccountEvent.objects.get(type=AccountEvent.Type.PREFERENCES_CHANGED)
    assert event.changes == [{"field": "Time zone", "from": "Asia/Kuala_Lumpur", "to": "Asia/Jakarta"}]


def test_a_zone_that_does_not_exist_is_refused_with_a_message(login, owner):
    response = login(owner).post(reverse("accounts:preferences"), {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "is not a time zone; pick one from the list" in response.content.decode()
    owner.refresh_from_db()
    assert owner.time_zone == "Asia/Kuala_Lumpur"


def test_the_page_offers_the_zones_and_shows_the_current_one(login, owner):
    html = login(owner).get(reverse("accounts:preferences")).content.decode()
    assert '<option value="Asia/Jakarta">' in html
    assert '<option value="Asia/Kuala_Lumpur" selected>' in html
