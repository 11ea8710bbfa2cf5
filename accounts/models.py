import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from accounts.permissions import Perm
from core.models import TimeStamped
from core.tenancy import TenantOwned, TenantQuerySet

# Said of any username or e-mail already in use, in any tenant: the message tells nothing about who has it.
LOGIN_NAME_TAKEN = "That username or e-mail cannot be used; choose another."


class Tenant(TimeStamped):
    """A seller's (or supplier's) company account: owner of every business row."""

    name = models.CharField(max_length=120, unique=True)
    is_active = models.BooleanField(default=True)
    # Set when a distributor's partnership is first accepted, and kept (a terminated partnership's
    # returns still come in): the BigShop pages are shown to suppliers only, read from the tenant the
    # request already has rather than asked of the partnerships on every page.
    is_supplier = models.BooleanField(default=False, help_text="Supplies distributors (BigShop)")

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


def time_zone_names() -> list[str]:
    """The zones a user can pick: the IANA names the system knows (its tz database), sorted."""
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("“%(value)s” is not a time zone; pick one from the list.", params={"value": value})


def default_time_zone() -> str:
    return settings.TIME_ZONE


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
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="Dates and times are shown in this zone.",
    )

    objects = TenantUserManager()

    class Meta:
        # One login namespace for the whole platform: a username or an e-mail names one user, whatever
        # the case and whichever field it is in (the cross-field half is a trigger, migration 0003).
        constraints = [
            models.UniqueConstraint(
                Lower("username"), name="user_username_unique_ci", violation_error_message=LOGIN_NAME_TAKEN
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=LOGIN_NAME_TAKEN,
            ),
            models.UniqueConstraint("tenant", condition=models.Q(is_owner=True), name="one_main_account_per_tenant"),
        ]

    @property
    def sees_all_stores(self) -> bool:
        return self.is_owner or self.all_stores

    def clean(self) -> None:
        super().clean()
        for field in ("username", "email"):
            value = getattr(self, field)
            if value and login_name_taken(value, exclude_pk=self.pk):
                raise ValidationError({field: LOGIN_NAME_TAKEN}, code="login_name_taken")


def login_name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    """Whether `name` is already some other user's username or e-mail, in any tenant, in any case."""
    name = User.normalize_username(name.strip())
    return (
        User.objects.filter(models.Q(username__iexact=name) | models.Q(email__iexact=name))
        .exclude(pk=exclude_pk)
        .exists()
    )


class AccountEvent(TenantOwned):
    """One change to a tenant's accounts, roles or store access: who, when, what (Settings > History)."""

    class Type(models.TextChoices):
        SUBACCOUNT_CREATED = "subaccount_created", "Sub-account created"
        SUBACCOUNT_CHANGED = "subaccount_changed", "Sub-account changed"
        SUBACCOUNT_DISABLED = "subaccount_disabled", "Sub-account disabled"
        SUBACCOUNT_ENABLED = "subaccount_enabled", "Sub-account enabled"
        ROLE_CREATED = "role_created", "Role created"
        ROLE_CHANGED = "role_changed", "Role changed"
        ROLE_DELETED = "role_deleted", "Role deleted"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PREFERENCES_CHANGED = "preferences_changed", "Preferences changed"
        TENANT_DEACTIVATED = "tenant_deactivated", "Company account deactivated"
        TENANT_REACTIVATED = "tenant_reactivated", "Company account reactivated"

    type = models.CharField(max_length=30, choices=Type.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=150, help_text="The username or role name it was about, as it was then")
    changes = models.JSONField(default=list, blank=True, help_text="[{field, from, to}, ...]")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.subject}"
