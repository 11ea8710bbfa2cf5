from django.contrib import admin

from core.admin import LargeTableAdmin, ReadOnlyAdmin, ReadOnlyInline
from orders.models import Buyer, CancelRequest, Order, OrderEvent, OrderItem


class OrderItemInline(ReadOnlyInline):
    model = OrderItem
    fields = ["sku", "quantity", "cancelled_quantity", "unit_price", "unit_price_at_shipment"]
    readonly_fields = fields
    select_related = ("sku",)


class CancelRequestInline(ReadOnlyInline):
    model = CancelRequest
    fields = ["created_at", "reason", "status", "answered_by"]
    readonly_fields = fields
    select_related = ("answered_by",)


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["created_at", "type", "actor", "data"]
    readonly_fields = fields
    select_related = ("actor",)


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin, LargeTableAdmin):
    """View only: orders come from the channels' sync and Order Entry, and move through their
    services (cancellations reach the platform through the outbox), never by hand."""

    list_display = ["number", "status", "store", "buyer", "paid_amount", "currency", "ordered_at", "tenant"]
    list_filter = ["status", "is_manual", "tenant"]
    search_fields = ["number", "tracking_number"]
    search_help_text = "An order number or a tracking number, in full."
    list_select_related = ["store", "buyer", "tenant"]
    inlines = [OrderItemInline, CancelRequestInline, OrderEventInline]


@admin.register(Buyer)
class BuyerAdmin(ReadOnlyAdmin, LargeTableAdmin):
    """View only: buyers come with their orders. Found from an order's page (its buyer links here)."""

    list_display = ["name", "email", "phone", "tier", "tenant"]
    list_filter = ["tenant"]
    list_select_related = ["tier", "tenant"]
