from django.contrib import admin

from aftersales.models import Case, CaseEvent, CaseLine


class CaseLineInline(admin.TabularInline):
    model = CaseLine
    fields = ["kind", "sku", "quantity", "unit_price", "amount", "received_quantity"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["created_at", "type", "from_status", "to_status", "actor", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """View only: a case moves through its services (row lock, timeline, stock), never by hand."""

    list_display = ["number", "type", "status", "order", "store", "returned_total", "currency", "created_at", "tenant"]
    list_filter = ["type", "status", "source", "tenant"]
    search_fields = ["number", "order__number", "return_tracking_number"]
    list_select_related = ["order", "store", "tenant"]
    date_hierarchy = "created_at"
    inlines = [CaseLineInline, CaseEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
