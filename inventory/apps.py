from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "inventory"

    def ready(self) -> None:
        from accounts.permissions import Perm
        from core.navigation import Area, register

        register(  # the warehouse area: Stock-In / Return (aftersales) and the stock pages, one namespace
            Area("inventory", "Stock-In / Return", "inventory:index", (Perm.RETURN_STOCKIN,), 30)
        )
