from django.urls import path

from inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.index, name="index"),
    path("on-hand/", views.stock, name="stock"),
    path("skus/search/", views.sku_search, name="sku-search"),
    path("skus/<int:sku_id>/ledger/", views.sku_ledger, name="sku-ledger"),
    path("returns/<int:case_id>/", views.return_receive, name="return-receive"),
]
