"""How django-axes counts failed logins here (settings AXES_*): per account, however the login was typed,
and per client address, read correctly behind a proxy."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings


def lockout_username(request, credentials: dict | None) -> str:
    """What django-axes counts failures against: the account a login names, however it was typed
    (username or e-mail, any case), so both spellings share one counter."""
    from accounts.selectors import user_for_login  # the app registry is not ready when axes loads this

    typed = (credentials or {}).get("username")
    if typed is None:
        typed = request.POST.get("username", "")
    typed = str(typed).replace("\x00", "").strip()
    user = user_for_login(typed)
    # no login is longer than a username, and axes stores this in a 255-character column
    return user.username if user else typed.lower()[:150]


def client_ip(request) -> str | None:
    """The client's address for django-axes: behind AXES_TRUSTED_PROXY_COUNT trusted proxies it is that many
    entries from the right of X-Forwarded-For, else REMOTE_ADDR (never a header the client can forge)."""
    proxies = settings.AXES_TRUSTED_PROXY_COUNT
    forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """A successful login clears the failures of that account only. Axes' own reset also clears every
    failure from the address, so an attacker logging into an account of their own between guesses
    would reset the count against their victim."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        return AccessAttempt.objects.filter(username=username).delete()[0]
