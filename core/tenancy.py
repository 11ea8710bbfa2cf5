"""Tenancy, enforced in one place.

Every tenant-owned table carries its own `tenant` foreign key (child rows included), so that
scoping is one indexed filter and a database policy can later check it row by row. The request's
tenant is resolved once, here, by the middleware; selectors start every query with
`.for_tenant()`, and views fetch objects only through selectors, so another tenant's id is a 404.
"""

from typing import Self

from django.db import models, transaction

from core.counts import Counted, record_inserted


class TenantQuerySet(models.QuerySet):
    def for_tenant(self, tenant) -> Self:
        if tenant is None:  # a user with no tenant (platform admin) owns no business rows
            return self.none()
        return self.filter(tenant=tenant)

    def bulk_create(self, objs, *args, **kwargs):
        """Rows of a counted list (core/counts.py) inserted in bulk are counted with them, as save()
        counts one; an upsert cannot say which rows it inserted, so it is refused for them."""
        if not issubclass(self.model, Counted):
            return super().bulk_create(objs, *args, **kwargs)
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise ValueError(f"{self.model._meta.label} rows are counted: insert or save them, do not upsert.")
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            record_inserted(created, using=self.db)
        return created


class TenantOwned(models.Model):
    tenant = models.ForeignKey("accounts.Tenant", on_delete=models.PROTECT, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class TenantMiddleware:
    """Sets `request.tenant` from the logged-in user (None when anonymous or platform admin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.tenant = user.tenant if user.is_authenticated else None
        return self.get_response(request)


def require_same_tenant(tenant_id: int, *rows) -> None:
    """Services call this on every row a user picked: forms offer only the tenant's own rows, and
    this keeps a forged id of another tenant out all the same."""
    from core.errors import Refused

    if any(row is not None and row.tenant_id != tenant_id for row in rows):
        raise Refused("That belongs to another account.", code="other_tenant")
