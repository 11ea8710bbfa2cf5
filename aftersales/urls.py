from django.urls import path

from core.views import area_placeholder

app_name = "aftersales"
urlpatterns = [
    path(
        "",
        area_placeholder(
            "aftersales",
            [
                "Manual After-Sales Order: To Confirm, Confirm Return, Confirm Refund, Confirm Exchange, "
                "Received Return, Refund Processing, After-Sales Completed",
                "Create After-Sales Order for Return & Refund, Refund-Only and Exchange",
                "Channel after-sales cases synced from the marketplaces",
            ],
        ),
        name="index",
    ),
]
