from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from channels.models import OutboundAction, Store, StoreUserObjectPermission
from core.admin import LargeTableAdmin, ReadOnlyAdmin


@admin.register(Store)
class StoreAdmin(GuardedModelAdmin):
    list_display = ["name", "tenant", "channel", "site", "currency", "is_active"]
    list_filter = ["channel", "site", "currency", "is_active", "tenant"]
    search_fields = ["name", "external_id", "tenant__name"]
    list_select_related = ["tenant"]
    autocomplete_fields = ["tenant"]


@admin.register(StoreUserObjectPermission)
class StoreUserObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["user", "content_object", "permission", "tenant"]
    list_filter = ["tenant"]
    search_fields = ["user__username", "content_object__name"]
    list_select_related = ["user", "content_object", "permission__content_type", "tenant"]
    autocomplete_fields = ["user", "content_object"]


@admin.register(OutboundAction)
class OutboundActionAdmin(ReadOnlyAdmin, LargeTableAdmin):
    """The outbox, as the sync worker sees it: what is still pending, what failed and why."""

    list_display = ["created_at", "kind", "status", "attempts", "store", "order", "delivered_at", "tenant"]
    list_filter = ["status", "kind", "tenant"]
    search_fields = ["order__number"]
    search_help_text = "An order number, in full."
    list_select_related = ["store", "order", "tenant"]
    sortable_by = ["created_at"]  # its own index
