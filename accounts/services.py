"""Sub-accounts and roles: the main account's writes. Each function is one user action."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm

from accounts.models import Role, Tenant, User
from accounts.permissions import ACCESS_STORE, Perm
from channels.models import Store, StoreUserObjectPermission
from core.tenancy import require_same_tenant


def _grant_stores(*, user: User, all_stores: bool, stores: Iterable[Store]) -> None:
    stores = [] if all_stores else list(stores)
    require_same_tenant(user.tenant_id, *stores)
    StoreUserObjectPermission.objects.filter(user=user).exclude(content_object__in=stores).delete()
    for store in stores:
        assign_perm(ACCESS_STORE, user, store)


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
    require_same_tenant(tenant.pk, role)
    user = User(tenant=tenant, username=username, email=email, role=role, all_stores=all_stores)
    user.set_password(password)
    user.save()
    _grant_stores(user=user, all_stores=all_stores, stores=stores)
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
    user = User.objects.select_for_update().get(pk=user.pk)
    require_same_tenant(user.tenant_id, role)
    user.email, user.role, user.all_stores = email, role, all_stores
    fields = ["email", "role", "all_stores"]
    if password:
        user.set_password(password)
        fields.append("password")
    user.save(update_fields=fields)
    _grant_stores(user=user, all_stores=all_stores, stores=stores)
    return user


@transaction.atomic
def subaccount_set_active(*, user: User, actor: User, active: bool) -> User:
    if user.is_owner:
        raise ValidationError("The main account cannot be disabled here.")
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.refresh_from_db(fields=["is_active"])
    return user


def _clean_perms(perms: Iterable[str]) -> list[str]:
    unknown = set(perms) - set(Perm.values)
    if unknown:
        raise ValidationError(f"Unknown permission: {', '.join(sorted(unknown))}")
    return [p for p in Perm.values if p in set(perms)]  # stored in the product's order


@transaction.atomic
def role_create(*, tenant: Tenant, actor: User, name: str, perms: Iterable[str]) -> Role:
    return Role.objects.create(tenant=tenant, name=name, perms=_clean_perms(perms))


@transaction.atomic
def role_update(*, role: Role, actor: User, name: str, perms: Iterable[str]) -> Role:
    role.name, role.perms = name, _clean_perms(perms)
    role.save(update_fields=["name", "perms", "updated_at"])
    return role


@transaction.atomic
def role_delete(*, role: Role, actor: User) -> None:
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.users.exists():
        raise ValidationError(f"Role “{role.name}” is still given to sub-accounts; give them another role first.")
    role.delete()
