"""Settings > Stores: joined to the `settings` namespace by config.urls."""

from django.urls import path

from channels import views

urlpatterns = [
    path("stores/", views.store_list, name="store-list"),
    path("stores/connect/", views.store_connect, name="store-connect"),
    path("stores/connect/start/", views.store_connect_start, name="store-connect-start"),
    path("stores/connect/callback/", views.store_connect_callback, name="store-connect-callback"),
    path("stores/<int:store_id>/", views.store_detail, name="store-detail"),
    path("stores/<int:store_id>/sync/", views.store_sync, name="store-sync"),
    path("stores/<int:store_id>/reauthorize/", views.store_reauthorize, name="store-reauthorize"),
    path("stores/<int:store_id>/disconnect/", views.store_disconnect, name="store-disconnect"),
]
