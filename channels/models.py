from django.db import models
from guardian.models import UserObjectPermissionBase

from core.models import TimeStamped
from core.tenancy import TenantOwned


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


class Store(TenantOwned, TimeStamped):
    """One seller account on one channel in one site, with its currency; or the offline store."""

    channel = models.CharField(max_length=20, choices=Channel.choices)
    name = models.CharField(max_length=120)
    site = models.CharField(max_length=8, blank=True, help_text="Region code, e.g. MY, ID")
    currency = models.CharField(max_length=3, help_text="ISO 4217, e.g. MYR")
    external_id = models.CharField("shop id on the platform", max_length=64, blank=True)
    is_active = models.BooleanField(default=True)

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
