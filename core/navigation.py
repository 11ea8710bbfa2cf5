"""The app's areas, defined once: the left navigation and the 403 checks both read them."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied

from accounts.permissions import Perm, require_perm


@dataclass(frozen=True)
class Area:
    key: str  # also the URL namespace, so the navigation knows the current area
    label: str
    url_name: str
    perms: tuple[Perm, ...]  # any one of them opens the area

    def allows(self, user) -> bool:
        return user.is_authenticated and user.tenant_id is not None and any(user.has_perm(perm) for perm in self.perms)


AREAS = {
    area.key: area
    for area in [
        Area("aftersales", "After-Sales", "aftersales:index", (Perm.MANUAL_AFTERSALES, Perm.AFTERSALES_REFUND)),
        Area("orders", "Orders", "orders:index", (Perm.MANUAL_AFTERSALES, Perm.CANCEL_ORDERS, Perm.ORDER_ENTRY)),
        Area("inventory", "Stock-In / Return", "inventory:index", (Perm.RETURN_STOCKIN,)),
        Area("refunds", "After-Sales Refund", "refunds:index", (Perm.AFTERSALES_REFUND,)),
        Area("distribution", "Distribution", "distribution:index", (Perm.DISTRIBUTION,)),
        Area("settings", "Settings", "settings:index", (Perm.SETTINGS,)),
    ]
}


def area_required(key: str) -> Callable:
    """403 unless the user's role opens this area (and the user belongs to a tenant)."""
    area = AREAS[key]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not area.allows(request.user):
                raise PermissionDenied(f"Your role does not include {area.label}.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def perm_required(perm: Perm) -> Callable:
    """403 unless the user's role holds `perm`: for pages whose every action needs it (the service
    checks it again; this only keeps the form from being shown to a role that cannot submit it)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require_perm(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def owner_required(view: Callable) -> Callable:
    """Sub-accounts and roles are managed by the main account only: a sub-account able to edit
    roles could grant itself everything."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_owner):
            raise PermissionDenied("Only the main account manages sub-accounts and roles.")
        return view(request, *args, **kwargs)

    return wrapper


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    return {
        "nav_areas": [area for area in AREAS.values() if area.allows(user)],
        "nav_current": match.namespace if match else "",
    }
