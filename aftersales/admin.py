from django.contrib import admin

from aftersales.models import Case, CaseEvent, CaseLine
from core.admin import ReadOnlyAdmin


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
class CaseAdmin(ReadOnlyAdmin):
    """View only: a case moves through its services (row lock, timeline, stock), never by hand."""

    list_display = ["number", "type", "status", "order", "store", "returned_total", "currency", "created_at", "tenant"]
    list_filter = ["type", "status", "source", "tenant"]
    search_fields = ["number", "order__number", "return_tracking_number"]
    list_select_related = ["order", "store", "tenant"]
    date_hierarchy = "created_at"
    inlines = [CaseLineInline, CaseEventInline]
