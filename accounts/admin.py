from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts import services
from accounts.models import AccountEvent, Role, Tenant, User
from core.admin import EstimatedCountPaginator, LargeTableAdmin, ReadOnlyAdmin


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    actions = ["deactivate", "reactivate"]

    def save_model(self, request, obj, form, change):
        # Unticking "active" goes through the service: it is recorded, and the users are shut out.
        active = obj.is_active
        if change and "is_active" in form.changed_data:
            obj.is_active = not active
            super().save_model(request, obj, form, change)
            services.tenant_set_active(tenant=obj, actor=request.user, active=active)
            obj.is_active = active
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Deactivate: log their users out and refuse their logins", permissions=["change"])
    def deactivate(self, request, queryset):
        for tenant in queryset:
            services.tenant_set_active(tenant=tenant, actor=request.user, active=False)
        messages.success(request, f"{len(queryset)} company account(s) deactivated.")

    @admin.action(description="Reactivate", permissions=["change"])
    def reactivate(self, request, queryset):
        for tenant in queryset:
            services.tenant_set_active(tenant=tenant, actor=request.user, active=True)
        messages.success(request, f"{len(queryset)} company account(s) reactivated.")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant", "perms", "created_at"]
    list_filter = ["tenant"]
    search_fields = ["name", "tenant__name"]
    list_select_related = ["tenant"]
    autocomplete_fields = ["tenant"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "tenant", "is_owner", "role", "all_stores", "is_active", "is_staff"]
    list_filter = ["tenant", "is_owner", "is_active", "is_staff", "all_stores"]
    search_fields = ["username", "email", "tenant__name"]
    list_select_related = ["tenant", "role"]
    # Django's search (a part of the name) stays: users are thousands, and the grants' autocomplete
    # types a part of a username; the count is bounded all the same.
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Tenant", {"fields": ["tenant", "is_owner", "role", "all_stores", "time_zone"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Tenant", {"fields": ["tenant", "is_owner", "role"]}),
    ]
    autocomplete_fields = ["tenant", "role"]
    actions = ["unlock_login"]

    def get_fieldsets(self, request, obj=None):
        # A tenant's users get their permissions from their role (accounts.backends.RoleBackend),
        # never from Django's groups and user permissions: those are the platform staff's.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.tenant_id is None:
            return fieldsets
        hidden = {"groups", "user_permissions"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    @admin.action(description="Unlock login (clear the failed attempts of these accounts)", permissions=["change"])
    def unlock_login(self, request, queryset):
        cleared = sum(axes_reset(username=user.username) for user in queryset)
        messages.success(
            request,
            f"{cleared} failed attempt record(s) cleared. A lock on a network address is lifted under "
            "Axes > Access attempts.",
        )


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin, LargeTableAdmin):
    list_display = ["created_at", "tenant", "actor", "type", "subject"]
    list_filter = ["type", "tenant"]
    search_fields = ["actor__username"]
    search_help_text = "The username of who did it, in full."
    list_select_related = ["tenant", "actor"]
