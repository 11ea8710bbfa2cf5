from django.contrib import admin

from inventory.models import Warehouse


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "tenant", "is_active"]
    list_filter = ["kind", "is_active", "tenant"]
    search_fields = ["name", "code", "tenant__name"]
