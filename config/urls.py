from django.conf import settings
from django.contrib import admin
from django.urls import include, path

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

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
