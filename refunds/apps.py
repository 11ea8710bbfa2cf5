from django.apps import AppConfig


class RefundsConfig(AppConfig):
    name = "refunds"

    def ready(self) -> None:
        from accounts.permissions import Perm
        from core.navigation import Area, register

        register(Area("refunds", "After-Sales Refund", "refunds:index", (Perm.AFTERSALES_REFUND,), 40))
