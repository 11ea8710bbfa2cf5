"""The product's permissions: what a role grants. Codenames live on `Tenant.Meta.permissions`."""

from django.db import models


class Perm(models.TextChoices):
    MANUAL_AFTERSALES = "accounts.manual_aftersales", "Manual After-Sales Order"
    AFTERSALES_REFUND = "accounts.aftersales_refund", "After-Sales Refund"
    RETURN_STOCKIN = "accounts.return_stockin", "Return Stock-In"
    CANCEL_ORDERS = "accounts.cancel_orders", "Cancel Orders"
    DISTRIBUTION = "accounts.distribution", "Distribution"
    SETTINGS = "accounts.manage_settings", "Settings"

    @property
    def codename(self) -> str:
        return self.value.split(".", 1)[1]


ACCESS_STORE = "sales_channels.access_store"  # object permission on one store (guardian)


def role_allows(perm: Perm):
    """A django-fsm transition permission: the acting user's role holds `perm`. (A plain string
    would also be asked of guardian with the case as object, which refuses other apps' perms.)"""

    def check(instance, user) -> bool:
        return user.has_perm(perm)

    check.__name__ = f"role_allows_{perm.codename}"
    return check
