"""The app's areas: the left navigation and the 403 checks both read them. Each app registers its
own areas when it is ready (`register`), so core names no app."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Area:
    key: str  # also the URL namespace, so the navigation knows the current area
    label: str
    url_name: str
    perms: tuple[str, ...]  # any one of them opens the area
    position: int  # in the navigation, lowest first
    for_tenant: Callable[[object], bool] | None = None  # only tenants it says yes to have the area

    def allows(self, user) -> bool:
        if not (user.is_authenticated and user.tenant_id is not None):
            return False
        if self.for_tenant is not None and not self.for_tenant(user.tenant):
            return False
        return any(user.has_perm(perm) for perm in self.perms)


AREAS: dict[str, Area] = {}  # by key, in navigation order


def register(*areas: Area) -> None:
    """Called from an app's `AppConfig.ready`."""
    known = {**AREAS, **{area.key: area for area in areas}}
    AREAS.clear()
    AREAS.update(sorted(known.items(), key=lambda item: item[1].position))


def require_area(actor, key: str) -> None:
    """PermissionDenied unless the actor's role opens this area: the check a service of an app below
    `accounts` makes (it cannot name accounts' permissions; the area names them for it)."""
    area = AREAS[key]  # looked up per call: the apps register theirs when ready
    if actor is None or not area.allows(actor):
        raise PermissionDenied(f"Your role does not include {area.label}.")


def area_required(key: str) -> Callable:
    """403 unless the user's role opens this area (and the user belongs to a tenant)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require_area(request.user, key)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    return {
        "nav_areas": [area for area in AREAS.values() if area.allows(user)],
        "nav_current": match.namespace if match else "",
    }
