from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from accounts.permissions import Perm
from core.models import TimeStamped
from core.tenancy import TenantOwned, TenantQuerySet


class Tenant(TimeStamped):
    """A seller's (or supplier's) company account: owner of every business row."""

    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        # The product's permissions, granted through roles (see accounts.backends).
        permissions = [(perm.codename, perm.label) for perm in Perm]

    def __str__(self) -> str:
        return self.name


class Role(TenantOwned, TimeStamped):
    """A named set of the product's permissions, given to sub-accounts."""

    name = models.CharField(max_length=80)
    perms = models.JSONField(default=list, help_text="Values of accounts.permissions.Perm")

    class Meta:
        constraints = [models.UniqueConstraint("tenant", Lower("name"), name="role_name_unique_per_tenant")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def perm_labels(self) -> list[str]:
        return [Perm(p).label for p in self.perms if p in Perm.values]


class TenantUserManager(UserManager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who logs in. `is_owner` marks the tenant's main account; the others are
    sub-accounts, limited to their role's permissions and, unless `all_stores`, to the stores
    granted to them one by one (guardian object permissions)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    is_owner = models.BooleanField("main account", default=False)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    all_stores = models.BooleanField(default=True, help_text="Unticked: only the stores granted one by one")

    objects = TenantUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"),
            models.UniqueConstraint("tenant", condition=models.Q(is_owner=True), name="one_main_account_per_tenant"),
        ]

    @property
    def sees_all_stores(self) -> bool:
        return self.is_owner or self.all_stores
