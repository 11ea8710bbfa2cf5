from django.urls import path

from core.views import area_placeholder

app_name = "refunds"
urlpatterns = [
    path(
        "",
        area_placeholder(
            "refunds",
            [
                "After-Sales Refund: Confirm Refund or Reject the payment slips in Refund Processing",
            ],
        ),
        name="index",
    ),
]
