from django.contrib import admin

from aftersales.models import Case, CaseEvent, CaseLine
from core.admin import LargeTableAdmin, ReadOnlyAdmin, ReadOnlyInline


class CaseLineInline(ReadOnlyInline):
    model = CaseLine
    fields = ["kind", "sku", "quantity", "unit_price", "amount", "received_quantity"]
    readonly_fields = fields
    select_related = ("sku",)


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["created_at", "type", "from_status", "to_status", "actor", "data"]
    readonly_fields = fields
    select_related = ("actor",)


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin, LargeTableAdmin):
    """View only: a case moves through its services (row lock, timeline, stock), never by hand."""

    list_display = ["number", "type", "status", "order", "store", "returned_total", "currency", "created_at", "tenant"]
    list_filter = ["type", "status", "source", "tenant"]
    search_fields = ["number", "return_tracking_number", "order__number"]
    search_help_text = "A case number, a return tracking number or an order number, in full."
    list_select_related = ["order", "store", "tenant"]
    sortable_by = ["created_at"]  # its own index
    inlines = [CaseLineInline, CaseEventInline]
