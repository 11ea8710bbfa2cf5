from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self) -> None:
        from accounts.permissions import Perm
        from channels import signals
        from core.navigation import Area, register
        from orders import receivers

        signals.orders_changed.connect(receivers.on_orders_changed, dispatch_uid="orders.refetch")
        signals.sync_requested.connect(receivers.on_sync_requested, dispatch_uid="orders.sync_store")

        register(
            Area("orders", "Orders", "orders:index", (Perm.MANUAL_AFTERSALES, Perm.CANCEL_ORDERS, Perm.ORDER_ENTRY), 20)
        )
