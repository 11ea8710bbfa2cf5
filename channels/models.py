import uuid
from typing import Self

from django.db import models
from guardian.models import UserObjectPermissionBase
from guardian.shortcuts import get_objects_for_user

from channels.permissions import ACCESS_STORE
from core.models import TimeStamped
from core.secrets import SealedField
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
    DELIVERED = "delivered", "Sent"
    REFUSED = "refused", "Refused"
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
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="Not tried again before this")
    last_error = models.TextField(blank=True, help_text="The platform's refusal, or why the last try failed")
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_pending_idx")]


class ConnectionStatus(models.TextChoices):
    CONNECTED = "connected", "Connected"
    REAUTHORIZE = "reauthorize", "Re-authorize"  # refresh failed: the seller must authorize again
    DISCONNECTED = "disconnected", "Disconnected"


class Connection(TenantOwned, TimeStamped):
    """A store's authorization on its platform and the state of its order sync. Tokens are sealed at
    rest (core.secrets). Disconnecting keeps the store and everything synced."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="connection")
    status = models.CharField(max_length=12, choices=ConnectionStatus.choices, default=ConnectionStatus.CONNECTED)
    seller_id = models.CharField(max_length=64, blank=True, help_text="TikTok open_id; Lazada seller id")
    shop_cipher = models.CharField(max_length=128, blank=True, help_text="TikTok: names the shop on every call")
    access_token = SealedField(blank=True)
    access_expires_at = models.DateTimeField(null=True, blank=True)
    refresh_token = SealedField(blank=True)
    refresh_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, help_text="The last failure, in words the seller can act on")
    last_error_at = models.DateTimeField(null=True, blank=True)
    # the order sync (orders.sync): orders updated before `synced_until` are in; the next pull starts
    # a little earlier (the overlap) to catch what the platform wrote late
    synced_until = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True, help_text="Last successful sync")
    orders_synced = models.PositiveIntegerField(default=0)
    sync_started_at = models.DateTimeField(null=True, blank=True, help_text="Sync now: when it began")
    sync_progress = models.PositiveIntegerField(default=0, help_text="Sync now: orders done so far")
    # one sync at a time per store: a lease a worker takes and renews; a dead worker's lease runs out
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "access_expires_at"], name="connection_refresh_idx")]

    def __str__(self) -> str:
        return f"{self.store} ({self.get_status_display()})"


class WebhookReceipt(TenantOwned):
    """One platform notification, taken once: a replay finds its id here and changes nothing."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    notification_id = models.CharField(max_length=128)
    kind = models.CharField(max_length=40, blank=True)
    order_number = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("store", "notification_id", name="webhook_taken_once"),
        ]
