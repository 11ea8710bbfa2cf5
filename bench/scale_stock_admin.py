"""The free alternative bench/scale.py compares our pages with: the Django admin as it comes, a
`ModelAdmin` per model with the list's columns, filters and search, and nothing tuned (full counts,
`icontains` search, `date_hierarchy`), as the project's own admin was before issue 10. The
platform operator's tuned admin (core.admin.LargeTableAdmin) is measured beside it, at /admin/.

Mounted, for the bench process only, at /stock-admin/ (`urlpatterns`: ROOT_URLCONF of the bench)."""

from django.contrib import admin
from django.urls import path

from aftersales.models import Case
from config.urls import urlpatterns as app_urls
from orders.models import Order
from refunds.models import RefundOrder

site = admin.AdminSite(name="stock_admin")


class CaseAdmin(admin.ModelAdmin):
    list_display = ["number", "type", "status", "order", "store", "returned_total", "currency", "created_at", "tenant"]
    list_filter = ["type", "status", "source", "tenant"]
    search_fields = ["number", "order__number", "return_tracking_number"]
    list_select_related = ["order", "store", "tenant"]
    date_hierarchy = "created_at"


class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "status", "store", "buyer", "paid_amount", "currency", "ordered_at", "tenant"]
    list_filter = ["status", "is_manual", "tenant"]
    search_fields = ["number", "tracking_number", "buyer__name"]
    list_select_related = ["store", "buyer", "tenant"]
    date_hierarchy = "ordered_at"


class RefundOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "case", "amount", "currency", "method", "status", "created_by", "created_at", "tenant"]
    list_filter = ["status", "method", "tenant"]
    search_fields = ["number", "case__number", "case__order__number"]
    list_select_related = ["case", "created_by", "tenant"]
    date_hierarchy = "created_at"


site.register(Case, CaseAdmin)
site.register(Order, OrderAdmin)
site.register(RefundOrder, RefundOrderAdmin)

urlpatterns = [path("stock-admin/", site.urls), *app_urls]
