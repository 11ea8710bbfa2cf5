from django.urls import path

from core.views import area_placeholder

app_name = "orders"
urlpatterns = [
    path(
        "",
        area_placeholder(
            "orders",
            [
                "New Orders, In Process Orders, To Pickup, Shipped, Completed and Voided / Cancelled tabs",
                "Order Entry for manual and offline orders",
                "Seller cancellation, buyer cancellation requests and Canceled Orders Stock In",
            ],
        ),
        name="index",
    ),
]
