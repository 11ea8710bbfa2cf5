"""Stock-In / Return pages; config/urls.py mounts them in the warehouse area (`inventory:`, /stock/)."""

from django.urls import path

from aftersales import stock_in_views as views

urlpatterns = [
    path("", views.stock_in, name="index"),
    path("returns/<int:case_id>/", views.return_receive, name="return-receive"),
]
