"""Settings > Stores: joined to the `settings` namespace by config.urls."""

from django.urls import path

from channels import views

urlpatterns = [path("stores/", views.store_list, name="store-list")]
