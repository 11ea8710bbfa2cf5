from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts.permissions import Perm
        from core.navigation import Area, register

        register(Area("settings", "Settings", "settings:index", (Perm.SETTINGS,), 60))
