from django.contrib import admin
from django.urls import include, path

from accounts import settings_urls as account_settings
from aftersales import stock_in_urls
from channels import settings_urls as store_settings
from config import views
from inventory import settings_urls as catalogue_settings
from inventory import urls as stock_urls

# Settings is one area (one namespace, one navigation entry) filled by the apps owning its pages.
settings_patterns = [
    path("", views.settings_index, name="index"),
    *account_settings.urlpatterns,
    *catalogue_settings.urlpatterns,
    *store_settings.urlpatterns,
]
# So is the warehouse's: Stock-In / Return (case work, aftersales) beside the stock pages (inventory).
warehouse_patterns = [*stock_in_urls.urlpatterns, *stock_urls.urlpatterns]

# No MEDIA_URL route, not even with DEBUG: uploaded evidence and payment proofs are served only by
# the tenant-scoped views (aftersales:attachment, refunds:proof).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("channels/webhooks/", include("channels.webhook_urls")),  # the platforms' pushes, signed, no login
    path("accounts/", include("accounts.urls")),
    path("settings/", include((settings_patterns, "settings"))),
    path("orders/", include("orders.urls")),
    path("stock/", include((warehouse_patterns, "inventory"))),
    path("after-sales/", include("aftersales.urls")),
    path("refunds/", include("refunds.urls")),
    path("distribution/", include("distribution.urls")),
    path("", include("core.urls")),
]
