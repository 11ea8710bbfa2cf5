from django.apps import AppConfig


class SalesChannelsConfig(AppConfig):
    name = "channels"
    label = "sales_channels"  # Django Channels also labels its app "channels"
    verbose_name = "Sales channels"
