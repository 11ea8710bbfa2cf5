"""Sub-accounts, roles, passwords and the company account: the writes. Each function is one user action:
it checks its actor first, and records what it changed (AccountEvent) in the same transaction."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from guardian.shortcuts import assign_perm

from accounts.models import LOGIN_NAME_TAKEN, AccountEvent, Role, Tenant, User, login_name_taken, validate_time_zone
from accounts.permissions import Perm, require_owner
from channels.models import Store, StoreUserObjectPermission
from channels.permissions import ACCESS_STORE
from core.errors import Refused
from core.tenancy import require_same_tenant

LOGIN_NAME_CONSTRAINTS = {"user_username_unique_ci", "user_email_unique_ci", "user_login_name_unique"}
Type = AccountEvent.Type


def _event(*, tenant_id: int, actor: User, type: str, subject: str, changes: list | None = None) -> AccountEvent:
    return AccountEvent.objects.create(
        tenant_id=tenant_id, actor=actor, type=type, subject=subject, changes=changes or []
    )


def _changes(before: dict, after: dict) -> list[dict]:
    return [{"field": k, "from": before[k], "to": after[k]} for k in after if before.get(k) != after[k]]


def _require_free_login_names(*names: str, user_pk: int | None = None) -> None:
    """A username or e-mail names one user on the whole platform; the refusal says nothing about who."""
    if any(name and login_name_taken(name, exclude_pk=user_pk) for name in names):
        raise Refused(LOGIN_NAME_TAKEN, code="login_name_taken")


def _save_user(user: User, **kwargs) -> None:
    try:
        with transaction.atomic():
            user.save(**kwargs)
    except IntegrityError as error:  # a concurrent writer took the name after our check
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        if constraint in LOGIN_NAME_CONSTRAINTS:
            raise Refused(LOGIN_NAME_TAKEN, code="login_name_taken") from error
        raise


def _store_names(user: User) -> str:
    if user.all_stores:
        return "All stores"
    grants = StoreUserObjectPermission.objects.filter(user=user).select_related("content_object")
    return ", ".join(sorted(grant.content_object.name for grant in grants)) or "No store"


def _account_fields(user: User) -> dict:
    return {
        "E-mail": user.email,
        "Role": user.role.name if user.role_id else "No role",
        "Stores": _store_names(user),
    }


def _grant_stores(*, user: User, all_stores: bool, stores: Iterable[Store]) -> None:
    stores = [] if all_stores else list(stores)
    require_same_tenant(user.tenant_id, *stores)
    StoreUserObjectPermission.objects.filter(user=user).exclude(content_object__in=stores).delete()
    for store in stores:
        assign_perm(ACCESS_STORE, user, store)


def _require_subaccount(user: User, actor: User) -> None:
    require_owner(actor)
    require_same_tenant(actor.tenant_id, user)
    if user.is_owner:
        raise Refused("The main account is not a sub-account; it cannot be changed here.", code="main_account")


@transaction.atomic
def subaccount_create(
    *,
    tenant: Tenant,
    actor: User,
    username: str,
    email: str,
    password: str,
    role: Role | None,
    all_stores: bool,
    stores: Iterable[Store] = (),
) -> User:
    require_owner(actor)
    require_same_tenant(tenant.pk, actor, role)
    _require_free_login_names(username, email)
    user = User(tenant=tenant, username=username, email=email, role=role, all_stores=all_stores)
    user.set_password(password)
    _save_user(user)
    _grant_stores(user=user, all_stores=all_stores, stores=stores)
    after = _account_fields(user)
    _event(
        tenant_id=tenant.pk,
        actor=actor,
        type=Type.SUBACCOUNT_CREATED,
        subject=username,
        changes=_changes(dict.fromkeys(after, ""), after),
    )
    return user


@transaction.atomic
def subaccount_update(
    *,
    user: User,
    actor: User,
    email: str,
    role: Role | None,
    all_stores: bool,
    stores: Iterable[Store] = (),
    password: str = "",
) -> User:
    _require_subaccount(user, actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    require_same_tenant(user.tenant_id, role)
    _require_free_login_names(email, user_pk=user.pk)
    before = _account_fields(user)
    user.email, user.role, user.all_stores = email, role, all_stores
    fields = ["email", "role", "all_stores"]
    if password:
        user.set_password(password)
        fields.append("password")
    _save_user(user, update_fields=fields)
    _grant_stores(user=user, all_stores=all_stores, stores=stores)
    changes = _changes(before, _account_fields(user))
    if password:
        changes.append({"field": "Password", "from": "", "to": "changed"})
    if changes:
        type = Type.SUBACCOUNT_CHANGED
        _event(tenant_id=user.tenant_id, actor=actor, type=type, subject=user.username, changes=changes)
    return user


@transaction.atomic
def subaccount_set_active(*, user: User, actor: User, active: bool) -> User:
    _require_subaccount(user, actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        type = Type.SUBACCOUNT_ENABLED if active else Type.SUBACCOUNT_DISABLED
        _event(tenant_id=user.tenant_id, actor=actor, type=type, subject=user.username)
    return user


@transaction.atomic
def password_set(*, user: User, actor: User, password: str) -> User:
    """A user sets their own password: by changing it, or from a reset link sent to their e-mail."""
    if actor.pk is None or actor.pk != user.pk:
        raise PermissionDenied("Only the user can set their own password here.")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    if user.tenant_id:
        _event(tenant_id=user.tenant_id, actor=user, type=Type.PASSWORD_CHANGED, subject=user.username)
    return user


@transaction.atomic
def preferences_set(*, user: User, actor: User, time_zone: str) -> User:
    """A user sets their own preferences (the time zone their pages show times in)."""
    if actor.pk is None or actor.pk != user.pk:
        raise PermissionDenied("Only the user can change their own preferences.")
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        raise Refused(error.messages[0], code="unknown_time_zone") from error
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.time_zone
    if before != time_zone:
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
        if user.tenant_id:
            changes = [{"field": "Time zone", "from": before, "to": time_zone}]
            _event(
                tenant_id=user.tenant_id,
                actor=user,
                type=Type.PREFERENCES_CHANGED,
                subject=user.username,
                changes=changes,
            )
    return user


@transaction.atomic
def tenant_set_active(*, tenant: Tenant, actor: User, active: bool) -> Tenant:
    """The platform operator deactivates (or reactivates) a company account: its users' sessions end on
    their next request and their logins are refused (accounts.backends.RoleBackend.user_can_authenticate)."""
    if not (actor.is_authenticated and actor.is_staff and actor.has_perm("accounts.change_tenant")):
        raise PermissionDenied("Only the platform operator deactivates a company account.")
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if tenant.is_active != active:
        tenant.is_active = active
        tenant.save(update_fields=["is_active", "updated_at"])
        type = Type.TENANT_REACTIVATED if active else Type.TENANT_DEACTIVATED
        _event(tenant_id=tenant.pk, actor=actor, type=type, subject=tenant.name)
    return tenant


def _clean_perms(perms: Iterable[str]) -> list[str]:
    unknown = set(perms) - set(Perm.values)
    if unknown:
        raise ValidationError(f"Unknown permission: {', '.join(sorted(unknown))}")
    return [p for p in Perm.values if p in set(perms)]  # stored in the product's order


def _perm_labels(perms: list[str]) -> str:
    return ", ".join(Perm(p).label for p in perms) or "None"


@transaction.atomic
def role_create(*, tenant: Tenant, actor: User, name: str, perms: Iterable[str]) -> Role:
    require_owner(actor)
    require_same_tenant(tenant.pk, actor)
    role = Role.objects.create(tenant=tenant, name=name, perms=_clean_perms(perms))
    changes = [{"field": "Permissions", "from": "", "to": _perm_labels(role.perms)}]
    _event(tenant_id=tenant.pk, actor=actor, type=Type.ROLE_CREATED, subject=name, changes=changes)
    return role


@transaction.atomic
def role_update(*, role: Role, actor: User, name: str, perms: Iterable[str]) -> Role:
    require_owner(actor)
    require_same_tenant(actor.tenant_id, role)
    role = Role.objects.select_for_update().get(pk=role.pk)
    before = {"Name": role.name, "Permissions": _perm_labels(role.perms)}
    role.name, role.perms = name, _clean_perms(perms)
    role.save(update_fields=["name", "perms", "updated_at"])
    changes = _changes(before, {"Name": role.name, "Permissions": _perm_labels(role.perms)})
    if changes:
        _event(tenant_id=role.tenant_id, actor=actor, type=Type.ROLE_CHANGED, subject=before["Name"], changes=changes)
    return role


@transaction.atomic
def role_delete(*, role: Role, actor: User) -> None:
    require_owner(actor)
    require_same_tenant(actor.tenant_id, role)
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.users.exists():
        raise Refused(
            f"Role “{role.name}” is still given to sub-accounts; give them another role first.", code="role_in_use"
        )
    _event(tenant_id=role.tenant_id, actor=actor, type=Type.ROLE_DELETED, subject=role.name)
    role.delete()
