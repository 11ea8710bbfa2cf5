from django.urls import path

from inventory import views

urlpatterns = [
    path("on-hand/", views.stock, name="stock"),
    path("skus/search/", views.sku_search, name="sku-search"),
    path("skus/<int:sku_id>/ledger/", views.sku_ledger, name="sku-ledger"),
]
