from django.urls import path

from core.views import area_placeholder

app_name = "distribution"
urlpatterns = [
    path(
        "",
        area_placeholder(
            "distribution",
            [
                "Return & Stock-in - Distribution: To Push, Pushed, Push Failed, Re-push",
                "Supplier side: After Sales Orders - BigShop and Return & Stock-in - BigShop",
            ],
        ),
        name="index",
    ),
]
