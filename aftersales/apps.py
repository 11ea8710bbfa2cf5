from django.apps import AppConfig


class AftersalesConfig(AppConfig):
    name = "aftersales"

    def ready(self) -> None:
        from accounts.permissions import Perm
        from core.navigation import Area, register

        register(
            Area("aftersales", "After-Sales", "aftersales:index", (Perm.MANUAL_AFTERSALES, Perm.AFTERSALES_REFUND), 10)
        )
