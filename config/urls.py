from django.contrib import admin
from django.urls import include, path

# No MEDIA_URL route, not even with DEBUG: uploaded evidence and payment proofs are served only by
# the tenant-scoped views (aftersales:attachment, refunds:proof).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("settings/", include("accounts.settings_urls")),
    path("orders/", include("orders.urls")),
    path("stock/", include("inventory.urls")),
    path("after-sales/", include("aftersales.urls")),
    path("refunds/", include("refunds.urls")),
    path("distribution/", include("distribution.urls")),
    path("", include("core.urls")),
]
