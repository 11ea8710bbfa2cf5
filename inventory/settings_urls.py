"""Settings > Products, Customer tiers, Warehouses: joined to the `settings` namespace by config.urls."""

from django.urls import path

from inventory import settings_views as views

urlpatterns = [
    path("products/", views.sku_list, name="sku-list"),
    path("products/new/", views.sku_create, name="sku-create"),
    path("products/<int:sku_id>/", views.sku_edit, name="sku-edit"),
    path("customer-tiers/", views.tier_list, name="tier-list"),
    path("customer-tiers/new/", views.tier_create, name="tier-create"),
    path("customer-tiers/<int:tier_id>/", views.tier_edit, name="tier-edit"),
    path("warehouses/", views.warehouse_list, name="warehouse-list"),
    path("warehouses/new/", views.warehouse_create, name="warehouse-create"),
    path("warehouses/<int:warehouse_id>/", views.warehouse_edit, name="warehouse-edit"),
]
