import uuid
from typing import Self

from django.db import models
from guardian.models import UserObjectPermissionBase
from guardian.shortcuts import get_objects_for_user

from channels.permissions import ACCESS_STORE
from core.models import TimeStamped
from core.tenancy import TenantOwned, TenantQuerySet


class Channel(models.TextChoices):
    SHOPEE = "shopee", "Shopee"
    LAZADA = "lazada", "Lazada"
    TIKTOK = "tiktok", "TikTok Shop"
    SHOPIFY = "shopify", "Shopify"
    PGMALL = "pgmall", "PG Mall"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    TEMU = "temu", "TEMU"
    TOKOPEDIA = "tokopedia", "Tokopedia"
    OFFLINE = "offline", "Offline"


class StoreQuerySet(TenantQuerySet):
    def visible_to(self, user) -> Self:
        """The stores this user may work with: all of the tenant's, or those granted one by one."""
        stores = self.for_tenant(user.tenant)
        if user.sees_all_stores:
            return stores
        # Grants are the user's own (accounts.services); a tenant's users are in no Django group, and
        # asking the groups too would OR a varchar-cast subquery into every list's scope.
        return get_objects_for_user(
            user, ACCESS_STORE, stores, use_groups=False, accept_global_perms=False, with_superuser=False
        )


class Store(TenantOwned, TimeStamped):
    """One seller account on one channel in one site, with its currency; or the offline store."""

    channel = models.CharField(max_length=20, choices=Channel.choices)
    name = models.CharField(max_length=120)
    site = models.CharField(max_length=8, blank=True, help_text="Region code, e.g. MY, ID")
    currency = models.CharField(max_length=3, help_text="ISO 4217, e.g. MYR")
    external_id = models.CharField("shop id on the platform", max_length=64, blank=True)
    is_active = models.BooleanField(default=True)

    objects = StoreQuerySet.as_manager()

    class Meta:
        permissions = [("access_store", "Can work with this store")]
        constraints = [models.UniqueConstraint("tenant", "name", name="store_name_unique_per_tenant")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StoreUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct-FK table for per-store grants (faster than the generic one), keyed by
    tenant like every tenant-owned row."""

    content_object = models.ForeignKey(Store, on_delete=models.CASCADE)
    tenant = models.ForeignKey("accounts.Tenant", on_delete=models.PROTECT, related_name="+", editable=False)

    def save(self, *args, **kwargs):
        self.tenant_id = self.content_object.tenant_id
        super().save(*args, **kwargs)


class OutboundKind(models.TextChoices):
    CANCEL_ORDER = "cancel_order", "Cancel order"
    CANCEL_ITEMS = "cancel_items", "Cancel items"
    AGREE_CANCEL = "agree_cancel", "Agree to buyer cancellation"
    REJECT_CANCEL = "reject_cancel", "Reject buyer cancellation"


class OutboundStatus(models.TextChoices):
    PENDING = "pending", "Waiting to sync"
    DELIVERED = "delivered", "Synced"
    FAILED = "failed", "Sync failed"


class OutboundAction(TenantOwned, TimeStamped):
    """A change the platform must hear of (the outbox). Written in the same transaction as the
    change; the channel-sync worker delivers it with `idempotency_key` so a replay is harmless."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="outbound_actions")
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="outbound_actions"
    )
    kind = models.CharField(max_length=20, choices=OutboundKind.choices)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.PENDING)
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_pending_idx")]
