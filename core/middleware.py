import time
import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

SESSION_RENEWED_AT = "_renewed_at"
RENEW_EVERY = 60  # seconds


class PrivateNoStoreMiddleware:
    """A logged-in user's pages are never stored by the browser or a proxy.

    Orders, buyers' addresses and refunds stay off a shared computer's disk, and Back after
    logging out shows nothing. Static files never get here: WhiteNoise answers them first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class SlidingSessionMiddleware:
    """A logged-in session lasts SESSION_COOKIE_AGE from the last request, not from the login.

    Like SESSION_SAVE_EVERY_REQUEST, but the session row and cookie are renewed at most once a
    minute, so a busy operator's clicks do not each write to the database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            if now - request.session.get(SESSION_RENEWED_AT, 0) >= RENEW_EVERY:
                request.session[SESSION_RENEWED_AT] = now  # modified: SessionMiddleware saves it
        return response


def stamp_session_on_login(sender, request: HttpRequest, user, **kwargs) -> None:
    """Logging in saves a fresh session anyway: the first minute needs no renewal."""
    request.session[SESSION_RENEWED_AT] = int(time.time())


class UserTimeZoneMiddleware:
    """Shows every time in the logged-in user's own zone (a Jakarta warehouse, a Kuala Lumpur office).

    The zone is a column of the user row AuthenticationMiddleware already loads: no extra query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        try:
            zone = zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None  # a zone dropped from the system's database since it was chosen
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
