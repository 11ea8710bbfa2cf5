"""The platforms' webhook endpoints (channels.webhooks), under /channels/webhooks/ (config.urls)."""

from django.urls import path

from channels import webhooks

app_name = "webhooks"
urlpatterns = [
    path("tiktok/", webhooks.tiktok_webhook, name="tiktok"),
    path("shopee/", webhooks.shopee_webhook, name="shopee"),
    path("lazada/", webhooks.lazada_webhook, name="lazada"),
]
