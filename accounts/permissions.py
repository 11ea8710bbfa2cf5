"""The product's permissions: what a role grants. Codenames live on `Tenant.Meta.permissions`."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models


class Perm(models.TextChoices):
    MANUAL_AFTERSALES = "accounts.manual_aftersales", "Manual After-Sales Order"
    AFTERSALES_REFUND = "accounts.aftersales_refund", "After-Sales Refund"
    RETURN_STOCKIN = "accounts.return_stockin", "Return Stock-In"
    CANCEL_ORDERS = "accounts.cancel_orders", "Cancel Orders"
    DISTRIBUTION = "accounts.distribution", "Distribution"
    SETTINGS = "accounts.manage_settings", "Settings"
    ORDER_ENTRY = "accounts.order_entry", "Order Entry"  # create, edit and approve manual orders
    OVER_REFUND = "accounts.over_refund", "Over-Refund"  # refund above quantity x price, with a note

    @property
    def codename(self) -> str:
        return self.value.split(".", 1)[1]


def role_allows(perm: Perm):
    """A django-fsm transition permission: the acting user's role holds `perm`. (A plain string
    would also be asked of guardian with the case as object, which refuses other apps' perms.)"""

    def check(instance, user) -> bool:
        return user.has_perm(perm)

    check.__name__ = f"role_allows_{perm.codename}"
    check.perm = perm  # for the state diagrams
    return check


def require_perm(actor, perm: Perm) -> None:
    """The first line of every service that changes data: the acting user's role holds `perm`."""
    if not actor.has_perm(perm):
        raise PermissionDenied(f"Your role does not include {perm.label}.")


def require_owner(actor) -> None:
    """Sub-accounts and roles are managed by the main account only: a sub-account able to edit
    roles could grant itself everything."""
    if not (actor.is_authenticated and actor.is_owner):
        raise PermissionDenied("Only the main account manages sub-accounts and roles.")


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
    """The pages of `require_owner`'s services: 403 for anyone but the main account."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_owner(request.user)
        return view(request, *args, **kwargs)

    return wrapper
