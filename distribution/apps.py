from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "distribution"

    def ready(self) -> None:
        from accounts.permissions import Perm
        from core.navigation import Area, register

        register(Area("distribution", "Distribution", "distribution:index", (Perm.DISTRIBUTION,), 50))
