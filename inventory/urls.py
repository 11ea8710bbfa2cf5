from django.urls import path

from core.views import area_placeholder

app_name = "inventory"
urlpatterns = [
    path(
        "",
        area_placeholder(
            "inventory",
            [
                "Stock-In / Return: scan a tracking number, case number or order number and receive the parcel",
                "On-hand stock by SKU and warehouse, with each SKU's ledger",
            ],
        ),
        name="index",
    ),
]
