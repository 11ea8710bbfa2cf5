from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self) -> None:
        from accounts.permissions import Perm
        from core.navigation import Area, register

        register(
            Area("orders", "Orders", "orders:index", (Perm.MANUAL_AFTERSALES, Perm.CANCEL_ORDERS, Perm.ORDER_ENTRY), 20)
        )
