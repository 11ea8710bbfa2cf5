from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from channels.models import Store, StoreUserObjectPermission


@admin.register(Store)
class StoreAdmin(GuardedModelAdmin):
    list_display = ["name", "tenant", "channel", "site", "currency", "is_active"]
    list_filter = ["channel", "site", "currency", "is_active", "tenant"]
    search_fields = ["name", "external_id", "tenant__name"]


@admin.register(StoreUserObjectPermission)
class StoreUserObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["user", "content_object", "permission", "tenant"]
    list_filter = ["tenant"]
    search_fields = ["user__username", "content_object__name"]
