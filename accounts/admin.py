from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Role, Tenant, User


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant", "perms", "created_at"]
    list_filter = ["tenant"]
    search_fields = ["name", "tenant__name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "tenant", "is_owner", "role", "all_stores", "is_active", "is_staff"]
    list_filter = ["tenant", "is_owner", "is_active", "is_staff", "all_stores"]
    search_fields = ["username", "email", "tenant__name"]
    list_select_related = ["tenant", "role"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Tenant", {"fields": ["tenant", "is_owner", "role", "all_stores"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Tenant", {"fields": ["tenant", "is_owner", "role"]}),
    ]
